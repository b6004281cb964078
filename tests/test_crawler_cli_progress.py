"""The progress bar of long crawls: drawn from the store's counts, only on a terminal."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from crawler.cli import progress
from pipelines.storage import ArticleRecord, Store
from pipelines.storage.articles import Candidate, FrontierPolicy
from tests.helpers.ops import wait_until


def record(article_id: int) -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id, url=f"https://x.test/a{article_id}", headline="H", subtitle="",
        authors=[], published=None, modified=None, section="", tags=[], language="en",
        html_sha256="h", text="t", extraction="ok", fetched_at=datetime.now(UTC))


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_bar_shows_evaluated_of_total_for_long_crawls(store_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = store_url
    monkeypatch.setattr(progress, "POLL_SECONDS", 0.01)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with Store(url) as store:
        store.discover_articles([Candidate(i, f"https://x.test/a{i}") for i in range(150)],
                                source="sitemap", now=datetime.now(UTC),
                                policy=FrontierPolicy())
        with progress.crawl_progress(url, 10, enabled=True, console=console):
            for i in range(30):
                store.upsert_article(record(i))
            # the poller draws the bar (observable state)
            wait_until(lambda: "/150" in out.getvalue(), 120, "the bar", every=0.01)
    assert "evaluating articles" in out.getvalue()


def test_no_bar_when_disabled_or_short(store_url: str) -> None:
    url = store_url
    out = io.StringIO()
    console = Console(file=out, force_terminal=True)
    with progress.crawl_progress(url, 10, enabled=False, console=console):
        pass
    with progress.crawl_progress(url, 10, enabled=True, console=console):
        pass  # nothing waiting: below the threshold, no bar
    assert out.getvalue() == ""
