"""Crawl run rows (started, finished, skipped or missed) and the daemon's ops_state values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from pipelines.storage.database import StoreError
from pipelines.storage.dialects import insert_new
from pipelines.storage.records import DEFAULT_SITE, FINAL_RUN_STATUSES, RunRow
from pipelines.storage.schema import (
    SCHEDULER_RUN_STATUSES,
    alert_outbox,
    articles,
    matches,
    ops_state,
    run_sites,
    runs,
)

#: a crawl that ran and read the site: the dead-man's switch resets on these
SUCCESS_STATUSES = ("ok", "degraded")


def start(conn: Connection, trigger: str, now: datetime,
          sites: Sequence[str] = (DEFAULT_SITE,)) -> int:
    """A running crawl of ``sites``; its id."""
    values = {"trigger": trigger, "started_at": now, "status": "running", "reason": "", "stats": {}}
    run_id = int(conn.execute(insert(runs).values(values).returning(runs.c.id)).scalar_one())
    _add_sites(conn, run_id, sites)
    return run_id


def _add_sites(conn: Connection, run_id: int, sites: Sequence[str]) -> None:
    rows = [{"run_id": run_id, "site": site} for site in dict.fromkeys(sites)]
    if rows:
        conn.execute(insert(run_sites), rows)


def sites_of(conn: Connection, run_ids: Sequence[int]) -> dict[int, list[str]]:
    """The sites each of ``run_ids`` covered, by name."""
    found: dict[int, list[str]] = {run_id: [] for run_id in run_ids}
    if run_ids:
        stmt = (select(run_sites.c.run_id, run_sites.c.site)
                .where(run_sites.c.run_id.in_(list(run_ids))).order_by(run_sites.c.site))
        for run_id, site in conn.execute(stmt):
            found[int(run_id)].append(str(site))
    return found


def last_of_site(conn: Connection, site: str) -> RunRow | None:
    """The newest run that covered ``site``."""
    stmt = (select(runs).join(run_sites, run_sites.c.run_id == runs.c.id)
            .where(run_sites.c.site == site)
            .order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(1))
    row = conn.execute(stmt).mappings().first()
    return None if row is None else RunRow(
        id=int(row["id"]), trigger=row["trigger"], started_at=row["started_at"],
        finished_at=row["finished_at"], status=row["status"], reason=row["reason"],
        stats=dict(row["stats"]))


def finish(
    conn: Connection,
    run_id: int,
    now: datetime,
    status: str,
    reason: str,
    stats: Mapping[str, Any],
) -> None:
    if status not in FINAL_RUN_STATUSES:
        raise ValueError(f"status must be one of {FINAL_RUN_STATUSES}, got {status!r}")
    values = {"finished_at": now, "status": status, "reason": reason, "stats": dict(stats)}
    if conn.execute(update(runs).where(runs.c.id == run_id).values(values)).rowcount != 1:
        raise StoreError(f"no run with id {run_id}")


def record_slot(conn: Connection, trigger: str, now: datetime, status: str, reason: str,
                sites: Sequence[str] = (DEFAULT_SITE,)) -> int:
    """A schedule slot that ran no crawl (skipped, missed, or failed to start): one row."""
    if status not in (*SCHEDULER_RUN_STATUSES, "failed"):
        raise ValueError(f"status must be skipped, missed or failed, got {status!r}")
    values = {"trigger": trigger, "started_at": now, "finished_at": now, "status": status,
              "reason": reason, "stats": {}}
    run_id = int(conn.execute(insert(runs).values(values).returning(runs.c.id)).scalar_one())
    _add_sites(conn, run_id, sites)
    return run_id


def fail(conn: Connection, run_id: int, now: datetime, reason: str, *, only_open: bool) -> bool:
    """Mark a run failed (a killed crawl could not say so itself); True if a row changed."""
    stmt = update(runs).where(runs.c.id == run_id)
    if only_open:
        stmt = stmt.where(runs.c.status == "running")
    values = {"finished_at": now, "status": "failed", "reason": reason}
    return bool(conn.execute(stmt.values(values)).rowcount == 1)


def fail_open(conn: Connection, now: datetime, reason: str) -> int:
    """Close every 'running' row: called under the crawl lock, so none of them is alive."""
    stmt = (update(runs).where(runs.c.status == "running")
            .values(finished_at=now, status="failed", reason=reason))
    return int(conn.execute(stmt).rowcount)


def last(conn: Connection, limit: int) -> list[RunRow]:
    stmt = select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
    return [
        RunRow(
            id=int(row["id"]),
            trigger=row["trigger"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            status=row["status"],
            reason=row["reason"],
            stats=dict(row["stats"]),
        )
        for row in conn.execute(stmt).mappings()
    ]


def _finished(since: datetime, site: str | None, before: tuple[datetime, int] | None
              ) -> list[ColumnElement[bool]]:
    """Crawls (of ``site``) finished after ``since``; ``before``: only those after the run
    (finished_at, id) in the order newest first."""
    where = [runs.c.finished_at > since, runs.c.status.in_(FINAL_RUN_STATUSES)]
    if site is not None:
        where.append(runs.c.id.in_(select(run_sites.c.run_id).where(run_sites.c.site == site)))
    if before is not None:
        where.append(or_(runs.c.finished_at < before[0],
                         and_(runs.c.finished_at == before[0], runs.c.id < before[1])))
    return where


def _count(key: str) -> ColumnElement[int]:
    """A count of the run's stats read in SQL (0 when missing): the counts are integers."""
    return func.coalesce(runs.c.stats[key].as_integer(), 0)


def finished_since(conn: Connection, since: datetime, limit: int, site: str | None = None,
                   before: tuple[datetime, int] | None = None) -> list[RunRow]:
    """Crawls (of ``site``; None: of any site) that finished after ``since``, newest first
    (the coverage monitors' history); ``before``: those after that (finished_at, id)."""
    stmt = select(runs).where(*_finished(since, site, before))
    stmt = stmt.order_by(runs.c.finished_at.desc(), runs.c.id.desc()).limit(limit)
    return [RunRow(id=int(row["id"]), trigger=row["trigger"], started_at=row["started_at"],
                   finished_at=row["finished_at"], status=row["status"], reason=row["reason"],
                   stats=dict(row["stats"])) for row in conn.execute(stmt).mappings()]


@dataclass(frozen=True)
class FinishedDay:
    """The crawls that finished in one 24 h span (see ``finished_by_day``)."""

    runs: int
    #: their "first seen" count, backfills left out
    first_seen: int
    started: datetime | None


def finished_by_day(conn: Connection, since: datetime, site: str | None, end: datetime,
                    days: int) -> list[FinishedDay]:
    """Per span k (0..``days``) of the crawls finished in (end - (k+1) days, end - k days]
    and after ``since``: how many, their first-seen count (backfills left out), the earliest
    start; summed in SQL, so the rows read stay ``days + 1`` however many runs there are."""
    day = timedelta(days=1)
    span = case(*[(and_(runs.c.finished_at > end - (k + 1) * day,
                        runs.c.finished_at <= end - k * day), k) for k in range(days + 1)],
                else_=-1)
    first = case((_count("backfill") != 0, 0), else_=_count("first seen"))
    rows = (select(span.label("k"), first.label("first"), runs.c.started_at)
            .where(*_finished(since, site, None)).subquery())
    stmt = (select(rows.c.k, func.count(), func.sum(rows.c.first), func.min(rows.c.started_at))
            .group_by(rows.c.k))
    found = [FinishedDay(0, 0, None) for _ in range(days + 1)]
    for k, n, first_seen, started in conn.execute(stmt):
        if 0 <= int(k) <= days:
            found[int(k)] = FinishedDay(int(n), int(first_seen or 0), started)
    return found


def with_bodies(conn: Connection, since: datetime, site: str | None,
                before: tuple[datetime, int] | None, tripped: str, limit: int
                ) -> list[RunRow]:
    """The newest ``limit`` crawls (after ``before``) that ended ok or degraded, evaluated
    articles and did not trip the monitor marked ``tripped``: only their evaluated count and
    median body in ``stats`` (the body-length monitor's earlier runs)."""
    evaluated, median = _count("evaluated"), _count("median body chars")
    stmt = (select(runs.c.id, runs.c.trigger, runs.c.started_at, runs.c.finished_at,
                   runs.c.status, evaluated.label("evaluated"), median.label("median"))
            .where(*_finished(since, site, before), runs.c.status.in_(("ok", "degraded")),
                   evaluated != 0, _count(tripped) == 0)
            .order_by(runs.c.finished_at.desc(), runs.c.id.desc()).limit(limit))
    return [RunRow(id=int(row.id), trigger=row.trigger, started_at=row.started_at,
                   finished_at=row.finished_at, status=row.status, reason="",
                   stats={"evaluated": int(row.evaluated), "median body chars": int(row.median)})
            for row in conn.execute(stmt)]


def last_success(conn: Connection) -> datetime | None:
    """When the newest successful crawl finished: ok, or degraded but it did read the site
    (a run that discovered nothing, e.g. robots.txt answering 503, read nothing)."""
    stmt = (select(runs.c.finished_at, runs.c.status, runs.c.stats)
            .where(runs.c.status.in_(SUCCESS_STATUSES), runs.c.finished_at.is_not(None))
            .order_by(runs.c.finished_at.desc()).limit(500))
    for finished, status, stats in conn.execute(stmt):
        if status == "ok" or int((stats or {}).get("discovered") or 0) > 0:
            return finished  # type: ignore[no-any-return]
    return None


def status_counts(conn: Connection) -> dict[str, int]:
    stmt = select(runs.c.status, func.count()).group_by(runs.c.status)
    return {str(status): int(n) for status, n in conn.execute(stmt)}


def alert_counts(conn: Connection) -> dict[str, int]:
    """Outbox rows by status, for health output (pending, sending, sent, dead)."""
    stmt = select(alert_outbox.c.status, func.count()).group_by(alert_outbox.c.status)
    return {str(status): int(n) for status, n in conn.execute(stmt)}


def get_state(conn: Connection, key: str) -> dict[str, Any] | None:
    value = conn.execute(select(ops_state.c.value).where(ops_state.c.key == key)).scalar()
    return dict(value) if value is not None else None


def put_state(conn: Connection, key: str, value: Mapping[str, Any], now: datetime) -> None:
    row = {"key": key, "value": dict(value), "updated_at": now}
    if insert_new(conn, ops_state, row, ["key"]) is None:
        conn.execute(update(ops_state).where(ops_state.c.key == key)
                     .values(value=dict(value), updated_at=now))


@dataclass(frozen=True)
class Progress:
    """A crawl's work so far, read from the store (the crawl itself may have been killed)."""

    evaluated: int
    new_matches: int
    #: articles discovered and not evaluated yet, not given up: the next run fetches them
    queued: int


def progress(conn: Connection, since: datetime, max_failures: int,
             site: str | None = DEFAULT_SITE) -> Progress:
    """``site``'s (None: every site's) articles and matches since ``since``."""
    def count(table: Any, *where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(*where))
                   .scalar_one())

    article_site = [] if site is None else [articles.c.site == site]
    match_site = [] if site is None else [matches.c.site == site]
    return Progress(
        evaluated=count(articles, articles.c.state == "evaluated", articles.c.fetched_at >= since,
                        *article_site),
        new_matches=count(matches, matches.c.matched_at >= since, *match_site),
        queued=count(articles, articles.c.state != "evaluated",
                     articles.c.failures < max_failures, *article_site))
