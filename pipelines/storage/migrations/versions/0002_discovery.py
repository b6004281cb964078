"""Discovery: article source and retry time, feed/sitemap validators, soft-404 records.

Revision ID: 0002_discovery
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pipelines.storage.schema import UtcDateTime

revision = "0002_discovery"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a store made by metadata.create_all (pre-migration builds) may have these already
    inspector = sa.inspect(op.get_bind())
    if "retry_at" not in {c["name"] for c in inspector.get_columns("articles")}:
        with op.batch_alter_table("articles", schema=None) as batch_op:
            batch_op.add_column(sa.Column("source", sa.String(length=32), server_default="", nullable=False))
            batch_op.add_column(sa.Column("retry_at", UtcDateTime(), nullable=True))
    if not inspector.has_table("sources"):
        _create_sources()
    if not inspector.has_table("soft_404s"):
        _create_soft_404s()


def _create_sources() -> None:
    op.create_table(
        "sources",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("newest_item", UtcDateTime(), nullable=True),
        sa.Column("lastmod", sa.Text(), nullable=True),
        sa.Column("checked_at", UtcDateTime(), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_sources")),
    )


def _create_soft_404s() -> None:
    op.create_table(
        "soft_404s",
        sa.Column("article_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("hits", sa.Integer(), server_default="1", nullable=False),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.Column("recheck_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_soft_404s")),
    )


def downgrade() -> None:
    op.drop_table("soft_404s")
    op.drop_table("sources")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("retry_at")
        batch_op.drop_column("source")
