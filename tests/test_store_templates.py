"""The ``store`` fixture's copies (tests.helpers.stores) are the store a first open migrates
to: the same tables, columns, indexes, constraints, rows and migration heads on each backend."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from pipelines.storage import Store, migrate
from pipelines.storage.database import sqlite_path
from tests.helpers.pg import backend_store_url
from tests.helpers.stores import copy_pg, copy_sqlite


def plain(value: Any) -> Any:
    """``value`` (what the inspector reports) comparable across stores: SQL clauses as text."""
    if isinstance(value, dict):
        return sorted((key, plain(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value if value is None or isinstance(value, str | int | bool) else str(value)


def check_text(sql: Any) -> str:
    """A CHECK constraint's SQL without its casts: PostgreSQL prints the same ``IN (...)``
    check with its casts in other places once pg_dump's text is parsed again."""
    return re.sub(r"::[a-z ]+(\[\])?", "", str(sql))


def shape(url: str) -> dict[str, Any]:
    """What a store holds: every table's columns, keys, indexes, checks and rows."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            seen = inspect(conn)
            tables = sorted(seen.get_table_names())
            return {name: {
                "columns": [(c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                            for c in seen.get_columns(name)],
                "primary": seen.get_pk_constraint(name)["constrained_columns"],
                "foreign": sorted(map(str, plain(seen.get_foreign_keys(name)))),
                "unique": sorted(map(str, plain(seen.get_unique_constraints(name)))),
                "indexes": sorted(map(str, plain(seen.get_indexes(name)))),
                "checks": sorted(check_text(check.get("sqltext"))
                                 for check in seen.get_check_constraints(name)),
                "rows": sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"')))),
            } for name in tables}
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_copied_store_is_the_store_a_first_open_migrates_to(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest,
) -> None:
    with backend_store_url(backend, tmp_path / "fresh") as fresh, \
            backend_store_url(backend, tmp_path / "copy") as copied:
        with Store(fresh):
            pass
        if backend == "sqlite":
            copy_sqlite(request.getfixturevalue("sqlite_template"), copied)
            path = sqlite_path(copied)
            assert path is not None
            assert path.stat().st_mode & 0o777 == 0o600
            assert path.parent.stat().st_mode & 0o777 == 0o700
        else:
            dump = request.getfixturevalue("pg_template")
            if dump is None:
                pytest.skip("no usable pg_dump: the store fixture migrates each store")
            copy_pg(dump, copied)
        expected = shape(fresh)
        assert expected, "a migrated store has tables"
        assert shape(copied) == expected


def test_a_new_sqlite_store_is_the_store_its_migrations_build(tmp_path: Path) -> None:
    """A new, empty SQLite file gets its schema from ``fresh_sqlite.sql`` (no migration
    replayed): the same tables, columns in the same order, keys, indexes, checks and heads as
    a store Alembic migrates revision by revision now (a new migration fails this until the
    script is written again: ``python -m pipelines.storage.migrate``)."""
    fresh, replayed = f"sqlite:///{tmp_path / 'fresh.db'}", f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(replayed)
    try:
        with engine.begin() as conn:
            assert migrate.upgrade(conn)
    finally:
        engine.dispose()
    with Store(fresh):
        pass
    engine = create_engine(fresh)
    try:
        with engine.connect() as conn:
            assert not migrate.create_fresh(conn)  # it has tables now: never twice
            assert migrate.is_current(conn)
    finally:
        engine.dispose()
    assert shape(fresh) == shape(replayed), "run: python -m pipelines.storage.migrate"

