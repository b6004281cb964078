"""Bring a store's schema to the newest revision with Alembic, inside the caller's transaction.

Every store open checks the schema; nearly always it is current. That check reads the
``alembic_version`` row with plain SQL and compares it with :data:`HEADS`, so a process that
never migrates never imports Alembic (with Mako and Pygments, about a fifth of a second of
start-up, paid twice by every crawl: the command and its crawl child).

A new, empty SQLite store (a first crawl, a backfill into a fresh file) is not migrated
revision by revision: :func:`create_fresh` runs the statements a migrated store's schema
consists of (``migrations/fresh_sqlite.sql``, written from one by ``python -m
pipelines.storage.migrate``) and records the heads, in the caller's transaction, without
importing Alembic. A test builds a store both ways and compares them, and the script with the
one the migrations give now, so a new migration fails it until the script is written again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from pipelines.storage import backup

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: the schema of a migrated SQLite store at :data:`HEADS`, as SQL (``create_fresh``)
FRESH_SQLITE = MIGRATIONS / "fresh_sqlite.sql"
#: the newest revision(s) in ``migrations/versions``: a new migration updates this line (a test
#: compares it with what Alembic finds there) and writes :data:`FRESH_SQLITE` again
HEADS = frozenset({"0017_source_moves"})
#: serialises concurrent migrations on PostgreSQL (the same key as the store's schema lock)
SCHEMA_LOCK = 0x6D7477

logger = logging.getLogger(__name__)
# Alembic says "Context impl SQLiteImpl" each time a store opens: noise in every crawl log
logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revisions() -> set[str]:
    return set(_heads())


@cache
def _heads() -> frozenset[str]:
    """What Alembic finds in ``migrations/versions`` (read once per process)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(connection: Connection) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


def is_current(connection: Connection) -> bool:
    """The schema is at :data:`HEADS` (plain SQL: no Alembic import)."""
    if not inspect(connection).has_table("alembic_version"):
        return False
    stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return frozenset(stored) == HEADS


def pending_revisions(connection: Connection) -> list[str]:
    """Revisions not applied yet, oldest first (all of them for an empty database)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    current = current_revisions(connection) or ({BASELINE} if _is_pre_migration(connection)
                                                else set())
    applied = {rev.revision for rev in script.iterate_revisions(tuple(current), "base")}
    wanted = list(script.iterate_revisions("heads", "base"))
    return [rev.revision for rev in reversed(wanted) if rev.revision not in applied]


#: the revision whose schema ``metadata.create_all`` produced before migrations existed
BASELINE = "0001"


@dataclass(frozen=True)
class Migration:
    """What one upgrade did."""

    before: frozenset[str]
    applied: tuple[str, ...]
    backup: Path | None


def migrate(connection: Connection) -> Migration | None:
    """Apply every pending migration on ``connection`` (one transaction); None if up to date.

    An SQLite store with data is backed up first (sqlite3 backup API), so a bad migration can
    be undone by putting the file back.
    """
    if is_current(connection):
        return None
    from alembic import command

    current = current_revisions(connection)
    if current == head_revisions():
        return None
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
    pending = pending_revisions(connection)
    config = alembic_config(connection)
    saved = None
    path = backup.sqlite_file(connection)
    if path is not None and (current or _is_pre_migration(connection)):
        saved = backup.before_migration(path, "+".join(sorted(head_revisions())))
    if not current and _is_pre_migration(connection):
        command.stamp(config, BASELINE)  # a store from before migrations: adopt it
    command.upgrade(config, "heads")
    if current:
        logger.warning("store schema upgraded: %s → %s", ", ".join(sorted(current)),
                       ", ".join(sorted(head_revisions())))
    return Migration(frozenset(current), tuple(pending), saved)


def create_fresh(connection: Connection) -> bool:
    """On a new, empty SQLite store: its schema at :data:`HEADS` from :data:`FRESH_SQLITE` and
    the heads recorded, as the migrations would leave it; True if done. False (nothing done)
    on any other store: PostgreSQL, or a file with any table (those are migrated)."""
    if connection.dialect.name != "sqlite" or not FRESH_SQLITE.is_file() or \
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar():
        return False
    for statement in FRESH_SQLITE.read_text(encoding="utf-8").split(";\n\n"):
        if statement.strip():
            connection.exec_driver_sql(statement)
    for head in sorted(HEADS):
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                           {"v": head})
    return True


def fresh_sqlite_script(connection: Connection) -> str:
    """The schema of the SQLite store on ``connection`` as the script ``create_fresh`` runs:
    every table and index SQLite keeps the SQL of, in the order they were made (SQLite's own
    tables and the indexes of its constraints come with their tables)."""
    rows = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY rowid").scalars()
    return "".join(f"{sql};\n\n" for sql in rows)


def write_fresh_sqlite(target: Path = FRESH_SQLITE) -> None:
    """Migrate a new SQLite store in a scratch directory and write its schema to ``target``."""
    import tempfile

    from sqlalchemy import create_engine

    with tempfile.TemporaryDirectory(prefix="mtwatch-schema-") as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'fresh.db'}")
        try:
            with engine.begin() as conn:
                upgrade(conn)
                script = fresh_sqlite_script(conn)
        finally:
            engine.dispose()
    target.write_text("-- written by `python -m pipelines.storage.migrate` from a store "
                      f"migrated to {', '.join(sorted(HEADS))}: do not edit\n\n" + script,
                      encoding="utf-8")


def upgrade(connection: Connection) -> bool:
    """Apply every pending migration on ``connection``; True if anything was applied."""
    return migrate(connection) is not None


def _is_pre_migration(connection: Connection) -> bool:
    return not current_revisions(connection) and inspect(connection).has_table("articles")


if __name__ == "__main__":
    write_fresh_sqlite()
    print(f"wrote {FRESH_SQLITE}")
