"""Article rows: upsert keyed by article_id, and simple reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, RowMapping

from pipelines.storage.dialects import insert_new
from pipelines.storage.records import ArticleRecord
from pipelines.storage.schema import articles

#: columns that come straight from an ArticleRecord
_FIELDS = (
    "url", "headline", "subtitle", "authors", "published", "modified", "section", "tags",
    "language", "html_sha256", "text", "extraction", "fetched_at", "state",
)  # fmt: skip


def _values(rec: ArticleRecord) -> dict[str, Any]:
    values = {name: getattr(rec, name) for name in _FIELDS}
    values["authors"] = list(rec.authors)
    values["tags"] = list(rec.tags)
    return values


def upsert(conn: Connection, rec: ArticleRecord, now: datetime) -> str:
    """Insert or update one article; "inserted", "updated" or "unchanged" (same hash and text)."""
    values = _values(rec)
    row = {"article_id": rec.article_id, **values, "created_at": now, "updated_at": now}
    if insert_new(conn, articles, row, ["article_id"]) is not None:
        return "inserted"
    current = conn.execute(
        select(articles.c.html_sha256, articles.c.text)
        .where(articles.c.article_id == rec.article_id)
        .with_for_update()
    ).one()
    where = articles.c.article_id == rec.article_id
    if current.html_sha256 == rec.html_sha256 and current.text == rec.text:
        # content is the same: only the bookkeeping moves on
        conn.execute(
            update(articles).where(where).values(fetched_at=rec.fetched_at, state=rec.state)
        )
        return "unchanged"
    conn.execute(update(articles).where(where).values(**values, updated_at=now))
    return "updated"


def from_row(row: RowMapping) -> ArticleRecord:
    return ArticleRecord(
        article_id=int(row["article_id"]),
        **{name: row[name] for name in _FIELDS if name not in ("authors", "tags")},
        authors=list(row["authors"]),
        tags=list(row["tags"]),
    )


def get(conn: Connection, article_id: int) -> ArticleRecord | None:
    row = conn.execute(select(articles).where(articles.c.article_id == article_id)).mappings()
    found = row.one_or_none()
    return None if found is None else from_row(found)


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())


def ids(conn: Connection) -> set[int]:
    return {int(value) for value in conn.execute(select(articles.c.article_id)).scalars()}
