"""Per-source health: how each feed and sitemap answered its recent polls (issue 15).

Revision ID: 0013_source_polls
Revises: 0012_leases
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from pipelines.storage.schema import UtcDateTime

revision = "0013_source_polls"
down_revision = "0012_leases"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "source_polls",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("polled_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_at", UtcDateTime(), nullable=True),
        sa.Column("recent", JSON, nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_source_polls")),
    )
    op.create_index(op.f("ix_source_polls_site"), "source_polls", ["site"])


def downgrade() -> None:
    op.drop_index(op.f("ix_source_polls_site"), table_name="source_polls")
    op.drop_table("source_polls")
