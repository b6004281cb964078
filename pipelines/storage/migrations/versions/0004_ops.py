"""Operations: `runs` rows for skipped and missed slots, and the daemon's `ops_state` table.

Revision ID: 0004_ops
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pipelines.storage.schema import UtcDateTime

revision = "0004_ops"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
OLD_STATUSES = "status IN ('running', 'ok', 'failed', 'degraded')"
NEW_STATUSES = "status IN ('running', 'ok', 'failed', 'degraded', 'skipped', 'missed')"


def upgrade() -> None:
    _runs_check(NEW_STATUSES)
    # a store made by metadata.create_all (pre-migration builds) may have it already
    if not sa.inspect(op.get_bind()).has_table("ops_state"):
        op.create_table(
            "ops_state",
            sa.Column("key", sa.String(length=64), nullable=False),
            sa.Column("value", JSON, nullable=False),
            sa.Column("updated_at", UtcDateTime(), nullable=False),
            sa.PrimaryKeyConstraint("key", name=op.f("pk_ops_state")),
        )


def downgrade() -> None:
    op.drop_table("ops_state")
    op.execute("DELETE FROM runs WHERE status IN ('skipped', 'missed')")
    _runs_check(OLD_STATUSES)


def _runs_check(condition: str) -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_runs_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_runs_status"), condition)
