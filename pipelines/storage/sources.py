"""Discovery bookkeeping: feed/sitemap/robots validators and last copies, soft-404 records."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from pipelines.storage.dialects import insert_new
from pipelines.storage.records import DEFAULT_SITE
from pipelines.storage.schema import soft_404s, sources

#: soft 404s are re-checked after 6 h, then 12 h, 1 day, ... at most weekly
SOFT_404_FIRST_RECHECK = timedelta(hours=6)
SOFT_404_MAX_RECHECK = timedelta(days=7)


@dataclass(frozen=True)
class SourceState:
    """What the store remembers about one discovery document."""

    url: str
    kind: str
    checked_at: datetime
    changed_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    body: str | None = None
    newest_item: datetime | None = None
    lastmod: str | None = None
    #: the site the document belongs to
    site: str = DEFAULT_SITE


def load_all(conn: Connection, site: str = DEFAULT_SITE) -> dict[str, SourceState]:
    """``site``'s discovery documents by URL."""
    rows = conn.execute(select(sources).where(sources.c.site == site)).mappings()
    return {row["url"]: SourceState(**dict(row)) for row in rows}


def save(conn: Connection, state: SourceState) -> None:
    """Insert or replace the row of ``state.url`` (a URL belongs to one site)."""
    values = asdict(state)
    if insert_new(conn, sources, values, ["url"]) is None:
        conn.execute(update(sources).where(sources.c.url == state.url).values(**values))


def soft_404_recheck(hits: int) -> timedelta:
    """How long a soft-404 URL is left alone after its n-th soft 404."""
    return min(SOFT_404_FIRST_RECHECK * (1 << min(max(hits - 1, 0), 8)), SOFT_404_MAX_RECHECK)


def record_soft_404(conn: Connection, site: str, key: str, article_id: int, url: str,
                    now: datetime) -> int:
    """Count one soft 404 of an article URL (``key`` of ``site``, the site's numeric ID or 0);
    the number of times it was seen so far."""
    where = (soft_404s.c.site == site) & (soft_404s.c.article_key == key)
    hits = conn.execute(select(soft_404s.c.hits).where(where)).scalar_one_or_none()
    if hits is None:
        conn.execute(soft_404s.insert().values(
            site=site, article_key=key, article_id=article_id, url=url, hits=1, first_seen=now,
            last_seen=now, recheck_at=now + soft_404_recheck(1)))
        return 1
    conn.execute(update(soft_404s).where(where).values(
        url=url, hits=hits + 1, last_seen=now, recheck_at=now + soft_404_recheck(hits + 1)))
    return int(hits) + 1

