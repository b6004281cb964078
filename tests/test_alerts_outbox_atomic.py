"""Bar row E1: a match and its outbox rows are written together or not at all (1000 trials)."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from pipelines.storage import ArticleRecord, MatchRecord, Store
from pipelines.storage import matches as match_rows
from pipelines.storage import outbox as outbox_rows
from tests.helpers.alerts import T0
from tests.helpers.pg import backend_store_url

CHANNELS = ("email", "webhook", "apprise")


class InjectedError(RuntimeError):
    pass


class FailOnCall:
    """Wraps an insert function; raises on its n-th call (1-based), counting calls."""

    def __init__(self, real: Callable[..., Any], fail_at: int | None) -> None:
        self.real, self.fail_at, self.calls = real, fail_at, 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        if self.calls == self.fail_at:
            raise InjectedError(f"crash before outbox insert #{self.calls}")
        return self.real(*args)


@pytest.fixture(params=[
    pytest.param(("sqlite", 1000), id="sqlite"),
    pytest.param(("postgresql", 300), id="postgresql"),
    pytest.param(("postgresql", 1000), id="postgresql-1000", marks=pytest.mark.slow),
])
def trial_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A private store and how many trials to run on it: the bar's 1000 on SQLite (its file on
    tmpfs when there is one: 1000 fsync'ed trials are slow on a disk); on PostgreSQL, where each
    trial is several round trips to the server, 300 in the default suite (the same code paths,
    well over 100 injected crashes) and the bar's 1000 under ``-m slow``."""
    backend, trials = request.param
    shm = Path("/dev/shm")
    if backend == "sqlite" and shm.is_dir() and os.access(shm, os.W_OK):
        base = Path(tempfile.mkdtemp(dir=shm))
        yield f"sqlite:///{base / 'mtwatch.db'}", trials
        shutil.rmtree(base, ignore_errors=True)
        return
    with backend_store_url(backend, tmp_path) as url:
        yield url, trials


def article(article_id: int, text: str) -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id, url=f"https://www.themoscowtimes.com/x-a{article_id}",
        headline=f"Story {article_id}", subtitle="", authors=[], published=T0, modified=None,
        section="news", tags=[], language="en", html_sha256=str(hash(text)), text=text,
        extraction="ok", fetched_at=T0,
    )  # fmt: skip


def match(article_id: int, sentence: str) -> MatchRecord:
    return MatchRecord(
        article_id=article_id, topic="syria-turkey", rule_version="1", rule="core",
        grade="strong", matched_at=T0,
        evidence=[{"field": "body", "sentence": sentence, "start": 0, "end": len(sentence),
                   "terms": ["Syria", "Turkey"]}],
    )  # fmt: skip


def orphans(conn: Connection) -> tuple[int, int, int, int]:
    """(matches missing alert rows, alert rows without a match, matches, outbox rows). A match
    has its alerts, or, when an earlier article of its story alerted (these trials' articles
    are near copies: one story), its "also reported" updates, which refer to that alert."""
    alerts = ("(SELECT count(*) FROM alert_outbox o WHERE o.match_id = m.id "
              "AND o.kind = 'alert')")
    threaded = ("(SELECT count(*) FROM alert_outbox o WHERE o.match_id = m.id "
                "AND o.kind = 'update' AND o.refers_to != m.alert_key)")
    short = conn.execute(text(
        f"SELECT count(*) FROM matches m WHERE NOT ({alerts} = 3 "
        f"OR ({alerts} = 0 AND {threaded} >= 3))")).scalar_one()
    lost = conn.execute(text(
        "SELECT count(*) FROM alert_outbox o WHERE o.match_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM matches m WHERE m.id = o.match_id)")).scalar_one()
    total = conn.execute(text("SELECT count(*) FROM matches")).scalar_one()
    rows = conn.execute(text("SELECT count(*) FROM alert_outbox")).scalar_one()
    return short, lost, total, rows


def evidence_of(conn: Connection, article_id: int) -> str | None:
    row = conn.execute(text("SELECT evidence FROM matches WHERE article_id = :a"),
                       {"a": article_id})
    found = row.fetchone()
    return None if found is None else str(found[0])


def checked(store: Store, article_id: int) -> tuple[tuple[int, int, int, int], str | None]:
    """The orphan counts and the article's stored evidence, read in a fresh transaction."""
    with store.read("check") as conn:
        return orphans(conn), evidence_of(conn, article_id)


def test_1000_randomized_crashes_between_match_and_outbox_leave_no_orphans(
    trial_store: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bar's 1000 trials on SQLite (300 on PostgreSQL, see ``trial_store``): about 6 s
    of CPU and 15-20 s in the full suite, each trial a write and two checks of the whole
    store for orphans."""
    store_url, trials = trial_store
    rng = random.Random(1)
    known: dict[int, str] = {}  # article → its stored evidence sentence
    injected = 0
    with Store(store_url) as store:
        for trial in range(trials):
            article_id = rng.randrange(1, 120)
            sentence = f"Turkey and Syria agreed on step {trial}."
            # a new article, or an edit that changes the quoted sentence ("updated" rows)
            store.upsert_article(article(article_id, sentence))
            fail_at = rng.choice([None, 1, 2, 3])
            monkeypatch.setattr(match_rows, "_insert_outbox",
                                FailOnCall(match_rows._insert_outbox, fail_at))
            monkeypatch.setattr(outbox_rows, "insert", FailOnCall(outbox_rows.insert, fail_at))
            before = checked(store, article_id)
            try:
                store.record_match(match(article_id, sentence), CHANNELS)
            except InjectedError:
                injected += 1
                after = checked(store, article_id)
                assert after == before, f"trial {trial} left a partial write"
            else:
                known[article_id] = sentence
            monkeypatch.undo()
            assert checked(store, article_id)[0][:2] == (0, 0), f"trial {trial}"
        short, lost, total, _ = checked(store, article_id)[0]
        updates = [a for a in store.outbox_rows() if a.kind == "update"]
    assert (short, lost, total) == (0, 0, len(known))
    assert injected > trials * 0.3  # three trials in four ask for a crash
    assert updates, "the trials must exercise the 'updated' path too"
    assert all(a.refers_to for a in updates)
