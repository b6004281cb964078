"""Backfill horizons: the months of monthly sitemaps a backfill covers, and how far it got.

A horizon is written before its first sitemap is read and is finished once every month it
covers has been *walked* (its sitemap read and every article it lists written to the store).
Runs that are killed or interrupted leave it unfinished; the next run continues it. The record
and its transitions are pure; the functions below read and write ``backfills`` rows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from pipelines.storage.database import StoreError
from pipelines.storage.records import DEFAULT_SITE
from pipelines.storage.schema import BACKFILL_TRIGGERS, backfills


def month_key(year: int, month: int) -> str:
    """``2023-05``: how a month is named in a horizon (sorts like the calendar)."""
    return f"{year:04d}-{month:02d}"


def months_between(start: date, end: date) -> tuple[str, ...]:
    """Every month from ``start``'s to ``end``'s, newest first."""
    out: list[str] = []
    index, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    while index <= last:
        out.append(month_key(index // 12, index % 12 + 1))
        index += 1
    return tuple(reversed(out))


@dataclass(frozen=True)
class Backfill:
    """One horizon: ``since`` up to the month it started in, and the months walked so far."""

    trigger: str
    since: date
    reason: str
    #: every month covered, newest first ("YYYY-MM")
    months: tuple[str, ...]
    walked: frozenset[str]
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    id: int | None = None
    #: the site whose sitemaps the horizon walks
    site: str = DEFAULT_SITE

    def __post_init__(self) -> None:
        if self.trigger not in BACKFILL_TRIGGERS:
            raise ValueError(f"trigger must be one of {BACKFILL_TRIGGERS}, got {self.trigger!r}")

    @classmethod
    def start(cls, trigger: str, since: date, reason: str, *, today: date, now: datetime,
              site: str = DEFAULT_SITE) -> Backfill:
        """A new horizon of ``site`` covering every month from ``since`` to ``today``."""
        return cls(trigger, since, reason, months_between(since, max(since, today)),
                   frozenset(), now, now, site=site)._settled(now)

    @property
    def left(self) -> tuple[str, ...]:
        """The months still to walk, newest first."""
        return tuple(m for m in self.months if m not in self.walked)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    def walk(self, month: str, now: datetime) -> Backfill:
        """``month``'s sitemap was read and all it lists is stored."""
        if month not in self.months or month in self.walked:
            return self
        return replace(self, walked=self.walked | {month}, updated_at=now)._settled(now)

    def fit(self, listed: Collection[str], now: datetime) -> Backfill:
        """Drop the months the site has no sitemap for: before the oldest month its index lists
        or after the newest (a month missing in between stays: it is asked for by its URL)."""
        if not listed:
            return self
        oldest, newest = min(listed), max(listed)
        kept = tuple(m for m in self.months if oldest <= m <= newest or m in self.walked)
        if kept == self.months:
            return self
        return replace(self, months=kept, updated_at=now)._settled(now)

    def widen(self, since: date, reason: str, now: datetime) -> Backfill:
        """Start earlier (a second feed overflowed further back)."""
        if since >= self.since:
            return self
        months = tuple(sorted({*self.months, *months_between(since, self.since)}, reverse=True))
        return replace(self, since=since, reason=reason, months=months, updated_at=now,
                       finished_at=None)._settled(now)

    def _settled(self, now: datetime) -> Backfill:
        if self.left or self.finished:
            return self
        return replace(self, finished_at=now)

    def walked_count(self) -> str:
        """``14 of 42 months walked``."""
        return f"{len(self.walked & set(self.months))} of {len(self.months)} months walked"

    def progress(self) -> str:
        """``backfill since 2023-01-01 unfinished: 14 of 42 months walked`` (or finished)."""
        state = "finished" if self.finished else "unfinished"
        return f"backfill since {self.since.isoformat()} {state}: {self.walked_count()}"


# ---- rows ---------------------------------------------------------------------------------


def _values(b: Backfill) -> dict[str, Any]:
    walked = [m for m in b.months if m in b.walked]
    return {"trigger": b.trigger, "since": b.since, "reason": b.reason, "months": list(b.months),
            "walked": walked, "months_total": len(b.months), "months_walked": len(walked),
            "started_at": b.started_at, "updated_at": b.updated_at, "finished_at": b.finished_at,
            "site": b.site}


def _from_row(row: Any) -> Backfill:
    return Backfill(trigger=row.trigger, since=row.since, reason=row.reason,
                    months=tuple(row.months), walked=frozenset(row.walked),
                    started_at=row.started_at, updated_at=row.updated_at,
                    finished_at=row.finished_at, id=int(row.id), site=row.site)


def save(conn: Connection, b: Backfill) -> Backfill:
    """Insert a new horizon (it gets its id) or write an existing one's progress."""
    if b.id is None:
        new_id = conn.execute(insert(backfills).values(_values(b)).returning(backfills.c.id))
        return replace(b, id=int(new_id.scalar_one()))
    changed = conn.execute(update(backfills).where(backfills.c.id == b.id).values(_values(b)))
    if changed.rowcount != 1:
        raise StoreError(f"no backfill with id {b.id}")
    return b


def unfinished(conn: Connection, site: str = DEFAULT_SITE) -> list[Backfill]:
    """Every horizon of ``site`` not walked to the end yet, oldest first."""
    stmt = (select(backfills).where(backfills.c.finished_at.is_(None), backfills.c.site == site)
            .order_by(backfills.c.id))
    return [_from_row(row) for row in conn.execute(stmt)]


def recent(conn: Connection, limit: int, site: str | None = None) -> list[Backfill]:
    """The newest horizons (of ``site``; None: of every site), finished or not, newest first."""
    stmt = select(backfills).order_by(backfills.c.id.desc()).limit(limit)
    if site is not None:
        stmt = stmt.where(backfills.c.site == site)
    return [_from_row(row) for row in conn.execute(stmt)]
