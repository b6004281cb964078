"""Alerts: outbox kinds (update, digest, notice), digests, claim holders, disabled channels.

Revision ID: 0003_alerts
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pipelines.storage.schema import UtcDateTime

revision = "0003_alerts"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
KINDS = "kind IN ('alert', 'update', 'digest', 'notice')"


def upgrade() -> None:
    # a store made by metadata.create_all (pre-migration builds) may have these already
    inspector = sa.inspect(op.get_bind())
    if "kind" not in {c["name"] for c in inspector.get_columns("alert_outbox")}:
        _upgrade_outbox()
    if not inspector.has_table("alert_channels"):
        _create_channels()


def _upgrade_outbox() -> None:
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.alter_column("match_id", existing_type=ID, nullable=True)
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="alert", nullable=False))
        batch_op.add_column(sa.Column("refers_to", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("digest_id", ID, nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=128), nullable=True))
        batch_op.create_check_constraint(op.f("ck_alert_outbox_kind"), KINDS)
        batch_op.create_index(batch_op.f("ix_alert_outbox_digest_id"), ["digest_id"], unique=False)


def _create_channels() -> None:
    op.create_table(
        "alert_channels",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("disabled_at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_alert_channels")),
    )


def downgrade() -> None:
    op.drop_table("alert_channels")
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_outbox_digest_id"))
        batch_op.drop_constraint(op.f("ck_alert_outbox_kind"), type_="check")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("digest_id")
        batch_op.drop_column("refers_to")
        batch_op.drop_column("kind")
        batch_op.alter_column("match_id", existing_type=ID, nullable=False)
