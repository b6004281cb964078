"""Backfill horizons: which months a backfill covers, how walking them ends it, how runs continue
it (the reading plan, the store on both backends, the run's tracker, the verdict, `status`)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.health.verdict import RunVerdict, judge, with_backfill
from crawler.pages.discovery import MonthlySitemap
from crawler.spiders.horizons import MONTHS, UNFINISHED, WALKED, Horizons
from crawler.spiders.plan import DiscoveryPlan
from pipelines.storage import DEFAULT_SITE, Store
from pipelines.storage.backfills import Backfill, month_key, months_between
from tests.helpers.launch import mtwatch_env, run_cli_here

T = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


def horizon(since: date = date(2026, 3, 15), today: date = date(2026, 6, 20)) -> Backfill:
    return Backfill.start("since", since, f"--since {since}", today=today, now=T)


def index(*keys: str) -> list[MonthlySitemap]:
    found = [MonthlySitemap(int(k[:4]), int(k[5:]), f"https://x.test/sitemap/{int(k[:4])}-"
                            f"{int(k[5:])}.xml") for k in keys]
    return sorted(found, reverse=True)


# ---- the record ---------------------------------------------------------------------------


def test_a_horizon_covers_every_month_from_its_first_day_to_the_day_it_started() -> None:
    h = horizon()
    assert h.months == ("2026-06", "2026-05", "2026-04", "2026-03")
    assert h.left == h.months
    assert not h.finished
    assert h.progress() == "backfill since 2026-03-15 unfinished: 0 of 4 months walked"


@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 400))
def test_months_between_is_every_month_once_newest_first(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    months = months_between(start, end)
    assert months[0] == month_key(end.year, end.month)
    assert months[-1] == month_key(start.year, start.month)
    assert list(months) == sorted(set(months), reverse=True)
    assert len(months) == (end.year - start.year) * 12 + end.month - start.month + 1


def test_walking_every_month_finishes_it_once() -> None:
    h = horizon()
    for month in ("2026-04", "2026-06", "2026-04", "1999-01"):
        h = h.walk(month, T)
    assert h.left == ("2026-05", "2026-03")
    assert h.progress() == "backfill since 2026-03-15 unfinished: 2 of 4 months walked"
    done = h.walk("2026-05", T).walk("2026-03", T + timedelta(minutes=5))
    assert done.finished_at == T + timedelta(minutes=5)
    assert done.walk("2026-03", T + timedelta(hours=1)) == done


def test_months_the_site_has_no_sitemap_for_are_dropped_but_gaps_are_kept() -> None:
    # our clock is past the site's newest month, and the site starts after our first day
    h = Backfill.start("since", date(2022, 11, 1), "--since 2022-11-01", today=date(2023, 5, 2),
                       now=T)
    fitted = h.fit({"2023-01", "2023-02", "2023-04"}, T)  # 2023-03 missing from the index
    assert fitted.months == ("2023-04", "2023-03", "2023-02", "2023-01")
    assert fitted.fit(set(), T) == fitted  # an empty index proves nothing


def test_a_second_overflowing_feed_widens_the_automatic_horizon() -> None:
    h = Backfill.start("auto", date(2026, 5, 20), "feed", today=date(2026, 6, 20), now=T)
    h = h.walk("2026-06", T)
    wider = h.widen(date(2026, 3, 30), "two feeds", T)
    assert wider.since == date(2026, 3, 30)
    assert wider.months == ("2026-06", "2026-05", "2026-04", "2026-03")
    assert wider.left == ("2026-05", "2026-04", "2026-03")
    assert wider.widen(date(2026, 4, 1), "later", T) == wider


def test_a_horizon_on_a_day_in_the_future_still_covers_its_month() -> None:
    assert horizon(since=date(2026, 7, 2), today=date(2026, 6, 20)).months == ("2026-07",)


def test_unknown_trigger_is_refused() -> None:
    with pytest.raises(ValueError, match="trigger"):
        Backfill("cron", date(2026, 1, 1), "", (), frozenset(), T, T)


# ---- the reading plan ---------------------------------------------------------------------


def test_a_plain_run_reads_the_months_left_in_an_unfinished_backfill() -> None:
    plan = DiscoveryPlan(since=None, sitemap_months=1)
    plan.follow([horizon().walk("2026-05", T)])
    site = index("2026-06", "2026-05", "2026-04", "2026-03", "2026-02")
    assert [m.month for m in plan.months_to_read(site, {})] == [6, 4, 3]
    assert plan.keeps(date(2020, 1, 1))  # a plain run filters nothing
    assert plan.guessed_months(date(2026, 6, 20)) == [(2026, 6), (2026, 4), (2026, 3)]


def test_since_runs_also_read_an_earlier_unfinished_backfill_and_keep_its_articles() -> None:
    plan = DiscoveryPlan(since=date(2026, 5, 10), sitemap_months=1)
    plan.follow([horizon(since=date(2026, 3, 15))])
    site = index("2026-06", "2026-05", "2026-04", "2026-03", "2026-02")
    assert [m.month for m in plan.months_to_read(site, {})] == [6, 5, 4, 3]
    assert plan.keeps(date(2026, 3, 15))  # the older horizon's articles are not filtered out
    assert not plan.keeps(date(2026, 3, 14))


def test_months_missing_from_the_index_are_asked_for_by_their_url() -> None:
    plan = DiscoveryPlan(since=None, sitemap_months=1)
    plan.follow([horizon(since=date(2026, 1, 1))])
    assert plan.unlisted(index("2026-06", "2026-05", "2026-02", "2026-01")) == [
        (2026, 4), (2026, 3)]
    plan.follow([])
    assert plan.pending == frozenset()
    assert plan.unlisted(index("2026-06", "2026-01")) == []


# ---- the store (SQLite and PostgreSQL) ----------------------------------------------------


def test_horizons_round_trip_and_only_unfinished_ones_are_continued(store: Store) -> None:
    first = store.save_backfill(horizon())
    assert first.id is not None
    walked = store.save_backfill(first.walk("2026-06", T).walk("2026-04", T))
    assert store.unfinished_backfills() == [walked]
    other = store.save_backfill(Backfill.start("auto", date(2026, 6, 1), "feed overflow",
                                               today=date(2026, 6, 20), now=T))
    done = store.save_backfill(other.walk("2026-06", T + timedelta(seconds=1)))
    assert done.finished
    assert store.unfinished_backfills() == [walked]
    assert [b.id for b in store.recent_backfills(5)] == [other.id, first.id]
    assert store.recent_backfills(5)[0] == done


# ---- the run's tracker --------------------------------------------------------------------


class FakeStats:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value


class FakeCrawler:
    def __init__(self) -> None:
        self.stats = FakeStats()


def tracker(store: Store) -> tuple[Horizons, FakeStats]:
    horizons = Horizons(store, DEFAULT_SITE)
    horizons.crawler = FakeCrawler()
    horizons.load()
    return horizons, horizons.crawler.stats


def test_a_run_records_its_horizon_at_once_and_the_next_run_continues_it(store: Store) -> None:
    first, stats = tracker(store)
    opened = first.begin(date(2026, 3, 15))
    assert store.unfinished_backfills() == [opened]  # in the store before any sitemap
    assert opened.reason == "--since 2026-03-15"
    first.listed(["2026-04", "2026-05", "2026-06"])  # the site starts in April
    first.walked("2026-06")
    assert stats.values[UNFINISHED] == "backfill since 2026-03-15 unfinished: 1 of 3 months walked"
    assert (stats.values[MONTHS], stats.values[WALKED]) == (3, 1)
    # the run is killed here; the next run (no --since) picks the horizon up from the store
    second, stats = tracker(store)
    assert [h.id for h in second.open] == [opened.id]
    assert second.begin(date(2026, 3, 15)).id == opened.id  # the same --since continues it
    second.walked("2026-05")
    second.walked("2026-04")
    assert stats.values[UNFINISHED] == ""
    assert store.unfinished_backfills() == []
    assert store.recent_backfills(1)[0].progress() == (
        "backfill since 2026-03-15 finished: 3 of 3 months walked")


def test_backfill_days_and_feed_overflows_say_where_they_came_from(store: Store) -> None:
    horizons, _stats = tracker(store)
    assert horizons.begin(date(2026, 6, 1), "19").reason == "--backfill-days 19"
    auto = horizons.overflowed(datetime(2026, 5, 30, 22, tzinfo=UTC), "feed A overflowed")
    wider = horizons.overflowed(datetime(2026, 4, 2, tzinfo=UTC), "feeds A and B overflowed")
    assert wider.id == auto.id
    assert (wider.trigger, wider.since, wider.reason) == ("auto", date(2026, 4, 2),
                                                          "feeds A and B overflowed")
    assert len(store.unfinished_backfills()) == 2


# ---- the verdict and `mtwatch status` ------------------------------------------------------


def test_a_run_that_leaves_a_backfill_unfinished_is_degraded_never_ok() -> None:
    stats = {"mtwatch/sources/feed/ok": 3, UNFINISHED: "backfill since 2023-01-01 unfinished: "
             "14 of 42 months walked", MONTHS: 42, WALKED: 14}
    verdict = with_backfill(judge(stats, "finished", []), stats)
    assert verdict.status == "degraded"
    assert verdict.reason == ("backfill since 2023-01-01 unfinished: 14 of 42 months walked; "
                              "the next run continues it")
    assert (verdict.counts["backfill/months"], verdict.counts["backfill/walked"]) == (42, 14)
    failed = with_backfill(RunVerdict("failed", "crawl stopped early: shutdown"), stats)
    assert failed.status == "failed"
    assert failed.reason.startswith("crawl stopped early: shutdown; backfill since 2023-01-01")
    done = {**stats, UNFINISHED: ""}
    assert with_backfill(judge(done, "finished", []), done).status == "ok"


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_status_shows_an_unfinished_backfill_and_its_progress(workdir: Path,
                                                              store_url: str) -> None:
    with Store(store_url) as store:
        saved = store.save_backfill(horizon().walk("2026-05", T))
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    text = run_cli_here(["status"], env, workdir)
    as_json = json.loads(run_cli_here(["status", "--json"], env, workdir).stdout)
    assert text.returncode == 0, text.stderr
    assert ("backfill:         backfill since 2026-03-15 unfinished: 1 of 4 months walked "
            "(--since 2026-03-15, started 2026-06-20 12:00 UTC); the next run continues it"
            ) in text.stdout
    assert as_json["backfills"] == [{
        "id": saved.id, "trigger": "since", "since": "2026-03-15", "reason": "--since 2026-03-15",
        "finished": False, "months_total": 4, "months_walked": 1,
        "months_left": ["2026-06", "2026-04", "2026-03"],
        "started_at": T.isoformat(), "finished_at": None}]
    with Store(store_url) as store:
        for month in ("2026-06", "2026-04", "2026-03"):
            saved = store.save_backfill(saved.walk(month, T))
    text = run_cli_here(["status"], env, workdir)
    assert ("backfill:         none unfinished (last: backfill since 2026-03-15 finished: "
            "4 of 4 months walked, 2026-06-20 12:00 UTC)") in text.stdout
