"""Private stores for tests: an SQLite file, or a fresh schema on the PostgreSQL server named
by ``MTWATCH_TEST_PG_URL`` (``.ci/run`` sets it when a server answers; tests skip without).

Under pytest-xdist each worker uses its own database on that server (``<database>_gw0``, …,
created on first use and kept, like the base database): advisory locks are per database, so
workers never wait on each other's schema locks, and every test gets its own schema inside.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from pipelines.storage import Store

PG_ENV = "MTWATCH_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def pg_url() -> str:
    """This worker's database on the test server (skips the test without a server)."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set; PostgreSQL variant skipped")
    return _worker_database(base, os.environ.get("PYTEST_XDIST_WORKER", ""))


@functools.cache
def _worker_database(base: str, worker: str) -> str:
    if not worker:
        return base
    url = make_url(base)
    name = f"{url.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).first()
            if not exists:
                try:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                except DBAPIError as exc:  # another suite created it at the same moment
                    if "already exists" not in str(exc) and "pg_database" not in str(exc):
                        raise
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@contextmanager
def pg_schema() -> Iterator[str]:
    """A store URL on a fresh PostgreSQL schema (dropped afterwards); skips without a server."""
    base = pg_url()
    schema = f"mtw_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    # commits need not wait for the server's disk: nothing here crashes the server, and what a
    # committed transaction shows every session is the same (the kill -9 tests kill clients)
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = make_url(base).update_query_dict({"options": options})
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


@contextmanager
def read_only_role(url: str) -> Iterator[str]:
    """The URL of a PostgreSQL role that may only read the schema of ``url`` (a
    :func:`pg_schema` URL, migrated first: the role could not); the role is dropped afterwards."""
    parsed = make_url(url)
    schema = str(parsed.query["options"]).split("-csearch_path=", 1)[1].split()[0]
    role = f"ro_{schema}"
    with Store(url):
        pass  # migrate first: the read-only role cannot
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"'))
    try:
        yield parsed.set(username=role).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()
