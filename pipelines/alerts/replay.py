"""Manual delivery: replay one outbox row by id (same key) or all of them, or a test message."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from pipelines.alerts.base import Notifier
from pipelines.alerts.relay import DeliveryPlan, DeliveryReport, Relay, RetryPolicy, deliver_due

if TYPE_CHECKING:
    from pipelines.storage import Store
    from pipelines.storage.outbox import OutboxRow


class ReplayError(Exception):
    """The alert cannot be replayed, or its delivery failed; the message is one line."""


def _check(store: Store, row: OutboxRow | None, alert_id: int,
           notifiers: Mapping[str, Notifier]) -> OutboxRow:  # fmt: skip
    if row is None:
        raise ReplayError(f"no alert with id {alert_id}")
    if row.digest_id is not None:
        raise ReplayError(f"alert {alert_id} travels in digest {row.digest_id}; retry that one")
    if row.status == "sent":
        raise ReplayError(f"alert {alert_id} was already sent at {row.sent_at:%Y-%m-%d %H:%M} UTC")
    if row.status == "sending":
        raise ReplayError(f"alert {alert_id} is being delivered right now; try again later")
    if row.channel not in notifiers:
        raise ReplayError(f"channel {row.channel!r} of alert {alert_id} is not configured")
    held = store.channel_holds().get(row.channel)
    if held is not None and held.manual:
        raise ReplayError(f"channel {row.channel!r} is disabled; "
                          f"`mtwatch alerts enable {row.channel}` first")  # fmt: skip
    return row


def replay(
    store: Store,
    notifiers: Mapping[str, Notifier],
    alert_id: int,
    *,
    now: datetime,
    policy: RetryPolicy | None = None,
    plan: DeliveryPlan | None = None,
) -> OutboxRow:
    """Send a dead or pending row now, with its original idempotency key; the updated row."""
    policy = policy or RetryPolicy()
    row = _check(store, store.get_alert(alert_id), alert_id, notifiers)
    if not store.retry_alert(alert_id, now=now):
        raise ReplayError(f"alert {alert_id} is {row.status}, not pending or dead")
    if not store.claim_alert(alert_id, now=now, lease=policy.lease):
        raise ReplayError(f"alert {alert_id} was claimed by another relay")
    relay = Relay(store, now, policy, plan or DeliveryPlan())
    payload = {"kind": "notice", "items": [row.payload]} if row.kind == "notice" else row.payload
    error = relay.attempt(notifiers[row.channel], row, payload, row.idempotency_key)
    if error is not None:
        raise ReplayError(f"alert {alert_id} ({row.channel}) failed again: {error.explained()}")
    store.enable_channel(row.channel)  # it went through: a hold on its channel is over
    done = store.get_alert(alert_id)
    assert done is not None
    return done


@dataclass(frozen=True)
class BulkReplay:
    """What `alerts retry --all` did to the rows it made due: how many of them were sent, still
    wait (a held or failing channel) or died again, and what the passes reported."""

    requeued: int
    sent: int
    waiting: int
    dead: int
    errors: tuple[str, ...] = ()
    holds: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.sent == self.requeued


#: delivery passes `retry --all` makes at most (each sends up to 100 rows per channel)
_MAX_PASSES = 50


def replay_all(
    store: Store,
    notifiers: Mapping[str, Notifier],
    *,
    now: datetime,
    statuses: tuple[str, ...] = ("dead", "pending"),
    channel: str | None = None,
    policy: RetryPolicy | None = None,
    plan: DeliveryPlan | None = None,
) -> BulkReplay:
    """Every dead (and/or waiting) row due now, with its original key, then delivery passes
    until nothing more goes out. Held channels are tried, even one disabled by a 410."""
    chosen = {name: n for name, n in notifiers.items() if channel in (None, name)}
    # a digest's alerts travel with it; one waiting for a backfill digest waits for it
    rows = [row for status in statuses for row in store.outbox_rows(status=status,
                                                                    channel=channel)
            if row.channel in chosen and row.digest_id is None and row.batch is None]
    ids = [row.id for row in rows if store.retry_alert(row.id, now=now)]
    plan = replace(plan or DeliveryPlan(), probe=frozenset(chosen))
    errors: list[str] = []
    report = DeliveryReport()
    for _ in range(_MAX_PASSES):
        report = deliver_due(store, chosen, now=now, policy=policy or RetryPolicy(), plan=plan)
        errors += [e for e in report.errors if not e.startswith("no notifier for channel")]
        if not report.sent and not report.notices:
            break
        plan = replace(plan, probe=frozenset())
    after = [store.get_alert(i) for i in ids]
    statuses_now = [r.status for r in after if r is not None]
    return BulkReplay(len(ids), statuses_now.count("sent"), statuses_now.count("pending")
                      + statuses_now.count("sending"), statuses_now.count("dead"),
                      tuple(errors), tuple(report.holds))  # fmt: skip


def send_test(notifier: Notifier) -> str:
    """Send a test message now (not through the outbox); its fresh key. Raises DeliveryError."""
    key = secrets.token_hex(20)
    notifier.send({"kind": "test", "channel": notifier.channel}, idempotency_key=key)
    return key
