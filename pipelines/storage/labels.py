"""Analysts' labels: one current verdict per (article, topic), earlier ones kept as history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from pipelines.storage.database import StoreError
from pipelines.storage.schema import LABEL_VERDICTS, articles, labels

#: bounds on what an analyst types (notes are shown on pages and exported to the corpus)
MAX_NOTE_CHARS = 2000
MAX_BY_CHARS = 128

_l = labels.c


class ReadOnlyStoreError(StoreError):
    """A label could not be saved: this database user may not write to the store."""


@dataclass(frozen=True)
class Label:
    """One analyst verdict on one article for one topic."""

    id: int
    article_id: int
    topic: str
    verdict: str
    note: str
    labelled_by: str
    labelled_at: datetime
    superseded_at: datetime | None = None

    @property
    def relevant(self) -> bool:
        return self.verdict == "relevant"


def check_verdict(verdict: str) -> str:
    if verdict not in LABEL_VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(LABEL_VERDICTS)}, got {verdict!r}")
    return verdict


def current_of(article_id: ColumnElement[int], topic: ColumnElement[str]) -> ColumnElement[bool]:
    """The join condition to an article's current label for a topic (``superseded_at`` NULL)."""
    return and_(_l.article_id == article_id, _l.topic == topic, _l.superseded_at.is_(None))


def put(conn: Connection, article_id: int, topic: str, verdict: str, note: str, by: str,
        now: datetime) -> Label:
    """Make ``verdict`` the current label of (article, topic); the previous one becomes history."""
    check_verdict(verdict)
    found = conn.execute(select(articles.c.article_id)
                         .where(articles.c.article_id == article_id)).first()
    if found is None:
        raise StoreError(f"no stored article with id {article_id}")
    conn.execute(update(labels).where(_l.article_id == article_id, _l.topic == topic,
                                      _l.superseded_at.is_(None)).values(superseded_at=now))
    values = {"article_id": article_id, "topic": topic, "verdict": verdict,
              "note": note.strip()[:MAX_NOTE_CHARS], "labelled_by": by.strip()[:MAX_BY_CHARS],
              "labelled_at": now}
    new_id = conn.execute(insert(labels).values(values).returning(_l.id)).scalar_one()
    return Label(id=int(new_id), **values)  # type: ignore[arg-type]


def current(conn: Connection, article_id: int) -> dict[str, Label]:
    """The article's current label per topic."""
    stmt = select(labels).where(_l.article_id == article_id, _l.superseded_at.is_(None))
    return {row["topic"]: from_row(row) for row in conn.execute(stmt).mappings()}


def history(conn: Connection, article_id: int) -> list[Label]:
    """Every label the article ever had, newest first."""
    stmt = select(labels).where(_l.article_id == article_id).order_by(_l.id.desc())
    return [from_row(row) for row in conn.execute(stmt).mappings()]


def current_page(conn: Connection, topic: str | None, after: int | None, limit: int
                 ) -> list[Label]:
    """Current labels (of ``topic``, or all) with an id above ``after``, by id: a keyset page."""
    stmt = select(labels).where(_l.superseded_at.is_(None)).order_by(_l.id).limit(limit)
    if topic is not None:
        stmt = stmt.where(_l.topic == topic)
    if after is not None:
        stmt = stmt.where(_l.id > after)
    return [from_row(row) for row in conn.execute(stmt).mappings()]


def from_row(row: RowMapping) -> Label:
    return Label(id=int(row["id"]), article_id=int(row["article_id"]), topic=row["topic"],
                 verdict=row["verdict"], note=row["note"] or "", labelled_by=row["labelled_by"],
                 labelled_at=row["labelled_at"], superseded_at=row["superseded_at"])


#: SQLSTATEs of "this role may not write": insufficient privilege, read-only transaction
_READ_ONLY_STATES = ("42501", "25006")


def read_only_failure(exc: BaseException) -> bool:
    """True when a write failed because the store is read-only for this database user."""
    orig = getattr(exc.__cause__, "orig", None) or getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _READ_ONLY_STATES:
        return True
    return "readonly database" in str(orig or exc)
