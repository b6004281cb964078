"""Read queries behind the analyst's desk: the filtered match list (keyset pages), one
article's matches and alerts, the topics and sites there are. Short reads, indexed joins."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Text, and_, cast, func, or_, select
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from pipelines.storage.labels import current_of
from pipelines.storage.schema import alert_outbox, articles, labels, matches

LABEL_FILTERS = ("unlabelled", "relevant", "not-relevant")


def site_of() -> ColumnElement[str]:
    """The site a match's article belongs to (stored with the match, revision 0011_sites)."""
    return matches.c.site


def when_of() -> ColumnElement[datetime]:
    """The time a match is listed and charted by: the article's publication, else the match."""
    return func.coalesce(articles.c.published, matches.c.matched_at)


@dataclass(frozen=True)
class MatchFilter:
    """What the Matches page asks for; None or "" means "any"."""

    topic: str | None = None
    site: str | None = None
    grade: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    label: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Cursor:
    """A keyset position in the newest-first list: (listing time, match id)."""

    when: datetime
    match_id: int


@dataclass(frozen=True)
class MatchRow:
    """One row of the Matches page (and one Atom entry)."""

    match_id: int
    article_id: int
    topic: str
    site: str
    grade: str
    rule: str
    rule_version: str
    evidence: list[dict[str, Any]]
    when: datetime
    matched_at: datetime
    updated_at: datetime
    published: datetime | None
    headline: str
    subtitle: str
    url: str
    label: str | None
    #: the alert's idempotency key (the Atom entry id, the e-mail Message-ID)
    key: str = ""

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.when, self.match_id)


def _base() -> Select[Any]:
    return (
        select(matches.c.id, matches.c.article_id, matches.c.topic, matches.c.grade,
               matches.c.rule, matches.c.rule_version, matches.c.evidence, matches.c.matched_at,
               matches.c.updated_at, articles.c.published, articles.c.headline,
               articles.c.subtitle, articles.c.url, when_of().label("listed"),
               site_of().label("site"), labels.c.verdict.label("label"), matches.c.alert_key)
        .join(articles, articles.c.article_id == matches.c.article_id)
        .outerjoin(labels, current_of(matches.c.article_id, matches.c.topic))
    )  # fmt: skip


def _like(value: str) -> str:
    escaped = value.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def _text_match(text: str) -> ColumnElement[bool]:
    """Headline or evidence contains ``text`` (case-insensitive where the database can).
    SQLite keeps JSON with non-ASCII escaped, so the escaped spelling is looked for too."""
    evidence = cast(matches.c.evidence, Text)
    forms = dict.fromkeys([text, json.dumps(text)[1:-1]])
    return or_(*(column.ilike(_like(form), escape="!")
                 for form in forms for column in (articles.c.headline, evidence)))


def _where(f: MatchFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if f.topic:
        found.append(matches.c.topic == f.topic)
    if f.site:
        found.append(site_of() == f.site)
    if f.grade:
        found.append(matches.c.grade == f.grade)
    if f.start is not None:
        found.append(when_of() >= f.start)
    if f.end is not None:
        found.append(when_of() < f.end)
    if f.label == "unlabelled":
        found.append(labels.c.id.is_(None))
    elif f.label:
        found.append(labels.c.verdict == f.label)
    if f.text.strip():
        found.append(_text_match(f.text.strip()))
    return found


def match_page(conn: Connection, f: MatchFilter, *, before: Cursor | None = None,
               after: Cursor | None = None, limit: int = 50) -> list[MatchRow]:
    """Up to ``limit`` matches newest first: the first page, the one older than ``before``,
    or the one newer than ``after`` (keyset paging: page 500 costs what page 1 costs).
    The ids are chosen first, over narrow rows; then only those rows are read in full."""
    when = when_of()
    stmt = (select(matches.c.id, when.label("listed"))
            .join(articles, articles.c.article_id == matches.c.article_id)
            .outerjoin(labels, current_of(matches.c.article_id, matches.c.topic))
            .where(*_where(f)))  # fmt: skip
    if before is not None:
        stmt = stmt.where(or_(when < before.when,
                              and_(when == before.when, matches.c.id < before.match_id)))
    if after is not None:
        stmt = stmt.where(or_(when > after.when,
                              and_(when == after.when, matches.c.id > after.match_id)))
        stmt = stmt.order_by(when.asc(), matches.c.id.asc())
    else:
        stmt = stmt.order_by(when.desc(), matches.c.id.desc())
    ids = [int(row.id) for row in conn.execute(stmt.limit(limit))]
    if not ids:
        return []
    found = {row.match_id: row for row in map(_row, conn.execute(
        _base().where(matches.c.id.in_(ids))).mappings())}
    rows = [found[i] for i in ids if i in found]
    return rows[::-1] if after is not None else rows


def count_matches(conn: Connection, f: MatchFilter) -> int:
    stmt = (select(func.count()).select_from(matches)
            .join(articles, articles.c.article_id == matches.c.article_id)
            .outerjoin(labels, current_of(matches.c.article_id, matches.c.topic))
            .where(*_where(f)))  # fmt: skip
    return int(conn.execute(stmt).scalar_one())


def matches_of(conn: Connection, article_id: int) -> list[MatchRow]:
    """The article's stored matches, one per topic."""
    stmt = _base().where(matches.c.article_id == article_id).order_by(matches.c.topic)
    return [_row(r) for r in conn.execute(stmt).mappings()]


def newest(conn: Connection, *, topic: str | None, site: str | None, limit: int
           ) -> list[MatchRow]:
    """The newest matches of a topic and/or site (an Atom feed's entries)."""
    return match_page(conn, MatchFilter(topic=topic, site=site), limit=limit)


@dataclass(frozen=True)
class AlertEvent:
    """One outbox row of an article: an alert or an "updated" alert on one channel."""

    id: int
    topic: str
    channel: str
    kind: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    last_error: str | None
    digest_id: int | None
    key: str
    #: the watch the row belongs to ("": the implicit watch of a config without watches)
    watch: str = ""


def alerts_of(conn: Connection, article_id: int) -> list[AlertEvent]:
    """Every outbox row of the article's matches, oldest first."""
    o = alert_outbox.c
    stmt = (select(o.id, matches.c.topic, o.channel, o.kind, o.status, o.attempts, o.created_at,
                   o.sent_at, o.next_attempt_at, o.last_error, o.digest_id, o.idempotency_key,
                   o.watch)
            .join(matches, matches.c.id == o.match_id)
            .where(matches.c.article_id == article_id).order_by(o.created_at, o.id))
    return [AlertEvent(int(r.id), r.topic, r.channel, r.kind, r.status, int(r.attempts),
                       r.created_at, r.sent_at, r.next_attempt_at, r.last_error,
                       r.digest_id, r.idempotency_key, r.watch or "") for r in conn.execute(stmt)]


def topics_and_sites(conn: Connection) -> tuple[list[str], list[str]]:
    """The topics that have matches, and the sites of matched articles (filter choices)."""
    topics = [str(t) for t in conn.execute(select(matches.c.topic).distinct()).scalars()]
    sites = conn.execute(select(site_of()).distinct()).scalars()
    return sorted(topics), sorted(str(s) for s in sites)


def _row(r: RowMapping) -> MatchRow:
    return MatchRow(
        match_id=int(r["id"]), article_id=int(r["article_id"]), topic=r["topic"],
        site=str(r["site"]), grade=r["grade"], rule=r["rule"], rule_version=r["rule_version"],
        evidence=list(r["evidence"] or []), when=r["listed"], matched_at=r["matched_at"],
        updated_at=r["updated_at"], published=r["published"], headline=r["headline"] or "",
        subtitle=r["subtitle"] or "", url=r["url"] or "", label=r["label"],
        key=r["alert_key"],
    )  # fmt: skip
