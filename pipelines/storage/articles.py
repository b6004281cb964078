"""Article rows: upsert keyed by article_id, simple reads, and the crawl frontier's states."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from pipelines.storage.dialects import insert_new
from pipelines.storage.records import ArticleRecord
from pipelines.storage.schema import articles, soft_404s

#: columns that come straight from an ArticleRecord
_FIELDS = (
    "url", "headline", "subtitle", "authors", "published", "modified", "section", "tags",
    "language", "html_sha256", "text", "extraction", "fetched_at", "state",
)  # fmt: skip
#: what discovery decides per article; the first four mean "fetch it"
FETCH_DECISIONS = ("new", "retry", "changed", "refresh")
SKIP_DECISIONS = ("known", "backoff", "gave_up", "soft404")
#: IN (...) lists stay well under every driver's parameter limit
_CHUNK = 500


@dataclass(frozen=True)
class Candidate:
    """An article link found by discovery."""

    article_id: int
    url: str
    #: when the discovery document says the article was published (site clock), if it says
    hint: datetime | None = None


@dataclass(frozen=True)
class FrontierPolicy:
    """How discovery treats articles the store already knows."""

    max_failures: int = 10
    #: fetch and re-evaluate articles already evaluated (``--refresh``)
    refresh: bool = False


@dataclass(frozen=True)
class PendingArticle:
    """An article discovered earlier and not evaluated yet (a crash, a failed fetch)."""

    article_id: int
    url: str
    source: str


def retry_delay(failures: int) -> timedelta:
    """Backoff after the n-th failed fetch: two quick retries, then 15 min doubling up to 1 day."""
    if failures <= 2:
        return timedelta(0)
    return min(timedelta(minutes=15) * (1 << min(failures - 3, 8)), timedelta(days=1))


def _values(rec: ArticleRecord) -> dict[str, Any]:
    values = {name: getattr(rec, name) for name in _FIELDS}
    values["authors"] = list(rec.authors)
    values["tags"] = list(rec.tags)
    return values


def upsert(conn: Connection, rec: ArticleRecord, now: datetime) -> str:
    """Insert or update one article; "inserted", "updated" or "unchanged" (same hash and text).

    A row written at discovery (state ``discovered``) counts as "inserted" when it gets content.
    """
    values = _values(rec)
    row = {"article_id": rec.article_id, **values, "created_at": now, "updated_at": now}
    if insert_new(conn, articles, row, ["article_id"]) is not None:
        return "inserted"
    current = conn.execute(
        select(articles.c.html_sha256, articles.c.text, articles.c.state)
        .where(articles.c.article_id == rec.article_id)
        .with_for_update()
    ).one()
    where = articles.c.article_id == rec.article_id
    done = {"last_error": None, "retry_at": None}
    if current.html_sha256 == rec.html_sha256 and current.text == rec.text:
        # content is the same: only the bookkeeping moves on
        conn.execute(
            update(articles).where(where).values(fetched_at=rec.fetched_at, state=rec.state, **done)
        )
        return "unchanged"
    conn.execute(update(articles).where(where).values(**values, **done, updated_at=now))
    return "updated" if current.state == "evaluated" else "inserted"


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


# ---- the crawl frontier ------------------------------------------------------------------


def _chunks(values: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _decide(row: Any, hint: datetime | None, now: datetime, policy: FrontierPolicy) -> str:
    if row.state == "evaluated":
        if policy.refresh:
            return "refresh"
        # the site says it was (re)published after we fetched it
        return "changed" if hint is not None and hint > row.fetched_at else "known"
    if row.retry_at is not None and row.retry_at > now:
        return "backoff"
    if row.failures >= policy.max_failures and not policy.refresh:
        return "gave_up"
    return "retry"


def discover(conn: Connection, found: Sequence[Candidate], source: str, now: datetime,
             policy: FrontierPolicy) -> dict[int, str]:
    """Record newly found articles as ``discovered`` (before any fetch) and decide each one."""
    wanted = list(dict.fromkeys(c.article_id for c in found))
    cols = (articles.c.article_id, articles.c.state, articles.c.failures, articles.c.retry_at,
            articles.c.fetched_at)
    rows: dict[int, Any] = {}
    soft: dict[int, datetime] = {}
    for chunk in _chunks(wanted):
        rows.update((r.article_id, r) for r in conn.execute(
            select(*cols).where(articles.c.article_id.in_(chunk))))
        soft.update((r.article_id, r.recheck_at) for r in conn.execute(
            select(soft_404s.c.article_id, soft_404s.c.recheck_at)
            .where(soft_404s.c.article_id.in_(chunk))))
    decisions: dict[int, str] = {}
    fresh: list[dict[str, Any]] = []
    for cand in found:
        if cand.article_id in decisions:
            continue
        row = rows.get(cand.article_id)
        if row is not None:
            decisions[cand.article_id] = _decide(row, cand.hint, now, policy)
        elif cand.article_id in soft and soft[cand.article_id] > now and not policy.refresh:
            decisions[cand.article_id] = "soft404"
        else:
            decisions[cand.article_id] = "new"
            fresh.append(_blank(cand, source, now))
    _insert_ignore(conn, fresh)
    return decisions


def _blank(cand: Candidate, source: str, now: datetime) -> dict[str, Any]:
    # fetched_at is NOT NULL: for a row never fetched it holds the discovery time
    return {"article_id": cand.article_id, "url": cand.url, "headline": "", "subtitle": "",
            "authors": [], "published": cand.hint, "modified": None, "section": "", "tags": [],
            "language": "", "html_sha256": "", "text": "", "extraction": "", "state": "discovered",
            "failures": 0, "last_error": None, "fetched_at": now, "created_at": now,
            "updated_at": now, "source": source, "retry_at": None}


def _insert_ignore(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(articles).on_conflict_do_nothing(), rows)


def pending(conn: Connection, now: datetime, max_failures: int, limit: int
            ) -> list[PendingArticle]:
    """Articles discovered earlier but never evaluated, due for another try, newest ID first."""
    due = (articles.c.retry_at.is_(None)) | (articles.c.retry_at <= now)
    stmt = (
        select(articles.c.article_id, articles.c.url, articles.c.source)
        .where(articles.c.state != "evaluated", articles.c.failures < max_failures, due)
        .order_by(articles.c.article_id.desc())
        .limit(limit)
    )
    return [PendingArticle(int(r.article_id), r.url, r.source or "") for r in conn.execute(stmt)]


def failed(conn: Connection, article_id: int, *, state: str, error: str, now: datetime,
           retry_after: timedelta | None = None) -> int:
    """Count one failed attempt; the article keeps its evaluated content if it had some."""
    where = articles.c.article_id == article_id
    failures = conn.execute(select(articles.c.failures, articles.c.state).where(where)).first()
    if failures is None:
        return 0
    count_now = int(failures.failures) + 1
    delay = max(retry_delay(count_now), retry_after or timedelta(0))
    new_state = "evaluated" if failures.state == "evaluated" else state
    conn.execute(update(articles).where(where).values(
        failures=count_now, last_error=error[:500], retry_at=(now + delay) if delay else None,
        state=new_state, updated_at=now))
    return count_now


def forget_unfetched(conn: Connection, article_id: int) -> bool:
    """Drop a row that never got content (it was not an article after all)."""
    stmt = delete(articles).where(articles.c.article_id == article_id,
                                  articles.c.state != "evaluated")
    return bool(conn.execute(stmt).rowcount)


def progress(conn: Connection, since: datetime, max_failures: int) -> tuple[int, int]:
    """(evaluated since ``since``, still waiting): what a progress bar shows."""
    done = conn.execute(select(func.count()).select_from(articles).where(
        articles.c.state == "evaluated", articles.c.fetched_at >= since)).scalar_one()
    waiting = conn.execute(select(func.count()).select_from(articles).where(
        articles.c.state != "evaluated", articles.c.failures < max_failures)).scalar_one()
    return int(done), int(waiting)


# ---- stored text, for re-running the rules (``mtwatch rematch``) --------------------------


@dataclass(frozen=True)
class StoredText:
    """What the matcher reads of one evaluated article."""

    article_id: int
    url: str
    headline: str
    subtitle: str
    text: str
    language: str
    published: datetime | None


def texts_after(conn: Connection, after: int | None, limit: int) -> list[StoredText]:
    """The next ``limit`` evaluated articles with an ID above ``after``, by ID (keyset page)."""
    cols = (articles.c.article_id, articles.c.url, articles.c.headline, articles.c.subtitle,
            articles.c.text, articles.c.language, articles.c.published)
    stmt = select(*cols).where(articles.c.state == "evaluated")
    if after is not None:
        stmt = stmt.where(articles.c.article_id > after)
    stmt = stmt.order_by(articles.c.article_id).limit(limit)
    return [StoredText(int(r.article_id), r.url, r.headline or "", r.subtitle or "",
                       r.text or "", r.language or "en", r.published) for r in conn.execute(stmt)]
