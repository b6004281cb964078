"""Crawl run rows: started, finished with a verdict, listed newest first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from pipelines.storage.engine import StoreError
from pipelines.storage.records import FINAL_RUN_STATUSES, RunRow
from pipelines.storage.schema import runs


def start(conn: Connection, trigger: str, now: datetime) -> int:
    values = {"trigger": trigger, "started_at": now, "status": "running", "reason": "", "stats": {}}
    return int(conn.execute(insert(runs).values(values).returning(runs.c.id)).scalar_one())


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
