"""Match rows and their outbox rows, written in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, RowMapping

from pipelines.alerts.payload import build_payload
from pipelines.storage import articles as article_rows
from pipelines.storage.dialects import insert_new
from pipelines.storage.engine import StoreError
from pipelines.storage.records import MatchRecord
from pipelines.storage.schema import alert_outbox, articles, matches


def record(
    conn: Connection, m: MatchRecord, channels: Sequence[str], topic_name: str, now: datetime
) -> bool:
    """Store ``m``; a new match also gets one outbox row per channel. True if the match is new."""
    article = article_rows.get(conn, m.article_id)
    if article is None:
        raise StoreError(f"cannot record match: article {m.article_id} is not stored")
    verdict = {
        "rule_version": m.rule_version,
        "rule": m.rule,
        "grade": m.grade,
        "evidence": list(m.evidence),
    }
    row = {"article_id": m.article_id, "topic": m.topic, "matched_at": m.matched_at, **verdict}
    match_id = insert_new(conn, matches, {**row, "updated_at": now}, ["article_id", "topic"])
    if match_id is None:
        conn.execute(
            update(matches)
            .where(matches.c.article_id == m.article_id, matches.c.topic == m.topic)
            .values(**verdict, updated_at=now)
        )
        return False
    payload = build_payload(article, m, topic_name)
    for channel in dict.fromkeys(channels):
        _insert_outbox(conn, match_id, channel, m.idempotency_key, payload, m.matched_at, now)
    return True


def _insert_outbox(
    conn: Connection,
    match_id: int,
    channel: str,
    key: str,
    payload: dict[str, Any],
    due: datetime,
    now: datetime,
) -> None:
    """One pending outbox row, due from the moment of the match."""
    values = {
        "match_id": match_id,
        "channel": channel,
        "idempotency_key": key,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": due,
        "payload": payload,
        "created_at": now,
    }
    insert_new(conn, alert_outbox, values, ["idempotency_key", "channel"])


def list_matches(conn: Connection, topic: str | None, since: datetime | None) -> list[MatchRecord]:
    """Matches with their article's url/headline/published, newest article first."""
    when = func.coalesce(articles.c.published, matches.c.matched_at)
    stmt = (
        select(matches, articles.c.url, articles.c.headline, articles.c.published)
        .join(articles, articles.c.article_id == matches.c.article_id)
        .order_by(when.desc(), matches.c.id.desc())
    )
    if topic is not None:
        stmt = stmt.where(matches.c.topic == topic)
    if since is not None:
        stmt = stmt.where(when >= since)
    return [_from_row(row) for row in conn.execute(stmt).mappings()]


def _from_row(row: RowMapping) -> MatchRecord:
    return MatchRecord(
        article_id=int(row["article_id"]),
        topic=row["topic"],
        rule_version=row["rule_version"],
        rule=row["rule"],
        grade=row["grade"],
        evidence=list(row["evidence"]),
        matched_at=row["matched_at"],
        url=row["url"],
        headline=row["headline"],
        published=row["published"],
    )
