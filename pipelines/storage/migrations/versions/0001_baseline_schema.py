"""Baseline: the schema of mtwatch 0.1 (articles, matches, alert outbox, runs).

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from pipelines.storage.schema import UtcDateTime

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table('articles',
    sa.Column('article_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('headline', sa.Text(), nullable=False),
    sa.Column('subtitle', sa.Text(), nullable=False),
    sa.Column('authors', JSON, nullable=False),
    sa.Column('published', UtcDateTime(), nullable=True),
    sa.Column('modified', UtcDateTime(), nullable=True),
    sa.Column('section', sa.Text(), nullable=False),
    sa.Column('tags', JSON, nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('html_sha256', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('extraction', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('fetched_at', UtcDateTime(), nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_articles'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_state'), ['state'], unique=False)

    op.create_table('runs',
    sa.Column('id', ID, nullable=False),
    sa.Column('trigger', sa.String(length=32), nullable=False),
    sa.Column('started_at', UtcDateTime(), nullable=False),
    sa.Column('finished_at', UtcDateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('stats', JSON, nullable=False),
    sa.CheckConstraint("status IN ('running', 'ok', 'failed', 'degraded')", name=op.f('ck_runs_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_runs_started_at'), ['started_at'], unique=False)

    op.create_table('matches',
    sa.Column('id', ID, nullable=False),
    sa.Column('article_id', sa.BigInteger(), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('rule_version', sa.String(length=64), nullable=False),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('grade', sa.String(length=32), nullable=False),
    sa.Column('evidence', JSON, nullable=False),
    sa.Column('matched_at', UtcDateTime(), nullable=False),
    sa.Column('updated_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.article_id'], name=op.f('fk_matches_article_id_articles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matches')),
    sa.UniqueConstraint('article_id', 'topic', name=op.f('uq_matches_article_id_topic'))
    )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matches_topic_matched_at'), ['topic', 'matched_at'], unique=False)

    op.create_table('alert_outbox',
    sa.Column('id', ID, nullable=False),
    sa.Column('match_id', ID, nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt_at', UtcDateTime(), nullable=False),
    sa.Column('lease_until', UtcDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('payload', JSON, nullable=False),
    sa.Column('created_at', UtcDateTime(), nullable=False),
    sa.Column('sent_at', UtcDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sending', 'sent', 'dead')", name=op.f('ck_alert_outbox_status')),
    sa.ForeignKeyConstraint(['match_id'], ['matches.id'], name=op.f('fk_alert_outbox_match_id_matches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_outbox')),
    sa.UniqueConstraint('idempotency_key', 'channel', name=op.f('uq_alert_outbox_idempotency_key_channel'))
    )
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_outbox_match_id'), ['match_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_outbox_status_next_attempt_at'), ['status', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_outbox_status_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_alert_outbox_match_id'))

    op.drop_table('alert_outbox')
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matches_topic_matched_at'))

    op.drop_table('matches')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_runs_started_at'))

    op.drop_table('runs')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_state'))
        batch_op.drop_index(batch_op.f('ix_articles_published'))

    op.drop_table('articles')
