"""Held alert channels: a failure about the channel, not the alert, holds all of its alerts.

One row per held channel. ``resume`` says what lifts the hold: "probe" (every delivery pass
tries one alert; when it goes through, the hold lifts) or "enable" (the endpoint asked never
to be called again, HTTP 410: only `mtwatch alerts enable` or new channel settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, RowMapping

from pipelines.storage.dialects import insert_new
from pipelines.storage.schema import alert_channels

#: how much of a reason or fix is kept
MAX_TEXT = 2000
RESUME_MODES = ("probe", "enable")


@dataclass(frozen=True)
class ChannelHold:
    """Why a channel is held, since when, what fixes it and how it resumes."""

    channel: str
    since: datetime
    reason: str
    fix: str = ""
    resume: str = "probe"
    #: fingerprint of the channel's settings when it was held ("" when unknown)
    settings: str = ""

    def __post_init__(self) -> None:
        if self.resume not in RESUME_MODES:
            raise ValueError(f"resume must be one of {RESUME_MODES}, got {self.resume!r}")

    @property
    def manual(self) -> bool:
        """Only an operator (or new settings) resumes it: the relay does not probe it."""
        return self.resume == "enable"


def hold(conn: Connection, held: ChannelHold) -> bool:
    """Hold a channel; False if it already was (the first reason and fix are kept)."""
    values = {
        "channel": held.channel, "disabled_at": held.since, "reason": held.reason[:MAX_TEXT],
        "fix": held.fix[:MAX_TEXT], "resume": held.resume, "settings": held.settings[:64],
    }  # fmt: skip
    return insert_new(conn, alert_channels, values, ["channel"]) is not None


def lift(conn: Connection, channel: str) -> bool:
    """Resume a channel; False if it was not held."""
    stmt = delete(alert_channels).where(alert_channels.c.channel == channel)
    return conn.execute(stmt).rowcount == 1


def holds(conn: Connection) -> dict[str, ChannelHold]:
    rows = conn.execute(select(alert_channels).order_by(alert_channels.c.channel)).mappings()
    return {row["channel"]: _hold(row) for row in rows}


def _hold(row: RowMapping) -> ChannelHold:
    return ChannelHold(row["channel"], row["disabled_at"], row["reason"], row["fix"] or "",
                       row["resume"] or "enable", row["settings"] or "")
