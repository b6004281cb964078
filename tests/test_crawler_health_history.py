"""The coverage monitors' history read from the store as the monitors ask for it
(``crawler.health.coverage.StoredHistory``) against the whole list of finished runs: the same
readings on a store with hundreds of runs of two sites (SQLite and PostgreSQL), while the
counts of only one page of runs are read."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from crawler.config import load_config
from crawler.health import coverage, monitors
from crawler.health.coverage import StoredHistory
from crawler.health.readings import Limits, PastRun, RunFacts
from pipelines.storage import Store, runs
from pipelines.storage.records import DEFAULT_SITE
from pipelines.storage.schema import run_sites
from pipelines.storage.schema import runs as runs_table
from tests.helpers.rows import writing

NOW = datetime(2026, 6, 23, 12, 0, tzinfo=UTC)
OTHER = "blog"
LIMITS = Limits(min_pages=6, history_runs=8, history_days=14)
#: the judged runs end these many hours before NOW
ENDS = (0, 1, 7, 30, 200, 330)


def _stats(pick: random.Random) -> dict[str, int]:
    evaluated = pick.choice([0, 0, 0, 1, 2, 5])
    fetched = evaluated + pick.choice([0, 0, 1])
    stats = {"extracted": evaluated, "evaluated": evaluated, "fetched": fetched,
             "fetches/tried": fetched + pick.choice([0, 0, 2]),
             "fetch failed": pick.choice([0, 0, 0, 2]), "failed/http_403": pick.choice([0, 2]),
             "first seen": pick.choice([0, 1, 3, 8, 20]),
             "zone/missing": pick.choice([0, 0, evaluated]),
             "extraction/generic": pick.choice([0, evaluated]),
             "soft 404": pick.choice([0, 0, 0, fetched])}
    if evaluated:
        stats["median body chars"] = pick.choice([800, 1500, 3000, 9000])
    if pick.random() < 0.05:
        stats["backfill"] = 1
    if pick.random() < 0.1:  # bodies unlike the others: counted, they move the median
        stats.update({"tripped/body_length": 1, "evaluated": 40, "median body chars": 90000})
    return stats


def seed(store: Store, count: int, seed_value: int = 7) -> None:
    """``count`` finished runs over 17 days before NOW (a few of them after it), most of the
    default site, some of another, every status, counts drawn at random."""
    pick = random.Random(seed_value)
    rows: list[dict[str, Any]] = []
    for n in range(count):
        finished = NOW + timedelta(hours=3) - timedelta(minutes=pick.randrange(17 * 24 * 60))
        if n % 40 == 0:  # two runs finishing at the same moment: the order falls to the ID
            finished = rows[-1]["finished_at"] if rows else finished
        elif n % 10 == 1:  # on the edge of a day of one of the judged runs
            finished = NOW - timedelta(hours=pick.choice(ENDS), days=pick.randrange(16))
        status = pick.choice(["ok", "ok", "ok", "degraded", "failed"])
        stats = _stats(pick)
        if status == "failed":
            stats.update({"evaluated": 40, "median body chars": 50000})
        rows.append({"trigger": "cron", "started_at": finished - timedelta(minutes=3),
                     "finished_at": finished, "reason": "", "stats": stats, "status": status})
    with writing(store) as conn:
        for n, row in enumerate(rows):
            run_id = conn.execute(insert(runs_table).values(**row)).inserted_primary_key[0]
            conn.execute(insert(run_sites).values(run_id=run_id,
                                                  site=OTHER if n % 5 == 0 else DEFAULT_SITE))


def listed(store: Store, since: datetime, site: str) -> list[PastRun]:
    """The history as the review read it before: every finished run with its counts."""
    return [PastRun(r.started_at, r.finished_at, r.status, r.stats)
            for r in store.runs_finished_since(since, site=site) if r.finished_at is not None]


def facts(pick: random.Random, end: datetime) -> RunFacts:
    return RunFacts(end - timedelta(minutes=pick.choice([2, 10 * 60, 20 * 60])), end,
                    _stats(pick))


@pytest.mark.parametrize("page", [50, 7, 3])
def test_the_stored_history_judges_as_the_whole_list(store: Store, page: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StoredHistory, "PAGE", page)
    seed(store, 420)
    pick = random.Random(page)
    judged = 0
    for hours in ENDS:
        end = NOW - timedelta(hours=hours)
        since = end - timedelta(days=LIMITS.history_days + 1)
        for site in (DEFAULT_SITE, OTHER):
            run = facts(pick, end)
            whole = monitors.judge(run, listed(store, since, site), LIMITS)
            stored = StoredHistory(store, since, site, end, LIMITS.history_days)
            assert monitors.judge(run, stored, LIMITS) == whole, (hours, site)
            judged += sum(r.tripped is not None for r in whole)
    assert judged > 30  # the monitors did judge (not only "too few runs")


def test_only_one_page_of_counts_is_read(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """On 600 runs the monitors read the counts of one page of them: the per-day sums and the
    body-length monitor's earlier runs come from the store's SQL, not from every run's
    counts. A history read whole again fails here."""
    seed(store, 600, seed_value=11)
    since = NOW - timedelta(days=LIMITS.history_days + 1)
    whole = listed(store, since, DEFAULT_SITE)
    assert len(whole) > 4 * StoredHistory.PAGE
    read: list[int] = []
    real = runs.finished_since

    def counting(*args: Any, **kwargs: Any) -> list[Any]:
        found = real(*args, **kwargs)
        read.append(len(found))
        return found

    monkeypatch.setattr(runs, "finished_since", counting)
    run = RunFacts(NOW - timedelta(minutes=2), NOW, {"evaluated": 1, "extracted": 1,
                                                       "fetched": 1, "first seen": 1,
                                                       "median body chars": 1500})
    review = coverage.review(store, load_config(None, env={}), run, [], [])
    assert read == [StoredHistory.PAGE]
    assert review.reasons == []  # judged on the same runs, nothing tripped
