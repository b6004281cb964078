"""Read-only paging over stored rows for `mtwatch export`: short transactions, any size."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from pipelines.storage.schema import articles

#: rows per read transaction: short reads let the SQLite WAL checkpoint between pages
PAGE = 500


def article_page(
    conn: Connection, since: datetime | None, after: int | None
) -> list[dict[str, Any]]:
    """Up to PAGE articles with ``article_id > after``, by ID, published (or fetched) ≥ since."""
    stmt = select(articles).order_by(articles.c.article_id).limit(PAGE)
    if after is not None:
        stmt = stmt.where(articles.c.article_id > after)
    if since is not None:
        stmt = stmt.where(func.coalesce(articles.c.published, articles.c.fetched_at) >= since)
    return [dict(row) for row in conn.execute(stmt).mappings()]


def pages(read: Any, since: datetime | None) -> Iterator[dict[str, Any]]:
    """Every article, one page per call of ``read(since, after)``."""
    after: int | None = None
    while True:
        page = read(since, after)
        yield from page
        if len(page) < PAGE:
            return
        after = int(page[-1]["article_id"])
