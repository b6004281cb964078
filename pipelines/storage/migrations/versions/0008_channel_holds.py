"""Channel holds and backfill digests: alert_channels says how a held channel resumes and what
fixes it; alert_outbox.batch marks the alerts that travel in a crawl's backfill digest.

Revision ID: 0008_channel_holds
Revises: 0005_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_channel_holds"
down_revision = "0005_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alert_outbox", sa.Column("batch", sa.String(length=16), nullable=True))
    # rows from before are webhook 410s: they resume on `alerts enable` only, as they did
    op.add_column("alert_channels",
                  sa.Column("fix", sa.Text(), server_default="", nullable=False))
    op.add_column("alert_channels", sa.Column("resume", sa.String(length=16),
                                              server_default="enable", nullable=False))
    op.add_column("alert_channels",
                  sa.Column("settings", sa.String(length=64), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("alert_channels", schema=None) as batch_op:
        batch_op.drop_column("settings")
        batch_op.drop_column("resume")
        batch_op.drop_column("fix")
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.drop_column("batch")
