"""Alembic environment: runs on the connection handed over by ``pipelines.storage.migrate``."""

from __future__ import annotations

from alembic import context

from pipelines.storage.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through pipelines.storage.migrate
    raise RuntimeError("run migrations through pipelines.storage.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite: ALTER through move-and-copy
    compare_type=True,
)
context.run_migrations()
