"""Watches: the watch each outbox row belongs to (issue 15).

Every row written before this revision belongs to the implicit watch of a config without
``[watches.*]`` tables (``""``): its key, channel and thread stay as they were, so nothing is
sent again after the upgrade.

Revision ID: 0016_watches
Revises: 0015_poll_schedules
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_watches"
down_revision = "0015_poll_schedules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alert_outbox", sa.Column("watch", sa.String(length=32), server_default="",
                                            nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("alert_outbox") as batch:
        batch.drop_column("watch")
