"""Backfill horizons: the months a backfill covers and which were walked, so later runs finish it.

Revision ID: 0007_backfill
Revises: 0005_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pipelines.storage.schema import UtcDateTime

revision = "0007_backfill"
down_revision = "0005_merge"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "backfills",
        sa.Column("id", ID, nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("months", JSON, nullable=False),
        sa.Column("walked", JSON, nullable=False),
        sa.Column("months_total", sa.Integer(), nullable=False),
        sa.Column("months_walked", sa.Integer(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint("trigger IN ('since', 'backfill_days', 'auto')",
                           name=op.f("ck_backfills_trigger")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backfills")),
    )
    with op.batch_alter_table("backfills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_backfills_finished_at"), ["finished_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("backfills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_backfills_finished_at"))
    op.drop_table("backfills")
