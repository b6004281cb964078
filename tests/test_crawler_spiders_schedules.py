"""Adaptive polling wired to a crawl, with fakes: which sources are due, what each poll
teaches their schedule, the verdict of a run that skipped sources, the [polling] keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from crawler.config import ConfigError, PollingConfig, load_config
from crawler.health.verdict import judge
from crawler.middlewares import RetryAfterTooLong
from crawler.polling import PollingPolicy, PollResult
from crawler.spiders.schedules import (
    SourceSchedules,
    failure_kind,
    failure_retry_after,
    retry_after_seconds,
)

A, B = "https://site.example/feed-a.xml", "https://site.example/feed-b.xml"
POLICY = PollingPolicy(minimum=600, default=1800, maximum=7200, step=600, quiet_step=1200,
                       tolerance=60)


class FakeStore:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.due_at: dict[str, datetime] = {}

    def poll_schedules(self, *, site: str) -> dict[str, dict[str, Any]]:
        return {url: dict(row) for url, row in self.rows.items()}

    def save_poll_schedule(self, url: str, schedule: dict[str, Any],
                           next_poll_at: datetime) -> None:
        self.rows[url] = schedule
        self.due_at[url] = next_poll_at


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def run(store: FakeStore, clock: Clock, **kw: Any) -> SourceSchedules:
    return SourceSchedules(store, "site", POLICY, clock=clock, **kw)


def test_a_first_run_polls_everything_then_only_the_due_sources() -> None:
    store, clock = FakeStore(), Clock()
    first = run(store, clock)
    assert first.first_run
    assert first.due([A, B]) == [A, B]
    first.unchanged(A)
    first.brought(B, 5, 5)
    assert store.rows[A]["next_poll_at"] == clock.now + POLICY.default
    clock.now += 600  # ten minutes later: nothing due, each counted
    early = run(store, clock)
    assert early.due([A, B]) == []
    assert early.not_due == [A, B]
    assert early.due([A, B], everything=True) == [A, B]  # --refresh, a backfill
    assert run(store, clock, adaptive=False).due([A, B]) == [A, B]
    clock.now += 1200  # the default interval has passed
    due = run(store, clock)
    assert due.due([A, B, "https://site.example/new.xml"]) == [
        A, B, "https://site.example/new.xml"]


def test_quiet_sources_are_polled_less_often_and_busy_ones_more() -> None:
    store, clock = FakeStore(), Clock()
    intervals: dict[str, list[float]] = {A: [], B: []}
    for _n in range(6):
        schedules = run(store, clock)
        for url in schedules.due([A, B]):
            after = (schedules.unchanged(url) if url == A
                     else schedules.brought(url, 4, 5))
            assert after is not None
            intervals[url].append(after.interval)
        clock.now = min(store.rows[A]["next_poll_at"], store.rows[B]["next_poll_at"])
    assert intervals[A] == sorted(intervals[A])
    assert intervals[A][-1] > POLICY.default
    assert intervals[B][-1] == POLICY.minimum


def test_a_second_verdict_on_one_poll_replaces_the_first() -> None:
    store, clock = FakeStore(), Clock()
    schedules = run(store, clock)
    schedules.due([A])
    schedules.unchanged(A)
    after = schedules.failed(A, "no monthly sitemaps listed")
    assert after is not None
    assert after.failures == POLICY.soft_weight
    assert schedules.brought("https://elsewhere.example/x.xml", 1, 1) is None  # not polled


def test_failures_back_off_and_retry_after_is_honoured() -> None:
    store, clock = FakeStore(), Clock()
    schedules = run(store, clock)
    schedules.due([A, B])
    gone = schedules.failed(A, "http_410: Gone")
    assert gone is not None
    assert gone.failures == 1
    assert gone.next_poll_at == clock.now + POLICY.default
    limited = schedules.failed(B, "http_429: Too Many Requests", retry_after=5 * 3600)
    assert limited is not None
    assert limited.next_poll_at == clock.now + 5 * 3600
    assert failure_kind("dns: lookup failed") is PollResult.TEMPORARY_FAILURE
    assert failure_kind("http_503: unavailable") is PollResult.SOFT_FAILURE
    assert retry_after_seconds(b"120", 0) == 120
    assert retry_after_seconds("Thu, 01 Jan 1970 00:10:00 GMT", 60) == 540
    assert retry_after_seconds(b"soon", 0) is None
    assert failure_retry_after(RetryAfterTooLong("HTTP 429 ...", 7200.0), 0) == 7200
    assert failure_retry_after(ValueError("timeout"), 0) is None


def test_a_run_that_polled_nothing_is_ok_and_says_so() -> None:
    skipped = {"mtwatch/sources_polled": 0, "mtwatch/sources_not_due": 4}
    verdict = judge(skipped, "finished", [])
    assert verdict.status == "ok"
    assert "4 not due" in verdict.reason
    assert "0 polled" in verdict.reason
    assert verdict.counts["sources not due"] == 4
    assert verdict.counts["sources polled"] == 0
    failed = judge({**skipped, "mtwatch/sources_polled": 1, "mtwatch/sources/feed/failed": 1},
                   "finished", ["feed x: http_503"])
    assert failed.status == "failed"  # a polled source that failed is no quiet skip
    read = judge({**skipped, "mtwatch/sources_polled": 1, "mtwatch/sources/feed/ok": 1},
                 "finished", [])
    assert (read.status, read.reason) == ("ok", "")


def test_polling_bounds_are_validated_naming_the_key(tmp_path: Any) -> None:
    with pytest.raises(ValueError, match="must not be less than minimum"):
        PollingConfig(minimum=60, default=30)
    config = tmp_path / "c.toml"
    config.write_text("[polling]\nmaximum = 20\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"polling\.maximum in .*: must not be less than default"):
        load_config(config, env={})
    config.write_text("[sites.moscowtimes.polling]\nminimum = 60\n", encoding="utf-8")
    site_key = r"sites\.moscowtimes\.polling\.default must not be less than minimum"
    with pytest.raises(ConfigError, match=site_key):
        load_config(config, env={})
    config.write_text("[polling]\nminimum = 1\n[sites.moscowtimes.polling]\nmaximum = 60\n",
                      encoding="utf-8")
    loaded = load_config(config, env={})
    assert loaded.polling_for("moscowtimes").policy().maximum == 3600
    assert loaded.polling_for("moscowtimes-ru").policy().maximum == 24 * 3600
    assert loaded.polling_for("moscowtimes").policy().minimum == 60


def test_adaptive_polling_can_be_turned_off_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MTWATCH_ADAPTIVE_POLLING", raising=False)  # tests/conftest.py sets it
    assert load_config(None, env={}).polling.adaptive is True
    assert load_config(None, env={"MTWATCH_ADAPTIVE_POLLING": "false"}).polling.adaptive is False
