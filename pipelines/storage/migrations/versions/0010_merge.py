"""Merge the coverage, backfill, channel-hold and labels branches into one head.

Revision ID: 0010_merge
Revises: 0006_coverage, 0007_backfill, 0008_channel_holds, 0009_labels
"""

from __future__ import annotations

revision = "0010_merge"
down_revision = ("0006_coverage", "0007_backfill", "0008_channel_holds", "0009_labels")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
