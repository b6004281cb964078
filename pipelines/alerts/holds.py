"""Held channels in a delivery pass: probe with one alert, lift on success, report the rest.

A channel is held when a delivery fails for a reason about the channel, not the alert (see
``DeliveryError.holds_channel``). Its alerts stay pending and keep their attempt counts; the
operator is told once. Each pass then tries one alert of every held channel first: when it
goes through, the hold lifts and the rest follow in the same pass. A channel whose endpoint
answered 410 Gone is only tried again after `mtwatch alerts enable`, new channel settings, or
`mtwatch alerts retry --all`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from pipelines.alerts.base import Notifier

if TYPE_CHECKING:
    from pipelines.alerts.relay import Relay
    from pipelines.storage.channels import ChannelHold
    from pipelines.storage.outbox import OutboxRow

logger = logging.getLogger(__name__)

#: the most rows a held channel's report counts
_COUNT_LIMIT = 10_000


def fingerprint(notifier: Notifier) -> str:
    """What identifies the channel's settings ("" when the notifier does not say)."""
    return str(getattr(notifier, "fingerprint", "") or "")


def resume(relay: Relay, channel: str, notifier: Notifier, held: ChannelHold) -> bool:
    """Whether ``channel`` may deliver in this pass: True once its hold is lifted."""
    forced = channel in relay.plan.probe
    changed = bool(held.settings) and held.settings != fingerprint(notifier)
    if held.manual:
        if not (forced or changed):
            skip(relay, channel, held)
            return False
        relay.store.enable_channel(channel)  # new settings: a new failure is a new event
        logger.warning("alert channel %s resumed (%s)", channel,
                       "retry requested" if forced else "its settings changed")  # fmt: skip
        return True
    return probe(relay, channel, notifier, held)


def probe(relay: Relay, channel: str, notifier: Notifier, held: ChannelHold) -> bool:
    """Send the first due row; lift the hold if the channel took it (or refused only it)."""
    relay.prepare(channel)
    rows = relay.store.due_for(channel, now=relay.now, kinds=(*relay.kinds(channel), "notice"),
                               limit=_COUNT_LIMIT)  # fmt: skip
    first = rows[0] if rows else None
    if first is None or not relay.store.claim_alert(first.id, now=relay.now,
                                                    lease=relay.policy.lease):  # fmt: skip
        skip(relay, channel, held)
        return False
    payload = {"kind": "notice", "items": [first.payload]} if first.kind == "notice" \
        else first.payload
    error = relay.attempt(notifier, first, payload, first.idempotency_key)
    if error is None and first.kind == "notice":
        relay.report.notices += 1
    elif error is None:
        relay.report.sent += 1
    elif error.holds_channel or error.transient:
        relay.report.held += len(rows) - 1
        return False
    relay.store.enable_channel(channel)
    logger.warning("alert channel %s works again (held since %s UTC): %d alert(s) follow",
                   channel, f"{held.since:%Y-%m-%d %H:%M}", len(rows) - 1)  # fmt: skip
    return True


def skip(relay: Relay, channel: str, held: ChannelHold) -> None:
    """Not tried this pass: count what waits and say why."""
    waiting = len(relay.store.due_for(channel, now=relay.now, limit=_COUNT_LIMIT))
    relay.report.held += waiting
    since = f"{held.since:%Y-%m-%d %H:%M} UTC"
    if held.manual:
        relay.report.errors.append(
            f"channel {channel!r} is disabled since {since} ({held.reason}): {waiting} alert(s) "
            f"held; `mtwatch alerts enable {channel}` resumes it")
    else:
        relay.report.errors.append(f"channel {channel!r} is held since {since}: {describe(held)}"
                                   f" ({waiting} alert(s) waiting)")  # fmt: skip


def describe(held: ChannelHold) -> str:
    """The reason and the fix, one line."""
    return f"{held.reason}; {held.fix}" if held.fix else held.reason


def summary(relay: Relay, channels: list[str]) -> list[str]:
    """One line per channel still held after the pass, for the run's verdict."""
    lines = []
    holds = relay.store.channel_holds()
    for channel in channels:
        held = holds.get(channel)
        if held is None:
            continue
        waiting = sum(_alerts_in(r) for r in relay.store.outbox_rows(status="pending",
                                                                    channel=channel))
        lines.append(f"alert channel {channel} held: {describe(held)} "
                     f"({waiting} alert(s) waiting)")  # fmt: skip
    return lines


def _alerts_in(row: OutboxRow) -> int:
    """How many alerts a pending row stands for: a digest carries its items."""
    if row.digest_id is not None or row.kind == "notice":
        return 0  # travels in its digest (counted there) / not an alert
    if row.kind == "digest":
        return len(row.payload.get("items") or [])
    return 1
