"""The daemon's bookkeeping: slot rows, heartbeat, dead-man's switch, alert retries, metrics."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from crawler.daemon.scheduler import DaemonHooks
from crawler.health import deadman
from pipelines.storage import StoreError

if TYPE_CHECKING:
    from crawler.daemon.metrics import Metrics
    from crawler.launcher import RunOutcome
    from pipelines.storage import Store

logger = logging.getLogger(__name__)

#: ops_state key of the daemon's heartbeat (read by `mtwatch status`)
DAEMON_KEY = "daemon"
#: sends due alerts at ``now``; returns a one-line summary
Deliver = Callable[[datetime], str]


def _now() -> datetime:
    return datetime.now(UTC)


class StoreHooks(DaemonHooks):
    """Writes what the daemon sees to the store; a store hiccup is logged, never fatal."""

    def __init__(self, store: Store, *, schedule: str, interval: float,
                 deadman_after: timedelta | None, notify: deadman.Notify | None,
                 deliver: Deliver | None, metrics: Metrics | None) -> None:
        self.store = store
        self.notify = notify
        self.deliver = deliver
        self.metrics = metrics
        self.deadman_after = deadman_after
        self.started_at = _now()
        self.info: dict[str, Any] = {
            "pid": os.getpid(), "host": socket.gethostname(), "schedule": schedule,
            "interval_s": interval, "started_at": self.started_at.isoformat(),
        }

    def _guard(self, what: str, action: Callable[[], object]) -> None:
        try:
            action()
        except StoreError as exc:
            logger.error("%s: %s", what, exc)
        except Exception:  # a notice or metrics bug must not stop the schedule
            logger.exception("%s failed", what)

    def slot(self, status: str, reason: str) -> None:
        logger.warning("crawl slot %s: %s", status, reason)
        self._guard("recording a schedule slot", lambda: self.store.record_slot(
            trigger="daemon", now=_now(), status=status, reason=reason))
        if self.metrics is not None:
            self.metrics.observe_run(status, 0.0, None)
            self.metrics.flush()

    def missed(self, reason: str) -> None:
        self.slot("missed", reason)
        if self.notify is not None:
            notify = self.notify
            self._guard("notifying the operator", lambda: notify(
                "mtwatch: a scheduled crawl was missed",
                f"The daemon could not start a crawl in time: {reason}.\n"
                "This happens after a suspend, a clock jump or heavy load; the next slot "
                "crawls as usual and nothing is lost (the next crawl catches up).\n"))

    def crawled(self, outcome: RunOutcome) -> None:
        log = logger.info if outcome.status == "ok" else logger.warning
        log("crawl %s: %s in %.1f s %s", outcome.run_id, outcome.status, outcome.seconds,
            outcome.reason)
        if self.metrics is not None:
            ok = outcome.status in ("ok", "degraded")
            self.metrics.observe_run(outcome.status, outcome.seconds, _now() if ok else None)
            self._guard("reading the outbox", lambda: self._observe_alerts())
            self.metrics.flush()

    def _observe_alerts(self) -> None:
        if self.metrics is not None:
            self.metrics.observe_alerts(self.store.alert_counts())

    def check(self) -> None:
        if self.deadman_after is None:
            return
        if _now() - self.started_at < timedelta(seconds=float(self.info["interval_s"])):
            return  # a fresh start gets one slot to crawl before it judges the past
        after = self.deadman_after
        self._guard("dead-man's switch", lambda: deadman.check(
            self.store, self.notify, now=_now(), watching_since=self.started_at,
            threshold=after))

    def retry_alerts(self) -> None:
        if self.deliver is not None:
            deliver = self.deliver
            self._guard("alert retry", lambda: logger.info("alert retry: %s", deliver(_now())))

    def heartbeat(self, next_crawl: datetime | None) -> None:
        if self.info.get("state") == "stopped":
            return
        now = _now()
        state = {**self.info, "state": "running", "heartbeat_at": now.isoformat(),
                 "next_crawl_at": next_crawl.isoformat() if next_crawl else None}
        self._guard("heartbeat", lambda: self.store.put_state(DAEMON_KEY, state, now=now))

    def stopped(self) -> None:
        self.info["state"] = "stopped"
        now = _now()
        state = {**self.info, "state": "stopped", "heartbeat_at": now.isoformat(),
                 "next_crawl_at": None}
        self._guard("heartbeat", lambda: self.store.put_state(DAEMON_KEY, state, now=now))
