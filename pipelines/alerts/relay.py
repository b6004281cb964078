"""The outbox relay: claim due alerts, send them, record the outcome (backoff, dead-letter)."""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pipelines.alerts import holds, notices, trace
from pipelines.alerts.base import DeliveryError, Notifier
from pipelines.alerts.digest import DigestSchedule, roll_up, roll_up_backfill
from pipelines.alerts.webhook import RETRY_AFTER
from pipelines.storage.channels import ChannelHold

if TYPE_CHECKING:
    from pipelines.storage import Store
    from pipelines.storage.outbox import OutboxRow

logger = logging.getLogger(__name__)

#: what a channel in digest mode sends on its own; its alerts travel inside digests
DIGEST_MODE_KINDS = ("digest",)
IMMEDIATE_KINDS = ("alert", "update", "digest")


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with ±``jitter``; the attempt number ``max_attempts`` is the last.

    Defaults: 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 8 h 32 min, 24 h (each ±20 %), so a
    failing alert is dead after about 35 hours and never later than 42.
    """

    base: timedelta = timedelta(seconds=30)
    factor: float = 4.0
    max_delay: timedelta = timedelta(hours=24)
    max_attempts: int = 8
    jitter: float = 0.2
    #: how long a claimed alert stays ours before another relay may retry it
    lease: timedelta = timedelta(minutes=5)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.factor < 1 or not 0 <= self.jitter < 1:
            raise ValueError("RetryPolicy needs max_attempts ≥ 1, factor ≥ 1, 0 ≤ jitter < 1")

    def nominal(self, failures: int) -> timedelta:
        """The wait after the ``failures``-th failed attempt (1-based), before jitter."""
        exponent = min(max(failures - 1, 0), 64)
        seconds = self.base.total_seconds() * self.factor**exponent
        return timedelta(seconds=min(seconds, self.max_delay.total_seconds()))

    def delay(self, failures: int, rng: random.Random | None = None) -> timedelta:
        spread = self.jitter * (2 * (rng or random).random() - 1)
        return self.nominal(failures) * (1 + spread)


@dataclass(frozen=True)
class DeliveryPlan:
    """Per-channel digests and the operator channels; channels without a schedule are immediate.

    ``backfill_age``: set at the end of a crawl (which holds the crawl lock, so no other crawl
    adds to them): the alerts for articles older than this that wait for a backfill digest
    are rolled into one per channel. ``probe``: channels to try even if their endpoint asked
    never to be called again (`mtwatch alerts retry --all`).
    """

    digests: Mapping[str, DigestSchedule] = field(default_factory=dict)
    operator: tuple[str, ...] = ()
    backfill_age: timedelta | None = None
    probe: frozenset[str] = frozenset()


@dataclass
class DeliveryReport:
    """What one relay pass did. ``deferred``: due alerts not tried after a channel failed;
    ``held``: alerts waiting on a held channel; ``holds``: one line per channel still held."""

    sent: int = 0
    failed: int = 0
    dead: int = 0
    deferred: int = 0
    held: int = 0
    notices: int = 0
    errors: list[str] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)

    @property
    def undelivered(self) -> int:
        return self.failed + self.dead + self.deferred + self.held


def deliver_due(
    store: Store,
    notifiers: Mapping[str, Notifier],
    *,
    now: datetime,
    policy: RetryPolicy = RetryPolicy(),
    limit: int = 100,
    plan: DeliveryPlan | None = None,
) -> DeliveryReport:
    """Send every due alert once: claim → send → mark sent / retry later / dead.

    A held channel is tried with one alert first (see ``pipelines.alerts.holds``)."""
    relay = Relay(store, now, policy, plan or DeliveryPlan(),
                  {name: holds.fingerprint(n) for name, n in notifiers.items()})
    released = store.release_dead_claims(now=now)
    if released:  # a relay was killed mid-send: these may be redeliveries, with the same key
        logger.warning("%d alert(s) claimed by a relay that died are due again", released)
    if notifiers:  # else no channel to send on, nor one whose hold to report
        held = store.channel_holds()
        for channel, notifier in notifiers.items():
            if channel in held and not holds.resume(relay, channel, notifier, held[channel]):
                continue
            relay.send_notices(channel, notifier, limit)
            relay.send_channel(channel, notifier, limit)
        held = store.channel_holds()
        for channel, notifier in notifiers.items():  # notices queued by failures in this pass
            if channel not in held:
                relay.send_notices(channel, notifier, limit)
        relay.report.holds = holds.summary(relay, list(notifiers))
    _report_orphans(store, notifiers, now, relay.report)
    return relay.report


class Relay:
    """One delivery pass: the store, the clock and the outcome counters it shares."""

    def __init__(self, store: Store, now: datetime, policy: RetryPolicy, plan: DeliveryPlan,
                 fingerprints: Mapping[str, str] | None = None) -> None:  # fmt: skip
        self.store, self.now, self.policy, self.plan = store, now, policy, plan
        self.fingerprints = dict(fingerprints or {})
        self.report = DeliveryReport()
        #: channels held during this pass: nothing more is tried on them
        self.held_now: set[str] = set()

    def kinds(self, channel: str) -> tuple[str, ...]:
        """What a channel sends on its own: digests only in digest mode."""
        return DIGEST_MODE_KINDS if channel in self.plan.digests else IMMEDIATE_KINDS

    def prepare(self, channel: str) -> None:
        """Build the digests that are due: the closed period's, and the crawl's backfill."""
        schedule = self.plan.digests.get(channel)
        if schedule is not None:
            roll_up(self.store, channel, schedule, self.now)
        if self.plan.backfill_age is not None:
            roll_up_backfill(self.store, channel, self.plan.backfill_age, self.now)

    def send_channel(self, channel: str, notifier: Notifier, limit: int) -> None:
        if channel in self.held_now:
            return
        self.prepare(channel)
        kinds = self.kinds(channel)
        rows = self.store.due_for(channel, now=self.now, kinds=kinds, limit=limit)
        if self._send_rows(notifier, rows) and rows:
            self._flush_backoff(channel, notifier, kinds, limit)

    def _send_rows(self, notifier: Notifier, rows: list[OutboxRow]) -> bool:
        """Send in order; stop at the first transient failure. True if none failed that way."""
        for index, row in enumerate(rows):
            if not self.store.claim_alert(row.id, now=self.now, lease=self.policy.lease):
                continue
            error = self.attempt(notifier, row, with_site(row), row.idempotency_key)
            if error is None:
                self.report.sent += 1
            elif error.transient or error.holds_channel:
                # the channel is down, throttling or held: leave the rest for the next pass
                self.report.deferred += len(rows) - index - 1
                return False
        return True

    def _flush_backoff(self, channel: str, notifier: Notifier, kinds: tuple[str, ...],
                       limit: int) -> None:  # fmt: skip
        """The channel works again: alerts still backing off from its outage go now."""
        later = self.now + timedelta(days=3650)
        waiting = [r for r in self.store.due_for(channel, now=later, kinds=kinds, limit=limit)
                   if r.status == "pending" and r.next_attempt_at > self.now
                   and RETRY_AFTER not in (r.last_error or "")]  # fmt: skip
        for row in waiting:
            self.store.retry_alert(row.id, now=self.now)
        if waiting:
            logger.info("%s works again: %d alert(s) sent before their backoff ended",
                        channel, len(waiting))  # fmt: skip
            self._send_rows(notifier, self.store.due_for(channel, now=self.now, kinds=kinds,
                                                         limit=limit))  # fmt: skip

    def send_notices(self, channel: str, notifier: Notifier, limit: int) -> None:
        """All due operator notices of a channel in one message."""
        if channel in self.held_now:
            return
        due = self.store.due_for(channel, now=self.now, kinds=("notice",), limit=limit)
        lease = self.policy.lease
        rows = [r for r in due if self.store.claim_alert(r.id, now=self.now, lease=lease)]
        if not rows:
            return
        payload = {"kind": "notice", "items": [r.payload for r in rows]}
        key = notices.group_key([r.idempotency_key for r in rows])
        if self.attempt(notifier, rows[0], payload, key, also=rows[1:]) is None:
            self.report.notices += len(rows)

    def attempt(self, notifier: Notifier, row: OutboxRow, payload: Mapping[str, Any], key: str,
                also: list[OutboxRow] | None = None) -> DeliveryError | None:  # fmt: skip
        rows = [row, *(also or [])]
        trace.event("claimed", row.channel, key)
        try:
            notifier.send(payload, idempotency_key=key)
        except DeliveryError as exc:
            error = exc
        except Exception as exc:  # a notifier bug must not stop the other alerts
            logger.exception("notifier %s crashed on alert %d", row.channel, row.id)
            error = DeliveryError(f"{type(exc).__name__}: {exc}", transient=True)
        else:
            trace.event("sent", row.channel, key)
            try:
                for done in rows:
                    self.store.mark_sent(done.id, now=self.now)
            except Exception as exc:  # sent, not recorded: its claim runs out, then a resend
                return self._unrecorded(row, exc, "sent, but recording it failed; it goes "
                                        "out again, with the same id")  # fmt: skip
            trace.event("marked", row.channel, key)
            return None
        trace.event("failed", row.channel, key)
        for failed in rows:
            counted = (self.report.failed, self.report.dead)
            try:
                self.failed(failed, error)
            except Exception as exc:  # whatever breaks, the alert stays retryable
                self.report.failed, self.report.dead = counted
                self._unrecorded(failed, exc, "recording the attempt failed")
                self._requeue(failed)
        return error

    def _unrecorded(self, row: OutboxRow, exc: Exception, what: str) -> DeliveryError:
        """An attempt whose outcome the store did not take: not delivered, and said so."""
        logger.exception("alert %d (%s): %s", row.id, row.channel, what)
        self.report.failed += 1
        self.report.errors.append(f"alert {row.id} ({row.channel}): {what}: "
                                  f"{type(exc).__name__}: {exc}")  # fmt: skip
        return DeliveryError(f"{what}: {exc}", transient=True)

    def _requeue(self, row: OutboxRow) -> None:
        """Back to pending after the usual backoff; if the store refuses even that, the claim
        runs out after its lease and the next pass takes the alert again."""
        retry_at = self.now + self.policy.delay(row.attempts + 1)
        try:
            self.store.fail_alert(row.id, now=self.now, retry_at=retry_at,
                                  error="the outcome of an attempt could not be recorded")
        except Exception:  # logged above; the lease frees the alert
            logger.warning("alert %d stays claimed until its lease ends", row.id)

    def failed(self, row: OutboxRow, error: DeliveryError) -> None:
        self.report.errors.append(f"alert {row.id} ({row.channel}): {error.explained()}")
        if error.holds_channel:
            self.hold_channel(row, error)
            return
        failures = row.attempts + 1
        retry_at = None
        if error.transient and failures < self.policy.max_attempts:
            retry_at = self.now + self._wait(failures, error)
            self.report.failed += 1
            logger.warning("alert %d (%s) failed, retry at %s: %s",
                           row.id, row.channel, retry_at.isoformat(), error.message)  # fmt: skip
            self.store.fail_alert(row.id, now=self.now, error=error.message, retry_at=retry_at)
            return
        self.report.dead += 1
        logger.error("alert %d (%s) is dead after %d attempt(s): %s",
                     row.id, row.channel, failures, error.message)  # fmt: skip
        notice = notices.dead_notice(row, error.message, self.plan.operator, self.now)
        self.store.fail_alert(row.id, now=self.now, error=error.message, retry_at=None,
                              notice=notice)  # fmt: skip

    def _wait(self, failures: int, error: DeliveryError) -> timedelta:
        asked = error.retry_after
        if asked is None or asked != asked:  # none, or NaN
            return self.policy.delay(failures)
        # honour Retry-After, within reason: a receiver cannot hold an alert for ever
        return timedelta(seconds=min(max(asked, 1.0), self.policy.max_delay.total_seconds()))

    def hold_channel(self, row: OutboxRow, error: DeliveryError) -> None:
        """The channel failed, not the alert: the alert waits (attempt uncounted), the
        channel is held, and the operator is told once, with the fix."""
        self.report.held += 1
        self.held_now.add(row.channel)
        self.store.hold_alert(row.id, error=error.message)
        held = ChannelHold(row.channel, self.now, error.message, error.fix or "",
                           "enable" if error.disable else "probe",
                           self.fingerprints.get(row.channel, ""))  # fmt: skip
        notice = notices.held_notice(held, self.plan.operator, self.now)
        if self.store.hold_channel(held, notice=notice):
            logger.error("alert channel %s held: %s", row.channel, error.explained())


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


def with_site(row: OutboxRow) -> Mapping[str, Any]:
    """An alert's payload naming its site: rows queued before revision 0011_sites carry the
    site in their row only."""
    if row.site and row.kind in ("alert", "update") and "site" not in row.payload:
        return {**row.payload, "site": row.site}
    return row.payload
