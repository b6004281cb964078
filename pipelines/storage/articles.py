"""Article rows: upsert keyed by (site, article key), simple reads, the crawl frontier's states.

``article_id`` is the store's surrogate ID of an article (labels, matches and ``mtwatch show``
refer to it). A new row gets the site's numeric ID when the site is the default one and no row
has that ID yet (so The Moscow Times' articles keep the IDs they always had), else one more
than the highest ID stored (:func:`allocate_ids`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from pipelines.storage.dialects import dialect_insert, insert_new
from pipelines.storage.records import DEFAULT_SITE, ArticleRecord, article_key_of
from pipelines.storage.schema import articles, soft_404s

#: columns that come straight from an ArticleRecord: every field but the row's identity
_FIELDS = tuple(f.name for f in fields(ArticleRecord)
                if f.name not in ("article_id", "site", "key"))
#: what discovery decides per article; the first four mean "fetch it"
FETCH_DECISIONS = ("new", "retry", "changed", "refresh")
SKIP_DECISIONS = ("known", "backoff", "gave_up", "soft404")
#: IN (...) lists stay well under every driver's parameter limit
_CHUNK = 500
#: serialises new article IDs on PostgreSQL (SQLite writers are serialised already)
_ID_LOCK = 0x6D7478


@dataclass(frozen=True)
class Candidate:
    """An article link found by discovery."""

    #: the site's numeric ID of the article (0: it has none)
    article_id: int
    url: str
    #: when the discovery document says the article was published (site clock), if it says
    hint: datetime | None = None
    site: str = DEFAULT_SITE
    #: the article's key within its site; empty: ``str(article_id)``
    key: str = ""

    @property
    def article_key(self) -> str:
        return article_key_of(self.key, self.article_id)


@dataclass(frozen=True)
class FrontierPolicy:
    """How discovery treats articles the store already knows."""

    max_failures: int = 10
    #: fetch and re-evaluate articles already evaluated (``--refresh``)
    refresh: bool = False


@dataclass(frozen=True)
class PendingArticle:
    """An article discovered earlier and not evaluated yet (a crash, a failed fetch)."""

    #: the site's numeric ID of the article (its key when that is a number, else 0)
    article_id: int
    url: str
    source: str
    site: str = DEFAULT_SITE
    key: str = ""


def numeric_id(key: str) -> int:
    """The site's numeric ID an article key stands for; 0 for a URL key."""
    return int(key) if key.isascii() and key.isdigit() else 0


def _where(site: str, key: str) -> ColumnElement[bool]:
    return (articles.c.site == site) & (articles.c.article_key == key)


def allocate_ids(conn: Connection, wanted: Sequence[tuple[str, int]]) -> list[int]:
    """Surrogate IDs for new rows, one per (site, site's numeric ID): that ID for the default
    site when no row has it (nor an earlier entry), else one above the highest ID stored or
    given. Inside the writing transaction (PostgreSQL: under an advisory lock)."""
    if not wanted:
        return []
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ID_LOCK})
    preferred = [n for site, n in wanted if site == DEFAULT_SITE and n > 0]
    taken: set[int] = set()
    for chunk in _chunks(preferred):
        taken.update(int(v) for v in conn.execute(
            select(articles.c.article_id).where(articles.c.article_id.in_(chunk))).scalars())
    top = int(conn.execute(select(func.coalesce(func.max(articles.c.article_id), 0)))
              .scalar_one())
    top = max([top, *preferred])
    out: list[int] = []
    for site, n in wanted:
        if site == DEFAULT_SITE and n > 0 and n not in taken:
            taken.add(n)
            out.append(n)
        else:
            top += 1
            out.append(top)
    return out


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


# The statements of an upsert, built once with named parameters: built per article (literal
# values), SQLAlchemy coerced every value and recomputed each statement's cache key, which cost
# more CPU than SQLite executing them (a backfill writes every article once).
_SAME = (articles.c.site == bindparam("w_site")) & (articles.c.article_key == bindparam("w_key"))
_CURRENT = (select(articles.c.article_id, articles.c.html_sha256, articles.c.text,
                   articles.c.state).where(_SAME).with_for_update())
_REWRITTEN = ("last_error", "retry_at", "updated_at")
_REWRITE = update(articles).where(_SAME).values({
    name: bindparam(f"v_{name}", type_=articles.c[name].type)
    for name in (*_FIELDS, *_REWRITTEN)})
_TOUCH = update(articles).where(_SAME).values(
    fetched_at=bindparam("v_fetched_at", type_=articles.c.fetched_at.type),
    state=bindparam("v_state", type_=articles.c.state.type), last_error=None, retry_at=None)


def upsert(conn: Connection, rec: ArticleRecord, now: datetime) -> tuple[str, int]:
    """Insert or update one article by (site, key): ("inserted" | "updated" | "unchanged",
    its surrogate ID). "unchanged": same hash and text.

    A row written at discovery (state ``discovered``) counts as "inserted" when it gets content.
    """
    values = _values(rec)
    same = {"w_site": rec.site, "w_key": rec.article_key}
    current = conn.execute(_CURRENT, same).one_or_none()
    if current is None:
        [new_id] = allocate_ids(conn, [(rec.site, rec.article_id)])
        row = {"article_id": new_id, "site": rec.site, "article_key": rec.article_key, **values,
               "created_at": now, "updated_at": now}
        if insert_new(conn, articles, row, ["site", "article_key"]) is not None:
            return "inserted", new_id
        return upsert(conn, rec, now)  # written by a concurrent transaction meanwhile
    article_id = int(current.article_id)
    if current.html_sha256 == rec.html_sha256 and current.text == rec.text:
        # content is the same: only the bookkeeping moves on
        conn.execute(_TOUCH, {**same, "v_fetched_at": rec.fetched_at, "v_state": rec.state})
        return "unchanged", article_id
    rewrite = {f"v_{name}": value for name, value in values.items()}
    conn.execute(_REWRITE, {**same, **rewrite, "v_last_error": None, "v_retry_at": None,
                            "v_updated_at": now})
    return ("updated" if current.state == "evaluated" else "inserted"), article_id


_CURRENT_OF_SITE = (select(articles.c.site, articles.c.article_key, articles.c.article_id,
                           articles.c.html_sha256, articles.c.text, articles.c.state)
                    .where(articles.c.site == bindparam("w_site"),
                           articles.c.article_key.in_(bindparam("w_keys", expanding=True)))
                    .with_for_update())


def upsert_many(conn: Connection, recs: Sequence[ArticleRecord], now: datetime
                ) -> list[tuple[str, int]]:
    """``upsert`` of each article, in order, with the same outcomes: their rows read in one
    statement per site, and the rows that change (a group commit's articles, written at
    discovery, getting their content) rewritten in one batch of parameters; an article with
    no row yet, or named twice, goes through ``upsert`` on its own."""
    keys = [(rec.site, rec.article_key) for rec in recs]
    if len(recs) < 2 or len(set(keys)) != len(keys):
        return [upsert(conn, rec, now) for rec in recs]
    current: dict[tuple[str, str], Any] = {}
    for site in dict.fromkeys(site for site, _ in keys):
        wanted = [key for s, key in keys if s == site]
        for found in conn.execute(_CURRENT_OF_SITE, {"w_site": site, "w_keys": wanted}):
            current[(found.site, found.article_key)] = found
    out: list[tuple[str, int]] = []
    rewrites: list[dict[str, Any]] = []
    touches: list[dict[str, Any]] = []
    for rec, key in zip(recs, keys, strict=True):
        row = current.get(key)
        if row is None:
            out.append(upsert(conn, rec, now))
            continue
        same = {"w_site": rec.site, "w_key": rec.article_key}
        if row.html_sha256 == rec.html_sha256 and row.text == rec.text:
            touches.append({**same, "v_fetched_at": rec.fetched_at, "v_state": rec.state})
            out.append(("unchanged", int(row.article_id)))
            continue
        rewrites.append({**same, **{f"v_{name}": value for name, value in _values(rec).items()},
                         "v_last_error": None, "v_retry_at": None, "v_updated_at": now})
        out.append(("updated" if row.state == "evaluated" else "inserted", int(row.article_id)))
    if rewrites:
        conn.execute(_REWRITE, rewrites)
    if touches:
        conn.execute(_TOUCH, touches)
    return out


def from_row(row: RowMapping) -> ArticleRecord:
    return ArticleRecord(
        article_id=int(row["article_id"]),
        **{name: row[name] for name in _FIELDS if name not in ("authors", "tags")},
        authors=list(row["authors"]),
        tags=list(row["tags"]),
        site=row["site"],
        key=row["article_key"],
    )


def get(conn: Connection, article_id: int) -> ArticleRecord | None:
    """The article stored under the surrogate ID ``article_id``."""
    row = conn.execute(select(articles).where(articles.c.article_id == article_id)).mappings()
    found = row.one_or_none()
    return None if found is None else from_row(found)


def get_by_key(conn: Connection, site: str, key: str) -> ArticleRecord | None:
    """The article ``key`` of ``site``."""
    found = conn.execute(select(articles).where(_where(site, key))).mappings().one_or_none()
    return None if found is None else from_row(found)


def count(conn: Connection, site: str | None = None) -> int:
    stmt = select(func.count()).select_from(articles)
    if site is not None:
        stmt = stmt.where(articles.c.site == site)
    return int(conn.execute(stmt).scalar_one())


def ids(conn: Connection) -> set[int]:
    return {int(value) for value in conn.execute(select(articles.c.article_id)).scalars()}


@dataclass(frozen=True)
class SiteSummary:
    """One site's articles at a glance (``mtwatch status``)."""

    site: str
    articles: int
    evaluated: int
    #: the newest publication time among its evaluated articles
    newest: datetime | None
    #: the oldest one: how far back the store reaches
    oldest: datetime | None


def site_summaries(conn: Connection) -> list[SiteSummary]:
    """Per site: its articles, evaluated ones, newest and oldest publication time; by name."""
    done = articles.c.state == "evaluated"
    stmt = (select(articles.c.site, func.count(),
                   func.count().filter(done),
                   func.max(articles.c.published).filter(done),
                   func.min(articles.c.published).filter(done))
            .group_by(articles.c.site).order_by(articles.c.site))
    return [SiteSummary(str(site), int(n), int(ev), newest, oldest)
            for site, n, ev, newest, oldest in conn.execute(stmt)]


# ---- the crawl frontier ------------------------------------------------------------------


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
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
             policy: FrontierPolicy, site: str = DEFAULT_SITE) -> dict[str, str]:
    """Record newly found articles of ``site`` as ``discovered`` (before any fetch) and decide
    each one; decisions by article key. A candidate naming a site other than ``site`` (or the
    default one, which is what a candidate that names none says) is refused."""
    if any(c.site not in (site, DEFAULT_SITE) for c in found):
        raise ValueError(f"candidates of another site than {site!r}")
    wanted = list(dict.fromkeys(c.article_key for c in found))
    cols = (articles.c.article_key, articles.c.state, articles.c.failures, articles.c.retry_at,
            articles.c.fetched_at)
    rows: dict[str, Any] = {}
    soft: dict[str, datetime] = {}
    for chunk in _chunks(wanted):
        rows.update((r.article_key, r) for r in conn.execute(
            select(*cols).where(articles.c.site == site, articles.c.article_key.in_(chunk))))
        soft.update((r.article_key, r.recheck_at) for r in conn.execute(
            select(soft_404s.c.article_key, soft_404s.c.recheck_at)
            .where(soft_404s.c.site == site, soft_404s.c.article_key.in_(chunk))))
    decisions: dict[str, str] = {}
    fresh: list[Candidate] = []
    for cand in found:
        key = cand.article_key
        if key in decisions:
            continue
        row = rows.get(key)
        if row is not None:
            decisions[key] = _decide(row, cand.hint, now, policy)
        elif key in soft and soft[key] > now and not policy.refresh:
            decisions[key] = "soft404"
        else:
            decisions[key] = "new"
            fresh.append(cand)
    new_ids = allocate_ids(conn, [(site, c.article_id) for c in fresh])
    _insert_ignore(conn, [_blank(c, site, i, source, now)
                          for c, i in zip(fresh, new_ids, strict=True)])
    return decisions


def _blank(cand: Candidate, site: str, article_id: int, source: str, now: datetime
           ) -> dict[str, Any]:
    # fetched_at is NOT NULL: for a row never fetched it holds the discovery time
    return {"article_id": article_id, "site": site, "article_key": cand.article_key,
            "url": cand.url, "headline": "", "subtitle": "",
            "authors": [], "published": cand.hint, "modified": None, "section": "", "tags": [],
            "language": "", "html_sha256": "", "text": "", "extraction": "", "state": "discovered",
            "failures": 0, "last_error": None, "fetched_at": now, "created_at": now,
            "updated_at": now, "source": source, "retry_at": None}


def _insert_ignore(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    conn.execute(dialect_insert(conn, articles).on_conflict_do_nothing(), rows)


def pending(conn: Connection, now: datetime, max_failures: int, limit: int,
            site: str = DEFAULT_SITE) -> list[PendingArticle]:
    """``site``'s articles discovered earlier but never evaluated, due for another try, newest
    first."""
    due = (articles.c.retry_at.is_(None)) | (articles.c.retry_at <= now)
    stmt = (
        select(articles.c.article_key, articles.c.url, articles.c.source)
        .where(articles.c.site == site, articles.c.state != "evaluated",
               articles.c.failures < max_failures, due)
        .order_by(articles.c.article_id.desc())
        .limit(limit)
    )
    return [PendingArticle(numeric_id(r.article_key), r.url, r.source or "", site, r.article_key)
            for r in conn.execute(stmt)]


def failed(conn: Connection, site: str, key: str, *, state: str, error: str, now: datetime,
           retry_after: timedelta | None = None) -> int:
    """Count one failed attempt; the article keeps its evaluated content if it had some."""
    where = _where(site, key)
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


def forget_unfetched(conn: Connection, site: str, key: str) -> bool:
    """Drop a row that never got content (it was not an article after all)."""
    stmt = delete(articles).where(_where(site, key), articles.c.state != "evaluated")
    return bool(conn.execute(stmt).rowcount)


def of_site(site: str | None) -> list[ColumnElement[bool]]:
    """The WHERE clause for one site's articles (none: every site)."""
    return [] if site is None else [articles.c.site == site]


def progress(conn: Connection, since: datetime, max_failures: int,
             site: str | None = DEFAULT_SITE) -> tuple[int, int]:
    """(evaluated since ``since``, still waiting): what a progress bar shows."""
    done = conn.execute(select(func.count()).select_from(articles).where(
        articles.c.state == "evaluated", articles.c.fetched_at >= since, *of_site(site))
    ).scalar_one()
    waiting = conn.execute(select(func.count()).select_from(articles).where(
        articles.c.state != "evaluated", articles.c.failures < max_failures, *of_site(site))
    ).scalar_one()
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
    site: str = DEFAULT_SITE
    key: str = ""


def texts_after(conn: Connection, after: int | None, limit: int) -> list[StoredText]:
    """The next ``limit`` evaluated articles with an ID above ``after``, by ID (keyset page)."""
    cols = (articles.c.article_id, articles.c.url, articles.c.headline, articles.c.subtitle,
            articles.c.text, articles.c.language, articles.c.published, articles.c.site,
            articles.c.article_key)
    stmt = select(*cols).where(articles.c.state == "evaluated")
    if after is not None:
        stmt = stmt.where(articles.c.article_id > after)
    stmt = stmt.order_by(articles.c.article_id).limit(limit)
    return [StoredText(int(r.article_id), r.url, r.headline or "", r.subtitle or "",
                       r.text or "", r.language or "en", r.published, r.site, r.article_key)
            for r in conn.execute(stmt)]
