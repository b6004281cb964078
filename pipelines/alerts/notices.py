"""Operator notices: a dead alert or a held channel, reported through another channel."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.storage.channels import ChannelHold
    from pipelines.storage.outbox import NewAlert, OutboxRow


def operator_channel(operator: Sequence[str], failing: str) -> str | None:
    """The first operator channel that is not the failing one."""
    return next((name for name in operator if name != failing), None)


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]


def _new(channel: str, key: str, payload: dict[str, Any]) -> NewAlert:
    from pipelines.storage.outbox import NewAlert

    return NewAlert(channel=channel, key=key, kind="notice", payload=payload)


def dead_notice(
    row: OutboxRow, error: str, operator: Sequence[str], now: datetime
) -> NewAlert | None:
    """The notice for an alert that just died; None for notices or without an operator."""
    channel = operator_channel(operator, row.channel)
    if channel is None or row.kind == "notice":
        return None
    about = row.payload.get("headline") or f"{row.kind} {row.idempotency_key}"
    payload = {
        "kind": "notice", "event": "dead", "channel": row.channel, "alert_id": row.id,
        "key": row.idempotency_key, "error": error[:500], "headline": str(about),
        "url": str(row.payload.get("url") or ""), "at": now.isoformat(),
    }  # fmt: skip
    # a row that dies again after a manual retry is a new event: attempts differ
    return _new(channel, _key("dead", row.channel, row.id, row.attempts + 1), payload)


def held_notice(
    held: ChannelHold, operator: Sequence[str], now: datetime
) -> NewAlert | None:
    """The notice for a channel that was just held ("disabled" when only the operator can
    resume it), with what to do; None without another operator channel."""
    channel = operator_channel(operator, held.channel)
    if channel is None:
        return None
    event = "disabled" if held.manual else "held"
    about = held.fix or f"run `mtwatch alerts enable {held.channel}` once it is fixed"
    payload = {
        "kind": "notice", "event": event, "channel": held.channel, "error": held.reason[:500],
        "about": about[:500], "at": now.isoformat(),
    }  # fmt: skip
    return _new(channel, _key(event, held.channel, held.since.isoformat()), payload)


def group_key(keys: Sequence[str]) -> str:
    """One key for a message carrying several notices (the key itself when there is one)."""
    return keys[0] if len(keys) == 1 else _key("notices", *sorted(keys))
