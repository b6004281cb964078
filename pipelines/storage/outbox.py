"""The alert outbox: due rows, exclusive claims with a lease, and delivery outcomes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from pipelines.storage.engine import StoreError
from pipelines.storage.records import ALERT_STATUSES, AlertRow, require_aware
from pipelines.storage.schema import alert_outbox

#: how much of a delivery error is kept in last_error
MAX_ERROR_CHARS = 2000

_t = alert_outbox.c


def _claimable(now: datetime) -> ColumnElement[bool]:
    """Pending and due, or stuck in 'sending' after its lease ran out (a crashed relay)."""
    return or_(
        and_(_t.status == "pending", _t.next_attempt_at <= now),
        and_(_t.status == "sending", _t.lease_until <= now),
    )


def due(conn: Connection, now: datetime, channel: str | None, limit: int) -> list[AlertRow]:
    stmt = select(alert_outbox).where(_claimable(now)).order_by(_t.next_attempt_at, _t.id)
    if channel is not None:
        stmt = stmt.where(_t.channel == channel)
    return [_from_row(row) for row in conn.execute(stmt.limit(limit)).mappings()]


def claim(conn: Connection, alert_id: int, now: datetime, lease: timedelta) -> bool:
    """pending → sending; a conditional UPDATE, so exactly one concurrent claimer wins."""
    if lease <= timedelta(0):
        raise ValueError("lease must be positive")
    stmt = (
        update(alert_outbox)
        .where(_t.id == alert_id, _claimable(now))
        .values(status="sending", lease_until=now + lease)
    )
    return conn.execute(stmt).rowcount == 1


def mark_sent(conn: Connection, alert_id: int, now: datetime) -> None:
    values = {"status": "sent", "sent_at": now, "lease_until": None, "attempts": _t.attempts + 1}
    _update_one(conn, alert_id, values)


def mark_failed(
    conn: Connection, alert_id: int, now: datetime, error: str, retry_at: datetime | None
) -> None:
    """Record a failed attempt: back to pending at ``retry_at``, or 'dead' when None."""
    require_aware("retry_at", retry_at)
    values: dict[str, object] = {
        "status": "pending" if retry_at is not None else "dead",
        "attempts": _t.attempts + 1,
        "last_error": error[:MAX_ERROR_CHARS],
        "lease_until": None,
    }
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    _update_one(conn, alert_id, values)


def requeue(conn: Connection, alert_id: int, now: datetime) -> bool:
    """A dead row back to pending, due now (manual replay). False if it is not dead."""
    stmt = (
        update(alert_outbox)
        .where(_t.id == alert_id, _t.status == "dead")
        .values(status="pending", next_attempt_at=now, lease_until=None)
    )
    return conn.execute(stmt).rowcount == 1


def list_alerts(conn: Connection, status: str | None) -> list[AlertRow]:
    stmt = select(alert_outbox).order_by(_t.id)
    if status is not None:
        if status not in ALERT_STATUSES:
            raise ValueError(f"status must be one of {ALERT_STATUSES}, got {status!r}")
        stmt = stmt.where(_t.status == status)
    return [_from_row(row) for row in conn.execute(stmt).mappings()]


def _update_one(conn: Connection, alert_id: int, values: dict[str, object]) -> None:
    if conn.execute(update(alert_outbox).where(_t.id == alert_id).values(values)).rowcount != 1:
        raise StoreError(f"no alert with id {alert_id}")


def _from_row(row: RowMapping) -> AlertRow:
    return AlertRow(
        id=int(row["id"]),
        channel=row["channel"],
        idempotency_key=row["idempotency_key"],
        status=row["status"],
        attempts=int(row["attempts"]),
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
        payload=dict(row["payload"]),
        created_at=row["created_at"],
        sent_at=row["sent_at"],
        lease_until=row["lease_until"],
    )
