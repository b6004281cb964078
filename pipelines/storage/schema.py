"""The store's tables and column types, in one place so Alembic can baseline them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from pipelines.storage.records import ALERT_STATUSES, RUN_STATUSES


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every dialect (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store needs timezone-aware values")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


#: surrogate keys: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite
Id = BigInteger().with_variant(Integer(), "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

articles = Table(
    "articles",
    metadata,
    Column("article_id", BigInteger, primary_key=True, autoincrement=False),
    Column("url", Text, nullable=False),
    Column("headline", Text, nullable=False, default=""),
    Column("subtitle", Text, nullable=False, default=""),
    Column("authors", Json, nullable=False),
    Column("published", UtcDateTime, nullable=True),
    Column("modified", UtcDateTime, nullable=True),
    Column("section", Text, nullable=False, default=""),
    Column("tags", Json, nullable=False),
    Column("language", String(16), nullable=False, default=""),
    Column("html_sha256", String(64), nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("extraction", Text, nullable=False, default=""),
    # discovered|fetched|extracted|evaluated: checked in Python, so new states need no migration
    Column("state", String(16), nullable=False),
    Column("failures", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("fetched_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(None, "published"),
    Index(None, "state"),
)

matches = Table(
    "matches",
    metadata,
    Column("id", Id, primary_key=True),
    Column("article_id", BigInteger, ForeignKey("articles.article_id"), nullable=False),
    Column("topic", String(64), nullable=False),
    Column("rule_version", String(64), nullable=False),
    Column("rule", Text, nullable=False),
    Column("grade", String(32), nullable=False),
    Column("evidence", Json, nullable=False),
    Column("matched_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("article_id", "topic"),
    Index(None, "topic", "matched_at"),
)

alert_outbox = Table(
    "alert_outbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("match_id", Id, ForeignKey("matches.id"), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("idempotency_key", String(64), nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("payload", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    UniqueConstraint("idempotency_key", "channel"),
    CheckConstraint(_in("status", ALERT_STATUSES), name="status"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "match_id"),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("trigger", String(32), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("status", String(16), nullable=False, default="running"),
    Column("reason", Text, nullable=False, default=""),
    Column("stats", Json, nullable=False),
    CheckConstraint(_in("status", RUN_STATUSES), name="status"),
    Index(None, "started_at"),
)
