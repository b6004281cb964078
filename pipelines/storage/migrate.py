"""Bring a store's schema to the newest revision with Alembic, inside the caller's transaction."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


#: the revision whose schema ``metadata.create_all`` produced before migrations existed
BASELINE = "0001"


def upgrade(connection: Connection) -> bool:
    """Apply every pending migration on ``connection``; True if anything was applied."""
    current = current_revisions(connection)
    if current == head_revisions():
        return False
    config = alembic_config(connection)
    if not current and inspect(connection).has_table("articles"):
        command.stamp(config, BASELINE)  # a store from before migrations: adopt it
    command.upgrade(config, "heads")
    return True
