"""The alert outbox: due rows, exclusive claims with a lease, outcomes, digests, channels."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from pipelines.storage.database import StoreError
from pipelines.storage.dialects import insert_new
from pipelines.storage.records import ALERT_STATUSES, AlertRow, require_aware
from pipelines.storage.schema import alert_outbox

#: how much of a delivery error is kept in last_error
MAX_ERROR_CHARS = 2000
HOST = socket.gethostname()

_t = alert_outbox.c


@dataclass(frozen=True)
class OutboxRow(AlertRow):
    """An AlertRow with what 0.2 added: its kind, the alert it updates, its digest."""

    kind: str = "alert"
    refers_to: str | None = None
    digest_id: int | None = None
    match_id: int | None = None
    #: "backfill": waits for the crawl's backfill digest instead of going out on its own
    batch: str | None = None
    #: the site of the match it is about (None: a digest, a notice)
    site: str | None = None
    #: the watch it belongs to ("": the implicit watch, an operator notice)
    watch: str = ""


_ROW_FIELDS = tuple(f.name for f in fields(OutboxRow))


@dataclass(frozen=True)
class NewAlert:
    """An outbox row to insert: an update, a digest or an operator notice."""

    channel: str
    key: str
    kind: str
    payload: dict[str, Any]
    refers_to: str | None = None
    match_id: int | None = None
    batch: str | None = None
    #: the site of the match it is about (None: a digest, a notice)
    site: str | None = None
    #: the watch it belongs to ("": the implicit watch, an operator notice)
    watch: str = ""


def insert(conn: Connection, row: NewAlert, due: datetime, now: datetime) -> int | None:
    """Insert one pending row due at ``due``; None when (key, channel) exists already."""
    values = {
        "match_id": row.match_id, "channel": row.channel, "idempotency_key": row.key,
        "kind": row.kind, "refers_to": row.refers_to, "status": "pending", "attempts": 0,
        "next_attempt_at": due, "payload": row.payload, "created_at": now, "batch": row.batch,
        "site": row.site, "watch": row.watch,
    }  # fmt: skip
    found = insert_new(conn, alert_outbox, values, ["idempotency_key", "channel"])
    return None if found is None else int(found)


def _claimable(now: datetime) -> ColumnElement[bool]:
    """Pending and due (and not carried by a digest nor waiting for one), or 'sending' past
    its lease (a crash)."""
    return or_(
        and_(_t.status == "pending", _t.next_attempt_at <= now, _t.digest_id.is_(None),
             _t.batch.is_(None)),
        and_(_t.status == "sending", _t.lease_until <= now),
    )


def due(conn: Connection, now: datetime, channel: str | None, limit: int) -> list[AlertRow]:
    found: list[AlertRow] = []
    found.extend(due_rows(conn, now, channel, limit))
    return found


def due_rows(
    conn: Connection,
    now: datetime,
    channel: str | None,
    limit: int,
    kinds: Sequence[str] | None = None,
) -> list[OutboxRow]:
    stmt = select(alert_outbox).where(_claimable(now)).order_by(_t.next_attempt_at, _t.id)
    if channel is not None:
        stmt = stmt.where(_t.channel == channel)
    if kinds is not None:
        stmt = stmt.where(_t.kind.in_(list(kinds)))
    return [_from_row(row) for row in conn.execute(stmt.limit(limit)).mappings()]


def claim(conn: Connection, alert_id: int, now: datetime, lease: timedelta) -> bool:
    """pending → sending; a conditional UPDATE, so exactly one concurrent claimer wins."""
    if lease <= timedelta(0):
        raise ValueError("lease must be positive")
    stmt = (
        update(alert_outbox)
        .where(_t.id == alert_id, _claimable(now))
        .values(status="sending", lease_until=now + lease, claimed_by=claimer())
    )
    return conn.execute(stmt).rowcount == 1


def claimer() -> str:
    """Who holds a claim: this host and process (read at claim time: a fork has its own pid)."""
    return f"{HOST}:{os.getpid()}"


def claimer_alive(holder: str | None) -> bool:
    """False only for a claim made on this host by a process that no longer exists."""
    host, _, pid = (holder or "").rpartition(":")
    if host != HOST or not pid.isdigit():
        return True  # another machine's claim: its lease decides
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def dead_claims(conn: Connection, now: datetime) -> list[tuple[int, str]]:
    """(id, holder) of 'sending' rows within their lease whose holder process died (kill -9)."""
    live = select(_t.id, _t.claimed_by).where(_t.status == "sending", _t.lease_until > now)
    return [(int(row.id), str(row.claimed_by)) for row in conn.execute(live).all()
            if not claimer_alive(row.claimed_by)]  # fmt: skip


def release(conn: Connection, claims: Sequence[tuple[int, str]]) -> int:
    """Those rows back to pending at once, not after the lease. The holder may have sent
    before it died: the next attempt is then a redelivery with the same key."""
    released = 0
    for alert_id, holder in claims:
        stmt = (
            update(alert_outbox)
            .where(_t.id == alert_id, _t.status == "sending", _t.claimed_by == holder)
            .values(status="pending", lease_until=None, claimed_by=None)
        )
        released += conn.execute(stmt).rowcount
    return released


def mark_sent(conn: Connection, alert_id: int, now: datetime) -> None:
    values = {"status": "sent", "sent_at": now, "lease_until": None, "attempts": _t.attempts + 1}
    _update_one(conn, alert_id, values)
    _members(conn, alert_id, {"status": "sent", "sent_at": now})


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
    if retry_at is None:
        _members(conn, alert_id, {"status": "dead", "last_error": f"its digest {alert_id} died"})


def hold_alert(conn: Connection, alert_id: int, error: str) -> None:
    """A failed attempt that was about the channel: pending again, the attempt not counted."""
    values: dict[str, object] = {"status": "pending", "last_error": error[:MAX_ERROR_CHARS],
                                  "lease_until": None}
    _update_one(conn, alert_id, values)


def requeue(conn: Connection, alert_id: int, now: datetime) -> bool:
    """A dead row back to pending, due now (manual replay). False if it is not dead."""
    stmt = (
        update(alert_outbox)
        .where(_t.id == alert_id, _t.status == "dead")
        .values(status="pending", next_attempt_at=now, lease_until=None)
    )
    if conn.execute(stmt).rowcount != 1:
        return False
    _members(conn, alert_id, {"status": "pending"})
    return True


def hurry(conn: Connection, alert_id: int, now: datetime) -> bool:
    """A pending row due now instead of at its backoff time (and on its own, if it waited for
    a backfill digest). False if it is not pending."""
    stmt = (
        update(alert_outbox)
        .where(_t.id == alert_id, _t.status == "pending", _t.digest_id.is_(None))
        .values(next_attempt_at=now, batch=None)
    )
    return conn.execute(stmt).rowcount == 1


def get(conn: Connection, alert_id: int) -> OutboxRow | None:
    row = conn.execute(select(alert_outbox).where(_t.id == alert_id)).mappings().one_or_none()
    return None if row is None else _from_row(row)


def list_alerts(conn: Connection, status: str | None) -> list[AlertRow]:
    found: list[AlertRow] = []
    found.extend(rows(conn, status))
    return found


def rows(conn: Connection, status: str | None, channel: str | None = None,
         watch: str | None = None) -> list[OutboxRow]:
    stmt = select(alert_outbox).order_by(_t.id)
    if watch is not None:
        stmt = stmt.where(_t.watch == watch)
    if status is not None:
        if status not in ALERT_STATUSES:
            raise ValueError(f"status must be one of {ALERT_STATUSES}, got {status!r}")
        stmt = stmt.where(_t.status == status)
    if channel is not None:
        stmt = stmt.where(_t.channel == channel)
    return [_from_row(row) for row in conn.execute(stmt).mappings()]


def digest_candidates(conn: Connection, channel: str, before: datetime) -> list[OutboxRow]:
    """Alerts of ``channel`` waiting for a digest: pending, unbatched, created before ``before``."""
    stmt = (
        select(alert_outbox)
        .where(_t.channel == channel, _t.status == "pending", _t.digest_id.is_(None),
               _t.kind.in_(["alert", "update"]), _t.created_at < before, _t.batch.is_(None))
        .order_by(_t.created_at, _t.id)
    )  # fmt: skip
    return [_from_row(row) for row in conn.execute(stmt).mappings()]


def batch_members(conn: Connection, channel: str, batch: str) -> list[OutboxRow]:
    """Pending alerts of ``channel`` waiting for a ``batch`` digest (not in one yet)."""
    stmt = (
        select(alert_outbox)
        .where(_t.channel == channel, _t.status == "pending", _t.digest_id.is_(None),
               _t.batch == batch)
        .order_by(_t.id)
    )  # fmt: skip
    return [_from_row(row) for row in conn.execute(stmt).mappings()]


def create_digest(
    conn: Connection, row: NewAlert, member_ids: Sequence[int], now: datetime
) -> int | None:
    """The digest row and its members' link, or None if this digest exists or members moved."""
    digest_id = insert(conn, row, now, now)
    if digest_id is None:
        return None
    stmt = (
        update(alert_outbox)
        .where(_t.id.in_(list(member_ids)), _t.status == "pending", _t.digest_id.is_(None))
        .values(digest_id=digest_id)
    )
    if conn.execute(stmt).rowcount != len(member_ids):
        raise StoreError("digest members changed while the digest was built; retry")
    return digest_id


def watch_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """Alert and update rows of each named watch by status (the implicit watch is left out)."""
    stmt = (select(_t.watch, _t.status, func.count())
            .where(_t.watch != "", _t.kind.in_(["alert", "update"]))
            .group_by(_t.watch, _t.status))  # fmt: skip
    found: dict[str, dict[str, int]] = {}
    for watch, status, count in conn.execute(stmt):
        found.setdefault(str(watch), {})[str(status)] = int(count)
    return found


def _members(conn: Connection, digest_id: int, values: dict[str, object]) -> None:
    conn.execute(update(alert_outbox).where(_t.digest_id == digest_id).values(values))


def _update_one(conn: Connection, alert_id: int, values: dict[str, object]) -> None:
    if conn.execute(update(alert_outbox).where(_t.id == alert_id).values(values)).rowcount != 1:
        raise StoreError(f"no alert with id {alert_id}")


def _from_row(row: RowMapping) -> OutboxRow:
    values = {name: row[name] for name in _ROW_FIELDS}
    values.update(id=int(row["id"]), attempts=int(row["attempts"]), payload=dict(row["payload"]))
    return OutboxRow(**values)
