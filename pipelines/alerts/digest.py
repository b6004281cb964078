"""Digests: one outbox row carries many alerts (of one channel, or of a watch's own channel,
whose digest names the watch).

Daily and weekly digests close a period; a backfill digest carries, at the end of a crawl,
the alerts for articles published long before it (``alerts.backfill_age``), so a backfill of
43 old matches is one message per channel, not 43.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pipelines.alerts.policy import named
from pipelines.alerts.watches import split_route

if TYPE_CHECKING:
    from pipelines.storage import Store

logger = logging.getLogger(__name__)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: run statuses as the digest counts them ("missed" slots count as failures)
_RUN_BUCKETS = {"ok": "ok", "degraded": "degraded", "failed": "failed", "missed": "failed"}
#: outbox batch of the alerts that wait for the crawl's backfill digest
BACKFILL = "backfill"
#: alerts per backfill digest message; a bigger backfill is sent in parts
BACKFILL_PART = 200


@dataclass(frozen=True)
class DigestSchedule:
    """Digest boundaries at ``at`` local time, every day or every week on ``weekday``."""

    every: str
    at: time
    zone: ZoneInfo
    weekday: int = 0
    send_empty: bool = False

    @classmethod
    def from_settings(cls, every: str, at: str, zone: str, day: str = "monday",
                      send_empty: bool = False) -> DigestSchedule:  # fmt: skip
        if every not in ("daily", "weekly"):
            raise ValueError(f"digest mode must be daily or weekly, got {every!r}")
        hour, minute = (int(part) for part in at.split(":"))
        return cls(every, time(hour, minute), ZoneInfo(zone), WEEKDAYS.index(day), send_empty)

    @property
    def step(self) -> timedelta:
        return timedelta(days=7 if self.every == "weekly" else 1)

    def _boundary(self, day: Any) -> datetime:
        return datetime.combine(day, self.at, tzinfo=self.zone).astimezone(UTC)

    def period(self, now: datetime) -> tuple[datetime, datetime]:
        """The last closed period at ``now``: (start, end], in UTC, DST-safe (wall-clock days)."""
        day = now.astimezone(self.zone).date()
        if self.every == "weekly":
            day -= timedelta(days=(day.weekday() - self.weekday) % 7)
        if self._boundary(day) > now:
            day -= self.step
        return self._boundary(day - self.step), self._boundary(day)


def digest_key(channel: str, end: datetime) -> str:
    raw = f"digest|{channel}|{end.astimezone(UTC).isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def run_summary(store: Store, start: datetime, end: datetime) -> dict[str, int]:
    """How the period's crawls went, for the digest footer."""
    counts = {"ok": 0, "degraded": 0, "failed": 0}
    for run in store.last_runs(limit=2000):
        bucket = _RUN_BUCKETS.get(run.status)
        if bucket and start <= run.started_at < end:
            counts[bucket] += 1
    return counts


def roll_up(store: Store, channel: str, schedule: DigestSchedule, now: datetime) -> int | None:
    """Create the digest of the last closed period once; the new row's id, or None."""
    from pipelines.storage import StoreError
    from pipelines.storage.outbox import NewAlert

    start, end = schedule.period(now)
    members = store.digest_candidates(channel, before=end)
    if not members and not schedule.send_empty:
        return None
    watch = split_route(channel)[1]
    payload = named({
        "kind": "digest", "every": schedule.every, "channel": channel,
        "timezone": schedule.zone.key, "period_start": start.isoformat(),
        "period_end": end.isoformat(), "items": [_item(m) for m in members],
        "runs": run_summary(store, start, end),
    }, watch)  # fmt: skip
    digest = NewAlert(channel, digest_key(channel, end), "digest", payload, watch=watch)
    try:
        created = store.create_digest(digest, [m.id for m in members], now=now)
    except StoreError as exc:  # members changed under us: the next pass builds it
        logger.warning("digest for %s not built this time: %s", channel, exc)
        return None
    if created is not None:
        logger.info("%s digest %d for %s: %d alert(s)", schedule.every, created, channel,
                    len(members))  # fmt: skip
    return created


def _item(member: Any) -> dict[str, Any]:
    """A digest member's payload with its own alert id (the idempotency key)."""
    site = {"site": member.site} if member.site and "site" not in member.payload else {}
    return {**member.payload, **site, "id": member.idempotency_key}


def human_age(age: timedelta) -> str:
    """``2 days``, ``36 hours``, ``90 minutes``."""
    seconds = int(age.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


def roll_up_backfill(store: Store, channel: str, age: timedelta, now: datetime) -> list[int]:
    """The alerts of ``channel`` waiting for a backfill digest, in one digest row (parts of
    BACKFILL_PART for a huge backfill), newest article first; the new rows' ids."""
    from pipelines.storage import StoreError
    from pipelines.storage.outbox import NewAlert

    members = store.batch_members(channel, BACKFILL)
    members.sort(key=lambda m: str(m.payload.get("published") or ""), reverse=True)
    watch = split_route(channel)[1]
    created: list[int] = []
    for start in range(0, len(members), BACKFILL_PART):
        part = members[start : start + BACKFILL_PART]
        keys = sorted(m.idempotency_key for m in part)
        key = hashlib.sha256("|".join([BACKFILL, channel, *keys]).encode()).hexdigest()[:40]
        payload = named({
            "kind": "digest", "every": BACKFILL, "channel": channel,
            "older_than": human_age(age), "generated_at": now.isoformat(),
            "part": start // BACKFILL_PART + 1, "parts": -(-len(members) // BACKFILL_PART),
            "items": [_item(m) for m in part],
        }, watch)  # fmt: skip
        try:
            digest_id = store.create_digest(NewAlert(channel, key, "digest", payload,
                                                     watch=watch),
                                            [m.id for m in part], now=now)  # fmt: skip
        except StoreError as exc:  # members changed under us: the next crawl's pass builds it
            logger.warning("backfill digest for %s not built this time: %s", channel, exc)
            return created
        if digest_id is not None:
            created.append(digest_id)
            logger.info("backfill digest %d for %s: %d earlier article(s)", digest_id,
                        channel, len(part))  # fmt: skip
    return created
