"""URL leases for cluster workers: which worker may fetch a URL, until when (issue 16).

Revision ID: 0012_leases
Revises: 0010_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# the table is declared in pipelines.storage.schema, on the store's metadata with every other
# table (the schema comparisons and autogenerate read it there)
from pipelines.storage.schema import UtcDateTime

revision = "0012_leases"
down_revision = "0011_sites"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "url_leases",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=255), nullable=True),
        sa.Column("lease_until", UtcDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("updated", UtcDateTime(), nullable=False),
        sa.CheckConstraint("state IN ('queued', 'claimed', 'done')",
                           name=op.f("ck_url_leases_state")),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_url_leases")),
    )
    op.create_index(op.f("ix_url_leases_state_lease_until"), "url_leases",
                    ["state", "lease_until"])


def downgrade() -> None:
    op.drop_index(op.f("ix_url_leases_state_lease_until"), table_name="url_leases")
    op.drop_table("url_leases")
