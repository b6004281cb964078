"""Opening the database: URL checks, SQLite pragmas and BEGIN IMMEDIATE, PostgreSQL timeouts."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

logger = logging.getLogger(__name__)

#: execution option read by the SQLite "begin" hook: DEFERRED for reads, IMMEDIATE for writes
BEGIN_OPTION = "mtwatch_begin"
#: how long an SQLite writer waits for the write lock before "database is locked": writes take
#: milliseconds, but on a busy machine four writers in a row starved one past 5 s
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_PRAGMAS = (
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)


class StoreError(Exception):
    """The store cannot be opened or a store operation failed; the message is one clear line."""


def one_line(exc: BaseException, limit: int = 300) -> str:
    """A single-line, bounded description of an error (driver message when there is one)."""
    source: BaseException = exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        source = exc.orig
    if isinstance(source, OSError) and source.strerror:
        text = source.strerror
    else:
        text = str(source) or type(source).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def redact_url(url: str) -> str:
    """The URL as it may appear in messages: no password."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def describe(url: URL) -> str:
    """Where the store lives, for error messages: the file for SQLite, the URL otherwise."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"cannot open store at {redact_url(url)}: {one_line(exc)}") from None


def open_engine(url: URL) -> Engine:
    """An engine for ``url``; SQLite gets its parent directory, pragmas and BEGIN hook."""
    backend = url.get_backend_name()
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        _make_parent(url)
    elif backend == "postgresql" and "connect_timeout" not in url.query:
        kwargs["connect_args"] = {"connect_timeout": 10}
    engine = create_engine(url, pool_pre_ping=backend != "sqlite", **kwargs)
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take SQLite's write lock up front."""
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})


def _make_parent(url: URL) -> None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the sqlite3 module, decides when transactions begin (see _sqlite_begin)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
            if pragma.startswith("PRAGMA journal_mode"):
                mode = cursor.fetchone()[0]
                if mode not in ("wal", "memory"):
                    logger.warning("SQLite journal_mode is %s, not WAL", mode)
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A deferred read-then-write transaction gets SQLITE_BUSY without waiting on upgrade;
    # writers take the lock at BEGIN so busy_timeout applies.
    mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")
