"""Coverage monitors and their state, on plain data (crawler.health.monitors,
crawler.health.monitor_state)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.health import monitors
from crawler.health.monitor_state import advance, summary
from crawler.health.readings import Limits, PastRun, Reading, RunFacts

NOW = datetime(2026, 6, 23, 12, 0, tzinfo=UTC)
LIMITS = Limits()


def facts(counts: dict[str, Any], empty: tuple[str, ...] = (),
          started: datetime | None = None) -> RunFacts:
    return RunFacts(started or NOW - timedelta(minutes=2), NOW, counts, empty)


def past(hours_ago: float, counts: dict[str, Any], status: str = "ok") -> PastRun:
    end = NOW - timedelta(hours=hours_ago)
    return PastRun(end - timedelta(minutes=2), end, status, counts)


def pages(zone: int = 0, generic: int = 0, small: int = 0, no_body: int = 0,
          missing: int | None = None) -> dict[str, int]:
    counts = {"extraction/zone": zone, "extraction/generic": generic,
              "extraction/generic:small_zone": small, "extraction/no_body": no_body,
              "zone/missing": generic + no_body if missing is None else missing}
    counts["extracted"] = zone + generic + small + no_body
    return counts


# ---- the article zone -----------------------------------------------------------------------

def test_a_redesign_trips_the_zone_monitor_with_a_reason_a_person_reads() -> None:
    reading = monitors.zone(facts(pages(generic=160)), [], LIMITS)
    assert reading.tripped is True
    assert reading.reason == ("layout changed? 160 of 160 article pages had no article zone "
                              "(this run); generic extraction used for 160")


def test_the_classic_site_with_a_video_page_is_healthy() -> None:
    reading = monitors.zone(facts(pages(zone=299, no_body=1, missing=0)), [], LIMITS)
    assert reading.tripped is False
    assert reading.value.startswith("300 of 300 article pages had a usable article zone")


def test_a_small_run_is_judged_with_the_runs_before_it() -> None:
    """Cron runs fetch an article or two: the window reaches back until 5 pages."""
    run = facts(pages(generic=1))
    history = [past(0.25 * k, pages(generic=1)) for k in range(1, 6)]
    reading = monitors.zone(run, history, LIMITS)
    assert reading.tripped is True
    assert "(the last 5 runs)" in reading.reason
    alone = monitors.zone(run, [], LIMITS)
    assert alone.tripped is None
    assert "fewer than 5" in alone.value


def test_a_shrunken_zone_is_named_as_such() -> None:
    reading = monitors.zone(facts(pages(zone=2, small=8, missing=0)), [], LIMITS)
    assert reading.tripped is True
    assert "8 of 10 article pages had an article zone too small for their text" in reading.reason


def test_a_share_of_zero_turns_the_zone_monitor_off() -> None:
    off = Limits(zone_min_share=0)
    assert monitors.zone(facts(pages(generic=50)), [], off).tripped is None


# ---- body length ----------------------------------------------------------------------------

def body(median: int, evaluated: int = 10, **extra: int) -> dict[str, int]:
    return {"median body chars": median, "evaluated": evaluated, **extra}


def test_bodies_that_shrink_trip_against_earlier_runs() -> None:
    history = [past(k, body(1050)) for k in range(1, 6)]
    reading = monitors.body_length(facts(body(120)), history, LIMITS)
    assert reading.tripped is True
    assert reading.reason.startswith("bodies shrank: median body 120 characters in this run; "
                                     "1,050 in the 5 runs before")
    assert monitors.body_length(facts(body(900)), history, LIMITS).tripped is False
    assert monitors.body_length(facts(body(4000)), history, LIMITS).reason.startswith(
        "bodies grew")


def test_runs_that_tripped_the_body_monitor_are_no_baseline() -> None:
    """A broken state never becomes the new normal."""
    broken = [past(k, body(100, **{"tripped/body_length": 1})) for k in range(1, 30)]
    healthy = [past(30 + k, body(1000)) for k in range(1, 4)]
    reading = monitors.body_length(facts(body(100)), [*broken, *healthy], LIMITS)
    assert reading.tripped is True


def test_without_enough_history_body_length_is_not_judged() -> None:
    reading = monitors.body_length(facts(body(100)), [past(1, body(1000, evaluated=3))], LIMITS)
    assert reading.tripped is None


def test_weighted_median_of_run_medians() -> None:
    assert monitors._weighted_median([(100, 1), (1000, 9)]) == 1000
    assert monitors._weighted_median([(100, 9), (1000, 1)]) == 100
    assert monitors._weighted_median([]) == 0


# ---- discovery per day ----------------------------------------------------------------------

def daily(new_per_run: int, days: int, *, runs_per_day: int = 24,
          backfill_at: int | None = None) -> list[PastRun]:
    """Runs every hour for ``days`` days before NOW, newest first."""
    runs = []
    for k in range(1, days * runs_per_day):
        counts = {"first seen": new_per_run}
        if backfill_at == k:
            counts.update({"first seen": 5000, "backfill": 1})
        runs.append(past(k * 24 / runs_per_day, counts))
    return runs


def test_discovery_that_stops_trips_against_the_daily_history() -> None:
    history = daily(1, 10)  # 24 new articles a day
    for run in history[:23]:  # the last 24 h found nothing new
        run.counts["first seen"] = 0  # type: ignore[index]
    reading = monitors.discovery(facts({"first seen": 0}), history, LIMITS)
    assert reading.tripped is True
    assert reading.reason.startswith("discovery dropped: 0 new article(s) in the last 24 h; "
                                     "24 a day over the previous 9 days")


def test_ordinary_discovery_and_backfills_do_not_trip() -> None:
    history = daily(1, 10, backfill_at=60)
    reading = monitors.discovery(facts({"first seen": 1}), history, LIMITS)
    assert reading.tripped is False
    assert "24 a day" in reading.value  # the backfill's 5000 is not a day's news


def test_discovery_needs_a_day_of_runs_and_three_days_of_history() -> None:
    assert monitors.discovery(facts({"first seen": 0}), daily(1, 2), LIMITS).tripped is None
    young = facts({"first seen": 0}, started=NOW - timedelta(hours=1))
    assert monitors.discovery(young, [], LIMITS).tripped is None


# ---- documents, soft 404s, failures ---------------------------------------------------------

def test_an_empty_feed_trips_and_names_it() -> None:
    run = facts({"documents/feed/ok": 2}, empty=("feed http://x/rss/news",))
    reading = monitors.empty_sources(run)
    assert reading.tripped is True
    assert "feed http://x/rss/news" in reading.reason


def test_one_empty_month_is_a_sparse_month_all_empty_is_broken() -> None:
    counts = {"documents/sitemap/ok": 3, "documents/feed/ok": 3}
    one = facts(counts, empty=("sitemap http://x/sitemap/2024-3.xml",))
    assert monitors.empty_sources(one).tripped is False
    all_three = facts(counts, empty=tuple(f"sitemap http://x/sitemap/2024-{m}.xml"
                                          for m in (3, 4, 5)))
    assert monitors.empty_sources(all_three).tripped is True


def test_the_current_month_may_be_empty_on_its_first_days() -> None:
    first = RunFacts(NOW, datetime(2026, 7, 1, 0, 5, tzinfo=UTC), {"documents/sitemap/ok": 1},
                     ("sitemap http://x/sitemap/2026-7.xml",))
    assert monitors.empty_sources(first).tripped is False
    later = RunFacts(NOW, datetime(2026, 7, 9, tzinfo=UTC), {"documents/sitemap/ok": 1},
                     ("sitemap http://x/sitemap/2026-7.xml",))
    assert monitors.empty_sources(later).tripped is True


def test_only_304s_leave_the_documents_unjudged() -> None:
    run = facts({"documents/feed/ok": 3, "documents/feed/unchanged": 3})
    assert monitors.empty_sources(run).tripped is None


def test_every_article_page_a_soft_404_trips() -> None:
    assert monitors.soft_404s(facts({"fetched": 40, "soft 404": 40}), [], LIMITS).tripped
    assert monitors.soft_404s(facts({"fetched": 40, "soft 404": 39}), [],
                              LIMITS).tripped is False
    assert monitors.soft_404s(facts({"fetched": 1, "soft 404": 1}), [], LIMITS).tripped is None


def test_a_bot_wall_trips_the_fetch_failure_monitor() -> None:
    counts = {"fetched": 0, "fetch failed": 160, "fetches/tried": 160, "failed/http_403": 160}
    reading = monitors.fetch_failures(facts(counts), [], LIMITS)
    assert reading.tripped is True
    assert reading.reason == ("article fetches failing: 160 of 160 article fetches failed "
                              "(this run): 160 http_403 (a bot wall or a block?)")
    fine = {"fetched": 100, "fetch failed": 3, "fetches/tried": 103, "failed/timeout": 3}
    assert monitors.fetch_failures(facts(fine), [], LIMITS).tripped is False


def test_judge_reads_every_monitor_once() -> None:
    names = [r.monitor for r in monitors.judge(facts({}), [], LIMITS)]
    assert names == ["zone", "body_length", "discovery", "empty_sources", "soft_404",
                     "fetch_failures"]


# ---- state: once when it trips, once when it recovers ---------------------------------------

def test_a_monitor_tells_once_when_it_trips_and_once_when_it_recovers() -> None:
    tripped = Reading("zone", True, "layout changed? …")
    first = advance({}, [tripped], NOW)
    assert [(c.monitor, c.tripped) for c in first.changes] == [("zone", True)]
    assert first.reasons() == ["layout changed? …"]
    again = advance(first.state, [tripped], NOW + timedelta(minutes=15))
    assert again.changes == []
    quiet = advance(again.state, [Reading("zone", None, value="2 pages")], NOW + timedelta(1))
    assert quiet.changes == []
    assert quiet.reasons() == ["layout changed? … (since 2026-06-23 12:00 UTC; not judged "
                               "again in this run: 2 pages)"]
    healed = advance(quiet.state, [Reading("zone", False, value="ok")], NOW + timedelta(2))
    assert [(c.monitor, c.tripped, c.reason) for c in healed.changes] == [
        ("zone", False, "layout changed? …")]
    assert healed.reasons() == []
    assert advance(healed.state, [Reading("zone", False)], NOW + timedelta(3)).changes == []


def test_a_monitor_no_longer_read_is_dropped() -> None:
    state = advance({}, [Reading("canary a1", True, "gone")], NOW).state
    assert "canary a1" not in advance(state, [Reading("zone", False)], NOW).state


def test_summary_for_status() -> None:
    state = advance({}, [Reading("zone", True, "layout changed?"), Reading("soft_404", False)],
                    NOW).state
    head, lines = summary(state)
    assert head == "1 tripped, 1 ok"
    assert lines == ["zone: layout changed? (since 2026-06-23 12:00 UTC)"]
    assert summary({})[1] == []


@given(st.lists(st.sampled_from([True, False, None]), max_size=40))
@settings(max_examples=200, deadline=None)
def test_trips_and_recoveries_alternate(sequence: list[bool | None]) -> None:
    """Whatever the readings, the operator hears trip, recover, trip, … never twice in a row."""
    state: dict[str, Any] = {}
    told: list[bool] = []
    for step, value in enumerate(sequence):
        moved = advance(state, [Reading("m", value, "why")], NOW + timedelta(minutes=step))
        told += [c.tripped for c in moved.changes]
        state = moved.state
    assert all(a != b for a, b in itertools.pairwise(told))
    assert not told or told[0] is True
    judged = [v for v in sequence if v is not None]
    assert bool(state.get("m", {}).get("tripped")) == (bool(judged) and judged[-1])


@pytest.mark.parametrize("counts", [{}, {"fetched": "x"}, {"extracted": None}])
def test_odd_counts_never_raise(counts: dict[str, Any]) -> None:
    assert len(monitors.judge(facts(counts), [past(1, counts)], LIMITS)) == 6


def test_empty_months_read_in_full_next_to_unchanged_ones_are_sparse() -> None:
    """Empty sitemaps are asked in full every run; the others answer 304: not all empty."""
    counts = {"documents/sitemap/ok": 5, "documents/sitemap/unchanged": 3}
    run = facts(counts, empty=("sitemap http://x/sitemap/2024-8.xml",
                               "sitemap http://x/sitemap/2025-7.xml"))
    assert monitors.empty_sources(run).tripped is False


@pytest.mark.parametrize(("line", "says"), [
    ("zone_min_share = 2", "Input should be less than or equal to 1"),
    ("body_max_ratio = 0.5", "must be 0 (off) or above 1, got 0.5"),
    ("min_pages = 0", "Input should be greater than or equal to 1"),
    ("bogus = 1", "monitors.bogus"),
])
def test_monitor_thresholds_are_validated(tmp_path: Any, line: str, says: str) -> None:
    from crawler.config import ConfigError, load_config

    path = tmp_path / "bad.toml"
    path.write_text(f"[monitors]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="config error") as raised:
        load_config(path, env={})
    key = "monitors." + line.split(" =")[0]
    assert f"{key} in {path}" in str(raised.value) or f"{key}' in {path}" in str(raised.value)
    assert says in str(raised.value)


def test_the_shipped_thresholds_are_the_documented_defaults() -> None:
    from crawler.config import load_config
    from crawler.health.coverage import limits

    assert limits(load_config(None, env={})) == Limits()
