"""Merge the discovery, alerts and operations branches into one head.

Revision ID: 0005_merge
Revises: 0002_discovery, 0003_alerts, 0004_ops
"""

from __future__ import annotations

revision = "0005_merge"
down_revision = ("0002_discovery", "0003_alerts", "0004_ops")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
