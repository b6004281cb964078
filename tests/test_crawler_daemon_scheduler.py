"""The daemon's scheduler: job defaults, restarts (C4), DST (C5), missed and skipped slots."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.executors.base import BaseExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

from crawler.config import ScheduleConfig
from crawler.daemon.bookkeeping import StoreHooks
from crawler.daemon.scheduler import (
    ALERTS_JOB,
    CRAWL_JOB,
    Daemon,
    DaemonPlan,
    build_scheduler,
    crawl_trigger,
    misfire_grace,
    nominal_interval,
)
from crawler.daemon.scheduler import (
    describe as describe_schedule,
)
from crawler.launcher import CrawlOptions
from pipelines.storage import Store
from tests.helpers.daemon import RecordingHooks
from tests.helpers.ops import wait_until

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def plan(tmp_path: Path, **schedule: Any) -> DaemonPlan:
    return DaemonPlan(crawl=CrawlOptions(), schedule=ScheduleConfig(**schedule),
                      data_dir=tmp_path, alert_interval=3600)


def test_job_defaults_give_a_generous_grace_and_one_instance() -> None:
    scheduler = build_scheduler(450)
    assert scheduler._job_defaults == {"coalesce": True, "max_instances": 1,
                                       "misfire_grace_time": 450}
    assert isinstance(scheduler, BlockingScheduler)
    every_15 = ScheduleConfig(interval=900)
    assert misfire_grace(every_15, nominal_interval(crawl_trigger(every_15), T0)) == 450
    cron = ScheduleConfig(cron="*/10 * * * *", timezone="Europe/Berlin")
    assert nominal_interval(crawl_trigger(cron), T0) == 600
    assert misfire_grace(cron, 600) == 300
    assert misfire_grace(ScheduleConfig(misfire_grace=42), 600) == 42


def started(daemon: Daemon) -> Iterator[BlockingScheduler]:
    """The daemon's real scheduler, started paused in a thread, shut down afterwards."""
    scheduler = daemon.scheduler
    thread = threading.Thread(target=scheduler.start, kwargs={"paused": True})
    thread.start()
    assert daemon.started.wait(120)
    try:
        yield scheduler  # type: ignore[misc]
    finally:
        scheduler.shutdown(wait=False)
        thread.join(10)


def test_restarts_rebuild_exactly_the_configured_jobs(tmp_path: Path) -> None:
    """C4: 20 restarts, the same two jobs each time, from memory (no pickled job table)."""
    for _ in range(20):
        daemon = Daemon(plan(tmp_path, interval=60), RecordingHooks())
        daemon.add_jobs(daemon.scheduler, crawl_now=False)
        daemon.add_jobs(daemon.scheduler, crawl_now=False)  # a rebuild replaces, never adds
        for scheduler in started(daemon):
            jobs = {job.id: job for job in scheduler.get_jobs()}
            assert set(jobs) == {CRAWL_JOB, ALERTS_JOB}
            assert all(isinstance(store, MemoryJobStore)
                       for store in scheduler._jobstores.values())
    assert not list(tmp_path.iterdir()), "nothing is persisted between restarts"


class Recorder(BaseExecutor):
    """An executor that records what the scheduler submits instead of running it."""

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[datetime] = []

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        self.submitted.extend(run_times)
        self._run_job_success(job.id, [])  # "finished": the instance count drops again


class SteppedScheduler(BlockingScheduler):
    """The daemon's scheduler with the loop driven by the test, one step at a time."""

    def _main_loop(self) -> None:
        return


class Clock(datetime):
    """``datetime.now()`` for the scheduler module, under the test's control. (freezegun's
    fake datetimes drop ``fold``, which makes the repeated DST hour loop forever.)"""

    current = T0

    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        return cls.current.astimezone(tz)


def fired(cron: str, start: datetime, hours: int, monkeypatch: pytest.MonkeyPatch
          ) -> list[datetime]:
    """Step the scheduler loop minute by minute across ``hours`` of simulated time."""
    monkeypatch.setattr("apscheduler.schedulers.base.datetime", Clock)
    Clock.current = start
    recorder = Recorder()
    scheduler = SteppedScheduler(executors={"default": recorder},
                                 job_defaults={"coalesce": True, "max_instances": 1,
                                               "misfire_grace_time": 300}, timezone=UTC)
    trigger = crawl_trigger(ScheduleConfig(cron=cron, timezone="Europe/Berlin"))
    scheduler.add_job(lambda: None, trigger, id=CRAWL_JOB, next_run_time=trigger.
                      get_next_fire_time(None, start))
    scheduler.start()
    for _ in range(hours * 60):
        Clock.current += timedelta(minutes=1)
        scheduler._process_jobs()  # must return: no DST loop (apscheduler#1021)
    scheduler.shutdown(wait=False)
    return recorder.submitted


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("day", "real_hours", "wall_slots"), [
    ("2026-03-29", 23, 92),  # 02:00 CET → 03:00 CEST: 02:00-02:59 does not exist
    ("2026-10-25", 25, 96),  # 03:00 CEST → 02:00 CET: 02:00-02:59 happens twice
])
def test_cron_slots_fire_once_across_both_2026_dst_transitions(
    day: str, real_hours: int, wall_slots: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """C5: each wall-clock slot fires once, none twice, and every loop step returns."""
    start = datetime.fromisoformat(f"{day}T00:00:00").replace(tzinfo=BERLIN).astimezone(UTC)
    runs = fired("*/15 * * * *", start - timedelta(minutes=1), real_hours, monkeypatch)
    walls = [run.astimezone(BERLIN).replace(tzinfo=None) for run in runs]
    assert len(walls) == len(set(walls)) == wall_slots, "a slot fired twice or not at all"
    assert runs == sorted(runs)
    daily = fired("30 2 * * *", start, real_hours, monkeypatch)  # 02:30 missing, or doubled
    assert len(daily) == 1, daily


def test_listener_turns_a_missed_slot_into_a_missed_row(tmp_path: Path, store: Store) -> None:
    """C2: a slot later than the grace (a suspended machine) is recorded, with one notice."""
    notices: list[str] = []
    hooks = StoreHooks(store, schedule="every 2 s", interval=2, deadman_after=None,
                       notify=lambda subject, body: notices.append(subject), deliver=None,
                       metrics=None)
    daemon = Daemon(plan(tmp_path, interval=3600, misfire_grace=1), hooks)
    calls: list[int] = []
    daemon.crawl = lambda: calls.append(1)  # type: ignore[method-assign]
    daemon.add_jobs(daemon.scheduler, crawl_now=False)
    daemon.scheduler.modify_job(CRAWL_JOB, next_run_time=datetime.now(UTC) - timedelta(
        seconds=30))
    thread = threading.Thread(target=daemon.scheduler.start)
    thread.start()
    try:
        wait_until(lambda: any(r.status == "missed" for r in store.last_runs()), 120,
                   "the missed row", every=0.05)
    finally:
        daemon.scheduler.shutdown(wait=False)
        thread.join(10)
    missed = [r for r in store.last_runs() if r.status == "missed"]
    assert len(missed) == 1
    assert "late (misfire grace 1 s)" in missed[0].reason
    assert calls == [], "a missed slot does not crawl"
    assert notices == ["mtwatch: a scheduled crawl was missed"]
    state = store.get_state("daemon")
    assert state is not None
    assert state["state"] == "running"
    store.close()


def test_overrun_slots_are_recorded_as_skipped(tmp_path: Path) -> None:
    """C3 (scheduler side): while a crawl runs, the next slot is skipped, never queued."""
    hooks = RecordingHooks()
    daemon = Daemon(plan(tmp_path, interval=1), hooks)
    release = threading.Event()
    entered: list[int] = []

    def long_crawl() -> None:
        entered.append(1)
        release.wait(120)

    daemon.crawl = long_crawl  # type: ignore[method-assign]
    daemon.add_jobs(daemon.scheduler, crawl_now=True)
    thread = threading.Thread(target=daemon.scheduler.start)
    thread.start()
    try:
        hooks.wait_for("skipped")
    finally:
        release.set()
        daemon.scheduler.shutdown(wait=False)
        thread.join(10)
    skipped = [reason for status, reason in hooks.slots if status == "skipped"]
    assert skipped[0].startswith("max_instances")
    assert len(entered) == 1, "a second crawl never started while the first ran"


@pytest.mark.parametrize(("table", "message"), [
    ('cron = "0 9 * * 1"', "write weekdays as names"),
    ('cron = "61 * * * *"', "invalid crontab line"),
    ('timezone = "Mars/Olympus"', "unknown timezone"),
    ("interval = 0", "schedule.interval"),
])
def test_schedule_mistakes_are_one_line_config_errors(tmp_path: Path, table: str,
                                                      message: str) -> None:
    from crawler.config import ConfigError, load_config

    user = tmp_path / "user.toml"
    user.write_text(f"[schedule]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_config(user, env={})
    assert "\n" not in str(info.value)


def test_weekday_names_and_timezones_are_fine() -> None:
    schedule = ScheduleConfig(cron="*/30 6-22 * * mon-fri", timezone="Europe/Moscow")
    assert describe_schedule(schedule) == "cron '*/30 6-22 * * mon-fri' (Europe/Moscow)"
