"""Match rows and their outbox rows (alerts, "updated" alerts), written in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, RowMapping

from pipelines.alerts import evidence
from pipelines.alerts.payload import build_payload, evidence_item
from pipelines.storage import articles as article_rows
from pipelines.storage import outbox
from pipelines.storage.dialects import insert_new
from pipelines.storage.engine import StoreError
from pipelines.storage.records import ArticleRecord, MatchRecord
from pipelines.storage.schema import alert_outbox, articles, matches


def record(
    conn: Connection, m: MatchRecord, channels: Sequence[str], topic_name: str, now: datetime,
    batch: str | None = None,
) -> bool:
    """Store ``m``; a new match also gets one outbox row per channel. True if the match is new.

    ``batch="backfill"``: the new match's alerts wait for the crawl's backfill digest.
    A known match is updated in place; if an edit changed its evidence (see
    ``pipelines.alerts.evidence``) it also gets one "updated" outbox row per channel, unless
    it never had an alert (stored by ``mtwatch run --no-alert``).
    """
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
        _update(conn, m, article, verdict, channels, topic_name, now)
        return False
    payload = build_payload(article, m, topic_name)
    for channel in dict.fromkeys(channels):
        _insert_outbox(conn, match_id, channel, m.idempotency_key, payload, m.matched_at, now,
                       batch)  # fmt: skip
    return True


def _update(
    conn: Connection,
    m: MatchRecord,
    article: ArticleRecord,
    verdict: dict[str, Any],
    channels: Sequence[str],
    topic_name: str,
    now: datetime,
) -> None:
    where = (matches.c.article_id == m.article_id, matches.c.topic == m.topic)
    current = conn.execute(
        select(matches.c.id, matches.c.evidence).where(*where).with_for_update()
    ).one()
    conn.execute(update(matches).where(*where).values(**verdict, updated_at=now))
    fields = (article.headline, article.subtitle, article.text)
    if not evidence.needs_update(list(current.evidence), list(m.evidence), fields):
        return
    if not _ever_alerted(conn, current.id):  # nothing to update: no first alert
        return
    payload = {
        **build_payload(article, m, topic_name),
        "kind": "update",
        "refers_to": m.idempotency_key,
        "previous_evidence": [evidence_item(e) for e in current.evidence],
    }
    key = evidence.update_key(m.topic, m.article_id, m.evidence)
    for channel in dict.fromkeys(channels):
        new = outbox.NewAlert(channel, key, "update", payload, m.idempotency_key, current.id)
        outbox.insert(conn, new, now, now)


def _ever_alerted(conn: Connection, match_id: int) -> bool:
    stmt = select(alert_outbox.c.id).where(alert_outbox.c.match_id == match_id).limit(1)
    return conn.execute(stmt).first() is not None


def _insert_outbox(
    conn: Connection,
    match_id: int,
    channel: str,
    key: str,
    payload: dict[str, Any],
    due: datetime,
    now: datetime,
    batch: str | None,
) -> None:
    """One pending outbox row, due from the moment of the match."""
    values = {
        "batch": batch,
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
