"""Reaching past the store's API in tests, the same way on SQLite and PostgreSQL: back-dating
rows, planting a claim, counting rows, through the schema's tables (so datetimes keep the
store's own encoding on each backend)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Connection

from pipelines.storage import Store


@contextmanager
def writing(store: Store) -> Iterator[Connection]:
    """One write transaction on ``store``'s own engine (committed on leaving the block)."""
    with store._tx("test", write=True) as conn:
        yield conn


def sqlite_rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    """The rows ``sql`` selects from the SQLite store file ``db``."""
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))
