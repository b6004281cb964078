"""Adaptive polling: each feed's and sitemap's learned schedule (issue 15).

Revision ID: 0015_poll_schedules
Revises: 0014_stories
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from pipelines.storage.schema import UtcDateTime

revision = "0015_poll_schedules"
down_revision = "0014_stories"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("source_polls") as batch:
        batch.add_column(sa.Column("schedule", JSON, nullable=True))
        batch.add_column(sa.Column("next_poll_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source_polls") as batch:
        batch.drop_column("next_poll_at")
        batch.drop_column("schedule")
