"""INSERT … ON CONFLICT DO NOTHING RETURNING, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_new(
    conn: Connection, table: Table, values: Mapping[str, Any], keys: Sequence[str]
) -> Any | None:
    """Insert ``values`` unless a row with the same ``keys`` exists; the new primary key or None."""
    name = conn.dialect.name
    if name == "postgresql":
        stmt: Any = postgresql.insert(table)
    elif name == "sqlite":
        stmt = sqlite.insert(table)
    else:
        raise NotImplementedError(f"unsupported database dialect {name!r}")
    pk = next(iter(table.primary_key.columns))
    stmt = stmt.values(**values).on_conflict_do_nothing(index_elements=list(keys)).returning(pk)
    return conn.execute(stmt).scalar_one_or_none()
