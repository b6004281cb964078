"""Labels: analysts' relevant / not-relevant verdicts per (article, topic), with history;
indexes for the desk's reads.

Revision ID: 0009_labels
Revises: 0005_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pipelines.storage.schema import UtcDateTime

revision = "0009_labels"
down_revision = "0005_merge"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CURRENT = sa.text("superseded_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("id", ID, nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("labelled_by", sa.String(length=128), nullable=False),
        sa.Column("labelled_at", UtcDateTime(), nullable=False),
        sa.Column("superseded_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint("verdict IN ('relevant', 'not-relevant')",
                           name=op.f("ck_labels_verdict")),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"],
                                name=op.f("fk_labels_article_id_articles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labels")),
    )
    op.create_index("uq_labels_current", "labels", ["article_id", "topic"], unique=True,
                    sqlite_where=CURRENT, postgresql_where=CURRENT)
    op.create_index(op.f("ix_labels_topic_labelled_at"), "labels", ["topic", "labelled_at"])
    # the desk's reads: a topic's matches from the index alone; the newest finished runs
    op.create_index("ix_matches_topic_article_id", "matches", ["topic", "article_id"])
    op.create_index("ix_runs_finished_at", "runs", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_runs_finished_at", table_name="runs")
    op.drop_index("ix_matches_topic_article_id", table_name="matches")
    op.drop_index(op.f("ix_labels_topic_labelled_at"), table_name="labels")
    op.drop_index("uq_labels_current", table_name="labels")
    op.drop_table("labels")
