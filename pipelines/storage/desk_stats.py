"""Read queries behind the desk's Trends and Health pages: matches and runs over time, the
outbox by status and channel, discovery documents. Each reads only the window it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from pipelines.storage.desk import site_of, when_of
from pipelines.storage.outbox import OutboxRow
from pipelines.storage.outbox import _from_row as outbox_row
from pipelines.storage.schema import alert_outbox, articles, matches, runs


@dataclass(frozen=True)
class MatchPoint:
    """The matches of one (UTC day, topic, site)."""

    day: date
    topic: str
    site: str
    count: int


@dataclass(frozen=True)
class RunPoint:
    """The runs of one (UTC day, status), and how many articles they evaluated."""

    day: date
    status: str
    count: int
    evaluated: int


def day_of(conn: Connection, column: ColumnElement[datetime]) -> ColumnElement[Any]:
    """The UTC calendar day of a stored instant, computed by the database."""
    if conn.dialect.name == "sqlite":
        return func.date(column)  # SQLite keeps naive UTC text
    return cast(func.timezone("UTC", column), Date)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def match_points(conn: Connection, start: datetime, end: datetime) -> list[MatchPoint]:
    """Matches listed in [start, end), counted per day, topic and site."""
    when = when_of()
    day, site = day_of(conn, when).label("day"), site_of().label("site")
    stmt = (select(day, matches.c.topic, site, func.count().label("n"))
            .join(articles, articles.c.article_id == matches.c.article_id)
            .where(when >= start, when < end)
            .group_by(day, matches.c.topic, site))  # fmt: skip
    return [MatchPoint(_day(r.day), r.topic, str(r.site), int(r.n)) for r in conn.execute(stmt)]


def run_points(conn: Connection, start: datetime, end: datetime) -> list[RunPoint]:
    """Runs (and skipped or missed slots) started in [start, end), per day and status."""
    day = day_of(conn, runs.c.started_at).label("day")
    evaluated = func.sum(runs.c.stats["evaluated"].as_integer()).label("evaluated")
    stmt = (select(day, runs.c.status, func.count().label("n"), evaluated)
            .where(runs.c.started_at >= start, runs.c.started_at < end)
            .group_by(day, runs.c.status))  # fmt: skip
    return [RunPoint(_day(r.day), r.status, int(r.n), int(r.evaluated or 0))
            for r in conn.execute(stmt)]


def outbox_counts(conn: Connection) -> dict[tuple[str, str], int]:
    """Outbox rows by (channel, status)."""
    o = alert_outbox.c
    stmt = select(o.channel, o.status, func.count()).group_by(o.channel, o.status)
    return {(str(c), str(s)): int(n) for c, s, n in conn.execute(stmt)}


def outbox_waiting(conn: Connection, limit: int) -> list[OutboxRow]:
    """Alerts that are not sent: dead first, then the pending ones due soonest."""
    o = alert_outbox.c
    dead = (select(alert_outbox).where(o.status == "dead")
            .order_by(o.id.desc()).limit(limit))  # fmt: skip
    rest = (select(alert_outbox).where(o.status.in_(["pending", "sending"]))
            .order_by(o.next_attempt_at, o.id).limit(limit))  # fmt: skip
    found = [outbox_row(r) for r in conn.execute(dead).mappings()]
    found += [outbox_row(r) for r in conn.execute(rest).mappings()]
    return found[:limit]


def article_counts(conn: Connection) -> dict[str, int]:
    """Stored articles by state (discovered, fetched, extracted, evaluated)."""
    stmt = select(articles.c.state, func.count()).group_by(articles.c.state)
    return {str(state): int(n) for state, n in conn.execute(stmt)}


def headline_of(conn: Connection, match_ids: list[int]) -> dict[int, tuple[int, str]]:
    """(article id, headline) of each match id."""
    if not match_ids:
        return {}
    stmt = (select(matches.c.id, articles.c.article_id, articles.c.headline)
            .join(articles, articles.c.article_id == matches.c.article_id)
            .where(matches.c.id.in_(match_ids[:500])))  # fmt: skip
    return {int(r.id): (int(r.article_id), r.headline or "") for r in conn.execute(stmt)}

