"""Feeds and sitemaps that moved: the address a permanent redirect (301/308) led to, so that
later polls ask it directly (issue 15).

Revision ID: 0017_source_moves
Revises: 0016_watches
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_source_moves"
down_revision = "0016_watches"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("moved_to", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("moved_to")
