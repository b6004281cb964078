"""The outbox relay: claim due alerts, send them, record the outcome (backoff, dead-letter)."""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pipelines.alerts.base import DeliveryError, Notifier

if TYPE_CHECKING:
    from pipelines.storage import AlertRow, Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; after ``max_attempts`` failures the alert is dead."""

    base: timedelta = timedelta(seconds=30)
    factor: float = 4.0
    max_delay: timedelta = timedelta(hours=24)
    max_attempts: int = 8
    #: each delay is shortened by a random fraction up to this much (0 = no jitter)
    jitter: float = 0.25
    #: how long a claimed alert stays ours before another relay may retry it
    lease: timedelta = timedelta(minutes=5)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.factor < 1 or not 0 <= self.jitter < 1:
            raise ValueError("RetryPolicy needs max_attempts ≥ 1, factor ≥ 1, 0 ≤ jitter < 1")

    def delay(self, failures: int, rng: random.Random | None = None) -> timedelta:
        """Wait after the ``failures``-th failed attempt (1-based)."""
        exponent = min(max(failures - 1, 0), 64)
        seconds = self.base.total_seconds() * self.factor**exponent
        seconds = min(seconds, self.max_delay.total_seconds())
        return timedelta(seconds=seconds * (1 - self.jitter * (rng or random).random()))


@dataclass
class DeliveryReport:
    """What one relay pass did."""

    sent: int = 0
    failed: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_due(
    store: Store,
    notifiers: Mapping[str, Notifier],
    *,
    now: datetime,
    policy: RetryPolicy = RetryPolicy(),
    limit: int = 100,
) -> DeliveryReport:
    """Send every due alert once: claim → send → mark sent / retry later / dead."""
    report = DeliveryReport()
    for channel, notifier in notifiers.items():
        for row in store.due_alerts(now=now, channel=channel, limit=limit):
            if store.claim_alert(row.id, now=now, lease=policy.lease):
                _deliver_one(store, notifier, row, now, policy, report)
    _report_orphans(store, notifiers, now, report)
    return report


def _deliver_one(
    store: Store,
    notifier: Notifier,
    row: AlertRow,
    now: datetime,
    policy: RetryPolicy,
    report: DeliveryReport,
) -> None:
    try:
        notifier.send(row.payload, idempotency_key=row.idempotency_key)
    except DeliveryError as exc:
        _failed(store, row, now, policy, report, exc.message, transient=exc.transient)
    except Exception as exc:  # a notifier bug must not stop the other alerts
        logger.exception("notifier %s crashed on alert %d", row.channel, row.id)
        _failed(store, row, now, policy, report, f"{type(exc).__name__}: {exc}", transient=True)
    else:
        store.mark_sent(row.id, now=now)
        report.sent += 1


def _failed(
    store: Store,
    row: AlertRow,
    now: datetime,
    policy: RetryPolicy,
    report: DeliveryReport,
    error: str,
    *,
    transient: bool,
) -> None:
    failures = row.attempts + 1
    retry_at = None
    if transient and failures < policy.max_attempts:
        retry_at = now + policy.delay(failures)
    store.mark_failed(row.id, now=now, error=error, retry_at=retry_at)
    if retry_at is None:
        report.dead += 1
        logger.error("alert %d (%s) is dead after %d attempt(s): %s",
                     row.id, row.channel, failures, error)  # fmt: skip
    else:
        report.failed += 1
        logger.warning("alert %d (%s) failed, retry at %s: %s",
                       row.id, row.channel, retry_at.isoformat(), error)  # fmt: skip
    report.errors.append(f"alert {row.id} ({row.channel}): {error}")


def _report_orphans(
    store: Store, notifiers: Mapping[str, Notifier], now: datetime, report: DeliveryReport
) -> None:
    """Due alerts for channels nobody can send stay pending; say so once per channel."""
    orphans: dict[str, int] = {}
    for row in store.due_alerts(now=now, limit=1000):
        if row.channel not in notifiers:
            orphans[row.channel] = orphans.get(row.channel, 0) + 1
    for channel, count in sorted(orphans.items()):
        report.errors.append(f"no notifier for channel {channel!r}: {count} alert(s) left pending")
