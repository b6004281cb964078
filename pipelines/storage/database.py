"""Opening the database: URL checks, SQLite pragmas and BEGIN IMMEDIATE, PostgreSQL timeouts."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from pipelines.storage.files import create_private, private_dir

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


#: ``scheme://user:`` and everything up to the last ``@``: a password may hold ``@`` and ``/``
_PASSWORD = re.compile(r"^([A-Za-z][\w+.-]*://[^:/@]*:).*@", re.DOTALL)
_SCHEME = re.compile(r"^[A-Za-z][\w+.-]*://")
_URL_FORMS = "sqlite:////path/mtwatch.db or postgresql+psycopg://user:password@host:5432/db"


def redact_url(url: str) -> str:
    """Any URL as it may be shown (configuration, messages, logs): the password as ``***``."""
    return _PASSWORD.sub(r"\1***@", url)


def describe(url: URL) -> str:
    """Where the store lives, for messages: the file for SQLite, the redacted URL otherwise."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return redact_url(url.render_as_string(hide_password=False))


def check_url(url: str) -> URL:
    """The parsed store URL, or ValueError with one line that never quotes the URL's text
    (a malformed URL may put its password anywhere, e.g. where the port should be)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: int() of a port
        scheme = _SCHEME.match(url)
        shown = f" ({scheme.group(0)}…)" if scheme else ""
        port = "" if isinstance(exc, ArgumentError) else "; the port must be a number"
        raise ValueError(f"not a database URL{shown}{port}; use {_URL_FORMS}") from None
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise ValueError(f"port {parsed.port} is out of range (1-65535)")
    try:
        parsed.get_dialect()
    except (ArgumentError, ImportError):
        raise ValueError(f"unknown database {parsed.drivername!r}; use {_URL_FORMS}") from None
    return parsed


def parse_url(url: str) -> URL:
    try:
        return check_url(url)
    except ValueError as exc:
        raise StoreError(f"cannot open store: {exc}") from None


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


def sqlite_path(url: str | URL) -> Path | None:
    """The file of an SQLite store URL; None for PostgreSQL, in-memory and ``file:`` URIs."""
    parsed = make_url(url) if isinstance(url, str) else url
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if database.startswith("file:") else Path(database).expanduser()


def _make_parent(url: URL) -> None:
    """The SQLite file's directory (0700 if new) and the file itself, 0600, before SQLite
    creates it 0644; its -wal and -shm files get the database file's mode from SQLite."""
    path = sqlite_path(url)
    if path is not None:
        private_dir(path.parent)
        create_private(path)


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
