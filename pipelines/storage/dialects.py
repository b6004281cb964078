"""INSERT … ON CONFLICT DO NOTHING RETURNING, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection


def insert_new(
    conn: Connection, table: Table, values: Mapping[str, Any], keys: Sequence[str]
) -> Any | None:
    """Insert ``values`` unless a row with the same ``keys`` exists; the new primary key or None."""
    stmt = dialect_insert(conn, table)
    pk = next(iter(table.primary_key.columns))
    stmt = stmt.values(**values).on_conflict_do_nothing(index_elements=list(keys)).returning(pk)
    return conn.execute(stmt).scalar_one_or_none()


def dialect_insert(conn: Connection, table: Table) -> Any:
    """``INSERT INTO table`` with the dialect's own ``ON CONFLICT`` clauses, for ``conn``'s
    database. Only that dialect's module is imported: SQLAlchemy's PostgreSQL dialect has no
    place in a SQLite process (pipelines.storage.schema)."""
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    if name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database dialect {name!r}")
