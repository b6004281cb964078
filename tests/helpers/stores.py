"""Empty stores without running every migration for each test: one store per backend is
migrated per test process (per xdist worker) and copied wherever a test wants an open, empty
store (the ``store`` fixture). A fresh store runs all the migrations (about 0.15 s CPU here,
and on PostgreSQL many catalog round trips and DDL statements); a copy is the same store for a
fraction of that. The migration tests and every command that creates its own store still
migrate from nothing.

SQLite: the migrated file, copied. PostgreSQL: the migrated schema as ``pg_dump`` writes it
(tables, sequences, indexes, constraints and the ``alembic_version`` row), replayed into the
test's own fresh schema in one round trip; without a usable ``pg_dump`` the store migrates."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, make_url

from pipelines.storage import Store
from pipelines.storage.database import sqlite_path
from pipelines.storage.files import create_private, private_dir


def migrated_sqlite(directory: Path) -> Path:
    """An empty SQLite store in ``directory``, migrated to the current heads and closed (its
    write-ahead log checkpointed into the file, so the file alone is the whole store)."""
    path = directory / "template.db"
    with Store(f"sqlite:///{path}"):
        pass
    leftovers = [p.name for p in directory.iterdir() if p != path]
    assert not leftovers, f"the closed template left {leftovers} beside it"
    return path


def copy_sqlite(template: Path, url: str) -> None:
    """Put a copy of ``template`` where the SQLite ``url`` points, created as the store
    creates its own file (a 0700 directory, a 0600 file), before anything opens it."""
    path = sqlite_path(url)
    assert path is not None, f"not an SQLite URL: {url}"
    private_dir(path.parent)
    create_private(path)
    shutil.copyfile(template, path)  # into the private file: its mode stays 0600


def schema_of(url: str) -> str:
    """The schema a :func:`tests.helpers.pg.pg_schema` URL puts on the search path."""
    options = str(make_url(url).query["options"])
    return options.split("-csearch_path=", 1)[1].split()[0]


def dump_migrated_pg(url: str) -> str | None:
    """The SQL that recreates the schema of ``url`` once migrated, with the schema's name as
    written by ``pg_dump`` (replace it to replay elsewhere); None without a usable pg_dump."""
    with Store(url):
        pass
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        return None
    parsed = make_url(url)
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}
    done = subprocess.run(
        [pg_dump, "--no-owner", "--no-privileges", "--inserts", "--schema", schema_of(url),
         "--host", parsed.host or "127.0.0.1", "--port", str(parsed.port or 5432),
         "--username", parsed.username or "postgres", parsed.database or ""],
        capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:  # e.g. a pg_dump older than the server: the stores migrate
        return None
    # psql's own commands (\restrict) and the schema itself (the test's exists already) out
    return "\n".join(line for line in done.stdout.splitlines()
                     if not line.startswith(("\\", "CREATE SCHEMA ")))


def copy_pg(dump: tuple[str, str], url: str) -> None:
    """Replay ``dump`` (its SQL, the schema name in it) into the empty schema of ``url``."""
    sql, template_schema = dump
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql.replace(template_schema, schema_of(url)))
    finally:
        engine.dispose()
