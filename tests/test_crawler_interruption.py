"""Ctrl-C and SIGTERM on `mtwatch run`: a clean stop, then what was done and what is queued."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from crawler.interruption import Interrupt, backfill_note, interrupted_reason
from pipelines.storage import Store
from pipelines.storage.articles import Candidate, FrontierPolicy
from pipelines.storage.backfills import Backfill
from tests.helpers.ops import sample_article, sample_match


@pytest.fixture
def sigint_as_in_a_terminal() -> Iterator[None]:
    """The suite may run as a background job of a script, with SIGINT ignored from the start:
    these tests need it delivered, as in a terminal."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.mark.usefixtures("sigint_as_in_a_terminal")
def test_first_signal_stops_cleanly_second_one_forces(capfd: pytest.CaptureFixture[str]) -> None:
    before = signal.getsignal(signal.SIGINT)
    interrupt = Interrupt()
    with interrupt.handled():
        os.kill(os.getpid(), signal.SIGTERM)
        assert interrupt.requested.is_set()
        assert not interrupt.forced.is_set()
        os.kill(os.getpid(), signal.SIGINT)
        assert interrupt.forced.is_set()
    assert signal.getsignal(signal.SIGINT) is before
    assert interrupt.exit_status == 143
    assert "SIGTERM: stopping the crawl cleanly (again to kill it now)" in capfd.readouterr().err
    ctrl_c = Interrupt()
    with ctrl_c.handled():
        os.kill(os.getpid(), signal.SIGINT)
    assert ctrl_c.exit_status == 130


def test_a_signal_ignored_by_whoever_started_us_stays_ignored() -> None:
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)  # `mtwatch run &` in a script
    try:
        interrupt = Interrupt()
        with interrupt.handled():
            os.kill(os.getpid(), signal.SIGINT)
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert not interrupt.requested.is_set()
    finally:
        signal.signal(signal.SIGINT, before)


def test_the_summary_counts_this_runs_work_and_the_queue(store: Store, store_url: str) -> None:
    started = datetime.now(UTC)
    old = started - timedelta(days=2)
    store.upsert_article(sample_article(1, old))  # evaluated by an earlier run
    store.record_match(sample_match(1, old), ["email"])
    for article_id in (2, 3, 4):
        store.upsert_article(sample_article(article_id, started + timedelta(seconds=1)))
    store.record_match(sample_match(3, started + timedelta(seconds=2)), ["email"])
    store.discover_articles([Candidate(i, f"https://x.test/a{i}") for i in range(10, 15)],
                            source="sitemap", now=started, policy=FrontierPolicy())
    url = store_url
    assert interrupted_reason(url, started, 10) == (
        "interrupted: 3 evaluated, 1 match stored, 5 queued; the next run fetches them")
    assert backfill_note(url) == ""
    horizon = Backfill.start("since", date(2023, 1, 1), "--since 2023-01-01",
                             today=date(2026, 6, 20), now=started)
    store.save_backfill(horizon.walk("2026-06", started))
    assert interrupted_reason(url, started, 10) == (
        "interrupted: 3 evaluated, 1 match stored, 5 queued; the next run continues the "
        "backfill (since 2023-01-01: 1 of 42 months walked)")
    assert backfill_note(url) == ("; backfill since 2023-01-01 unfinished: 1 of 42 months "
                                  "walked; the next run continues it")


def test_without_a_store_the_summary_still_says_it_was_interrupted(tmp_path: Path) -> None:
    assert interrupted_reason(None, datetime.now(UTC), 10).startswith("interrupted: ")
    broken = interrupted_reason(f"sqlite:///{tmp_path}", datetime.now(UTC), 10)  # a directory
    assert broken.startswith("interrupted: the crawl was stopped (its progress is unknown: ")
