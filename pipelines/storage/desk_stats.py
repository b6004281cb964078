"""Read queries behind the desk's Trends and Health pages: matches and runs over time, the
outbox by status and channel, discovery documents. Each reads only the window it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from pipelines.storage.desk import site_of, when_of
from pipelines.storage.outbox import OutboxRow
from pipelines.storage.outbox import _from_row as outbox_row
from pipelines.storage.schema import alert_outbox, articles, matches, runs


@dataclass(frozen=True)
class MatchPoint:
    """One match on the time axis."""

    when: datetime
    topic: str
    site: str


@dataclass(frozen=True)
class RunPoint:
    """One run on the time axis: its status and how many articles it evaluated."""

    started_at: datetime
    status: str
    evaluated: int
    discovered: int


def match_points(conn: Connection, start: datetime, end: datetime) -> list[MatchPoint]:
    """Every match listed in [start, end)."""
    when = when_of()
    stmt = (select(when.label("listed"), matches.c.topic, site_of().label("site"))
            .join(articles, articles.c.article_id == matches.c.article_id)
            .where(when >= start, when < end))  # fmt: skip
    return [MatchPoint(r.listed, r.topic, str(r.site)) for r in conn.execute(stmt)]


def run_points(conn: Connection, start: datetime, end: datetime) -> list[RunPoint]:
    """Every run (and skipped or missed slot) that started in [start, end)."""
    evaluated = runs.c.stats["evaluated"].as_integer()
    discovered = runs.c.stats["discovered"].as_integer()
    stmt = (select(runs.c.started_at, runs.c.status, evaluated.label("evaluated"),
                   discovered.label("discovered"))
            .where(runs.c.started_at >= start, runs.c.started_at < end))  # fmt: skip
    return [RunPoint(r.started_at, r.status, int(r.evaluated or 0), int(r.discovered or 0))
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

