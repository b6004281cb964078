"""Stories: the story each matched article reports, and the story index's state (issue 15).

Revision ID: 0014_stories
Revises: 0013_source_polls
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from pipelines.storage.schema import UtcDateTime

revision = "0014_stories"
down_revision = "0013_source_polls"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("matches", sa.Column("story_id", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_matches_story_id_topic"), "matches", ["story_id", "topic"])
    op.create_table(
        "story_index",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_story_index")),
    )


def downgrade() -> None:
    op.drop_table("story_index")
    op.drop_index(op.f("ix_matches_story_id_topic"), table_name="matches")
    with op.batch_alter_table("matches") as batch:
        batch.drop_column("story_id")
