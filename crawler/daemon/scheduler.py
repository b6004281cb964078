"""The daemon: an APScheduler 3.x BlockingScheduler running crawl children and alert retries."""

from __future__ import annotations

import logging
import math
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    EVENT_SCHEDULER_STARTED,
    JobEvent,
    SchedulerEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.config import ScheduleConfig
from crawler.launcher import CrawlOptions, RunOutcome, run_crawl
from crawler.lock import FileLock, LockBusyError, crawl_lock_path

logger = logging.getLogger(__name__)

CRAWL_JOB = "crawl"
ALERTS_JOB = "alert-retry"
#: how long the daemon may take to exit after SIGTERM, beyond the crawl's stop grace
EXIT_MARGIN = 4.0


class WallClockCronTrigger(CronTrigger):  # type: ignore[misc]
    """A cron trigger that fires each wall-clock slot once: when DST repeats an hour, the
    second 02:30 is not a new slot (APScheduler 3 would fire both, e.g. a daily job twice)."""

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime
                           ) -> datetime | None:
        found: datetime | None = super().get_next_fire_time(previous_fire_time, now)
        while found is not None and _repeated_wall_time(found):
            found = super().get_next_fire_time(found, found)
        return found


def _repeated_wall_time(when: datetime) -> bool:
    """``when`` is the second occurrence of a local time that DST made happen twice."""
    wall = when.replace(tzinfo=None)
    first, second = (wall.replace(tzinfo=when.tzinfo, fold=f) for f in (0, 1))
    return first.utcoffset() != second.utcoffset() and when.utcoffset() == second.utcoffset()


def crawl_trigger(schedule: ScheduleConfig) -> BaseTrigger:
    """A cron trigger in the schedule's timezone, or a plain interval (UTC, DST-proof)."""
    if schedule.cron:
        zone = ZoneInfo(schedule.timezone)
        return WallClockCronTrigger.from_crontab(schedule.cron, timezone=zone)
    return IntervalTrigger(seconds=schedule.interval, timezone=UTC)


def nominal_interval(trigger: BaseTrigger, now: datetime) -> float:
    """Seconds between two consecutive slots (for a cron line: the next two after ``now``)."""
    if isinstance(trigger, IntervalTrigger):
        return float(trigger.interval.total_seconds())
    first = trigger.get_next_fire_time(None, now)
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1)) if first else None
    return (second - first).total_seconds() if first and second else 86400.0


def describe(schedule: ScheduleConfig) -> str:
    if schedule.cron:
        return f"cron '{schedule.cron}' ({schedule.timezone})"
    return f"every {schedule.interval:g} s"


def misfire_grace(schedule: ScheduleConfig, interval: float) -> int:
    """APScheduler's own 1 s default skips runs silently under load: at least half a slot."""
    return max(1, math.ceil(schedule.misfire_grace or interval / 2))


def build_scheduler(grace: int) -> BlockingScheduler:
    """In-memory jobs rebuilt from config at each start: no pickles, no duplicates, no loss."""
    return BlockingScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
        timezone=UTC,
    )


@dataclass(frozen=True)
class DaemonPlan:
    """Everything the daemon needs, resolved from config and command line."""

    crawl: CrawlOptions
    schedule: ScheduleConfig
    data_dir: Path
    alert_interval: float


class Daemon:
    """Schedules crawls and alert retries; stops within the bound on SIGTERM/SIGINT."""

    def __init__(self, plan: DaemonPlan, hooks: DaemonHooks) -> None:
        self.plan = plan
        self.hooks = hooks
        self.trigger = crawl_trigger(plan.schedule)
        self.interval = nominal_interval(self.trigger, datetime.now(UTC))
        self.grace = misfire_grace(plan.schedule, self.interval)
        self.stopping = threading.Event()
        self.started = threading.Event()
        self.scheduler: BaseScheduler = build_scheduler(self.grace)
        self._active = 0
        self._idle = threading.Condition()
        self._stop_deadline = 0.0

    def add_jobs(self, scheduler: BaseScheduler, *, crawl_now: bool) -> None:
        """The configured jobs, with fixed ids (replace_existing: a rebuild never duplicates)."""
        now = datetime.now(UTC)
        first_crawl: dict[str, Any] = {"next_run_time": now} if crawl_now else {}
        scheduler.add_job(self._tracked(self.crawl), self.trigger, id=CRAWL_JOB,
                          name="crawl", replace_existing=True, **first_crawl)
        scheduler.add_job(self._tracked(self.retry_alerts), "interval",
                          seconds=self.plan.alert_interval, id=ALERTS_JOB, name="alert retry",
                          replace_existing=True, next_run_time=now)
        scheduler.add_listener(self.on_event, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED
                               | EVENT_JOB_ERROR | EVENT_JOB_EXECUTED | EVENT_JOB_SUBMITTED)
        scheduler.add_listener(lambda _e: self.started.set(), EVENT_SCHEDULER_STARTED)

    def run(self) -> int:
        """Block until SIGTERM/SIGINT; 0 after a clean stop."""
        self.add_jobs(self.scheduler, crawl_now=isinstance(self.trigger, IntervalTrigger))
        handlers = {sig: signal.signal(sig, self._on_signal)
                    for sig in (signal.SIGTERM, signal.SIGINT)}
        logger.info("daemon started: crawl %s (misfire grace %d s), alert retry every %g s",
                    describe(self.plan.schedule), self.grace, self.plan.alert_interval)
        try:
            self.scheduler.start()  # the main loop; returns after shutdown
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        return self._drain()

    def _on_signal(self, signum: int, _frame: Any) -> None:
        if not self.stopping.is_set():
            logger.info("%s: stopping", signal.Signals(signum).name)
            self.stopping.set()
            self._stop_deadline = time.monotonic() + self.plan.crawl.stop_grace + EXIT_MARGIN
            # never call into the scheduler from a signal handler: it may hold its own locks
            threading.Thread(target=self._shutdown, name="mtwatch-stop", daemon=True).start()

    def _shutdown(self) -> None:
        self.started.wait(10)
        self.scheduler.shutdown(wait=False)

    def _drain(self) -> int:
        """Wait for running jobs (the crawl got SIGTERM through its cancel flag)."""
        deadline = self._stop_deadline or time.monotonic()
        with self._idle:
            while self._active and self._idle.wait(max(0.0, deadline - time.monotonic())):
                pass
            busy = self._active
        self.hooks.stopped()
        if busy:
            logger.error("%d job(s) still running at the stop deadline", busy)
            return 1
        logger.info("daemon stopped")
        return 0

    def _tracked(self, job: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            with self._idle:
                self._active += 1
            try:
                job()
            finally:
                with self._idle:
                    self._active -= 1
                    self._idle.notify_all()

        run.__name__ = job.__name__
        return run

    # jobs

    def crawl(self) -> None:
        """One crawl child, holding the crawl lock; a busy lock turns the slot into 'skipped'."""
        if self.stopping.is_set():
            return
        try:
            lock = FileLock.acquire(crawl_lock_path(self.plan.data_dir), what="crawl",
                                    trigger="daemon")
        except LockBusyError as exc:
            self.hooks.slot("skipped", f"locked: {exc}")
            return
        with lock:
            outcome = run_crawl(self.plan.crawl, lock=lock, cancel=self.stopping)
        if outcome.status == "locked":
            self.hooks.slot("skipped", f"locked: {outcome.reason}")
        else:
            self.hooks.crawled(outcome)
        if not self.stopping.is_set():
            self.hooks.check()

    def retry_alerts(self) -> None:
        if not self.stopping.is_set():
            self.hooks.retry_alerts()
            self.hooks.check()

    # events

    def on_event(self, event: SchedulerEvent) -> None:
        """Slots that ran no crawl become `runs` rows; every job event refreshes the heartbeat."""
        if not isinstance(event, JobEvent):
            return
        if event.job_id == CRAWL_JOB:
            self._crawl_event(event)
        elif event.code == EVENT_JOB_ERROR:
            logger.error("job %s failed: %r", event.job_id, getattr(event, "exception", None))
        if not self.stopping.is_set():  # a late event must not undo the "stopped" state
            self.hooks.heartbeat(self.next_crawl())

    def _crawl_event(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES:
            self.hooks.slot("skipped", "max_instances: the previous crawl was still running")
        elif event.code == EVENT_JOB_MISSED:
            slot: datetime = event.scheduled_run_time
            late = (datetime.now(UTC) - slot).total_seconds()
            self.hooks.missed(f"slot {slot.isoformat(timespec='seconds')} came {late:.0f} s "
                              f"late (misfire grace {self.grace} s)")
        elif event.code == EVENT_JOB_ERROR:
            self.hooks.slot("failed", f"daemon error: {getattr(event, 'exception', None)!r}")

    def next_crawl(self) -> datetime | None:
        job = self.scheduler.get_job(CRAWL_JOB)
        return None if job is None or self.stopping.is_set() else job.next_run_time


class DaemonHooks:
    """What the daemon does around its jobs: the store, notices and metrics (see daemon CLI)."""

    def slot(self, status: str, reason: str) -> None:
        logger.warning("crawl slot %s: %s", status, reason)

    def missed(self, reason: str) -> None:
        self.slot("missed", reason)

    def crawled(self, outcome: RunOutcome) -> None:
        logger.info("crawl %s: %s %s", outcome.run_id, outcome.status, outcome.reason)

    def retry_alerts(self) -> None:
        """Send due alerts between crawls."""

    def check(self) -> None:
        """After a job: is it time to tell the operator something (dead-man's switch)?"""

    def heartbeat(self, next_crawl: datetime | None) -> None:
        """Publish that the daemon is alive and when it crawls next."""

    def stopped(self) -> None:
        """The daemon is about to exit."""
