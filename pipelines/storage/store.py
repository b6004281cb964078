"""Store: the one object the pipelines and the CLI use to read and write the database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from pipelines.storage import articles, matches, migrate, outbox, runs
from pipelines.storage.engine import (
    StoreError,
    describe,
    one_line,
    open_engine,
    parse_url,
    writer,
)
from pipelines.storage.records import AlertRow, ArticleRecord, MatchRecord, RunRow, require_aware

#: any constant: serialises concurrent schema creation on PostgreSQL
_SCHEMA_LOCK = 0x6D7477


class Store:
    """Articles, matches, the alert outbox and runs, on SQLite or PostgreSQL."""

    def __init__(self, url: str) -> None:
        parsed = parse_url(url)
        self.location = describe(parsed)
        try:
            self._engine = open_engine(parsed)
            self._writer = writer(self._engine)
            self._create_schema()
        except (SQLAlchemyError, OSError, ImportError) as exc:
            raise StoreError(f"cannot open store at {self.location}: {one_line(exc)}") from None

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    def _create_schema(self) -> None:
        with self._writer.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})
            migrate.upgrade(conn)

    @contextmanager
    def _tx(self, op: str, *, write: bool) -> Iterator[Connection]:
        """One transaction; writes take SQLite's lock at BEGIN. Driver errors become StoreError."""
        engine = self._writer if write else self._engine
        try:
            with engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"{op} failed: {one_line(exc)}") from exc

    # articles

    def upsert_article(self, rec: ArticleRecord) -> str:
        with self._tx("upsert_article", write=True) as conn:
            return articles.upsert(conn, rec, _now())

    def get_article(self, article_id: int) -> ArticleRecord | None:
        with self._tx("get_article", write=False) as conn:
            return articles.get(conn, article_id)

    def count_articles(self) -> int:
        with self._tx("count_articles", write=False) as conn:
            return articles.count(conn)

    def article_ids(self) -> set[int]:
        with self._tx("article_ids", write=False) as conn:
            return articles.ids(conn)

    # matches

    def record_match(
        self, m: MatchRecord, channels: Sequence[str], *, topic_name: str | None = None
    ) -> bool:
        """Match + one outbox row per channel, atomically. True if new; old matches get no rows."""
        with self._tx("record_match", write=True) as conn:
            return matches.record(conn, m, channels, topic_name or m.topic, _now())

    def list_matches(
        self, *, topic: str | None = None, since: datetime | None = None
    ) -> list[MatchRecord]:
        require_aware("since", since)
        with self._tx("list_matches", write=False) as conn:
            return matches.list_matches(conn, topic, since)

    # alert outbox

    def due_alerts(
        self, *, now: datetime, channel: str | None = None, limit: int = 100
    ) -> list[AlertRow]:
        with self._tx("due_alerts", write=False) as conn:
            return outbox.due(conn, now, channel, limit)

    def claim_alert(self, alert_id: int, *, now: datetime, lease: timedelta) -> bool:
        with self._tx("claim_alert", write=True) as conn:
            return outbox.claim(conn, alert_id, now, lease)

    def mark_sent(self, alert_id: int, *, now: datetime) -> None:
        with self._tx("mark_sent", write=True) as conn:
            outbox.mark_sent(conn, alert_id, now)

    def mark_failed(
        self, alert_id: int, *, now: datetime, error: str, retry_at: datetime | None
    ) -> None:
        with self._tx("mark_failed", write=True) as conn:
            outbox.mark_failed(conn, alert_id, now, error, retry_at)

    def requeue_alert(self, alert_id: int, *, now: datetime) -> bool:
        """Replay a dead alert: back to pending, due at ``now``. False if it was not dead."""
        with self._tx("requeue_alert", write=True) as conn:
            return outbox.requeue(conn, alert_id, now)

    def list_alerts(self, *, status: str | None = None) -> list[AlertRow]:
        with self._tx("list_alerts", write=False) as conn:
            return outbox.list_alerts(conn, status)

    # runs

    def start_run(self, *, trigger: str, now: datetime) -> int:
        with self._tx("start_run", write=True) as conn:
            return runs.start(conn, trigger, now)

    def finish_run(
        self, run_id: int, *, now: datetime, status: str, reason: str, stats: Mapping[str, Any]
    ) -> None:
        with self._tx("finish_run", write=True) as conn:
            runs.finish(conn, run_id, now, status, reason, stats)

    def last_runs(self, limit: int = 10) -> list[RunRow]:
        with self._tx("last_runs", write=False) as conn:
            return runs.last(conn, limit)


def _now() -> datetime:
    return datetime.now(UTC)
