"""Coverage: the ``extraction`` column names the path each body took (``zone``, ``generic``, …).

Stored values ``ok`` and ``ok:fallback`` become ``zone`` and ``zone:blocks``
(``pipelines.extraction.paths``). Monitor and canary state live in ``ops_state``: no new table.

Revision ID: 0006_coverage
Revises: 0005_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_coverage"
down_revision = "0005_merge"
branch_labels = None
depends_on = None

RENAMES = (("ok", "zone"), ("ok:fallback", "zone:blocks"))


def _rename(pairs: tuple[tuple[str, str], ...]) -> None:
    articles = sa.table("articles", sa.column("extraction", sa.Text()))
    for old, new in pairs:
        op.execute(articles.update().where(articles.c.extraction == old)
                   .values(extraction=new))


def upgrade() -> None:
    _rename(RENAMES)


def downgrade() -> None:
    # generic, generic:small_zone and raw stay: older code never reads the value back
    _rename(tuple((new, old) for old, new in RENAMES))
