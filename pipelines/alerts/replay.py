"""Manual delivery: replay one outbox row by id (same key), or send a test message."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from pipelines.alerts.base import Notifier
from pipelines.alerts.relay import DeliveryPlan, Relay, RetryPolicy

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


def send_test(notifier: Notifier) -> str:
    """Send a test message now (not through the outbox); its fresh key. Raises DeliveryError."""
    key = secrets.token_hex(20)
    notifier.send({"kind": "test", "channel": notifier.channel}, idempotency_key=key)
    return key
