"""Private stores for tests: an SQLite file, or a fresh schema on the PostgreSQL server named
by ``MTWATCH_TEST_PG_URL`` (``.ci/run`` sets it when a server answers; tests skip without)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

PG_ENV = "MTWATCH_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


@contextmanager
def pg_schema() -> Iterator[str]:
    """A store URL on a fresh PostgreSQL schema (dropped afterwards); skips without a server."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set; PostgreSQL variant skipped")
    schema = f"mtw_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def backend_store_url(backend: str, tmp: Path) -> Iterator[str]:
    """A private store: an SQLite file in ``tmp`` or a PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'mtwatch.db'}"
        return
    with pg_schema() as url:
        yield url
