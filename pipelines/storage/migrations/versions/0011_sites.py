"""Sites: every article, soft 404, source, backfill, match and alert belongs to a site; articles
and soft 404s are known by (site, article key); matches store their alert key; runs list the
sites they crawled.

Existing rows become site ``moscowtimes`` with ``article_key = str(article_id)``, except the
Russian edition's rows stored under the old ID offset (``article_id >= 1_000_000_000``): they
become site ``moscowtimes-ru`` with their own ID as key (their surrogate ``article_id`` stays).
Existing matches keep the alert key they were alerted with (``sha256(topic|article_id)``), so no
alert is sent again after the upgrade.

Revision ID: 0011_sites
Revises: 0010_merge
"""

# ruff: noqa: S608  (the SQL below is built from this module's constants only)
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from pipelines.storage.schema import UtcDateTime

revision = "0011_sites"
down_revision = "0010_merge"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SITE = sa.String(length=64)
DEFAULT = "moscowtimes"
#: the ID offset the Russian edition's articles were stored under (crawler.urls.RU_ID_OFFSET)
RU_OFFSET = 1_000_000_000
RU_SITE = "moscowtimes-ru"
_RU = f"article_id >= {RU_OFFSET}"
#: (site, article key, the site's numeric ID) of a row keyed by the old article_id
_SITE_OF = f"CASE WHEN {_RU} THEN '{RU_SITE}' ELSE '{DEFAULT}' END"
_OWN_ID = f"CASE WHEN {_RU} THEN article_id - {RU_OFFSET} ELSE article_id END"
_KEY_OF = f"CAST({_OWN_ID} AS TEXT)"


def legacy_alert_key(topic: str, article_id: int) -> str:
    """The alert key of 0.1 – 0.10 (frozen here: the match rows written then keep it)."""
    return hashlib.sha256(f"{topic}|{article_id}".encode()).hexdigest()[:40]


def upgrade() -> None:
    _articles()
    _soft_404s()
    for table in ("sources", "backfills"):
        op.add_column(table, sa.Column("site", SITE, server_default=DEFAULT, nullable=False))
    _matches()
    op.add_column("alert_outbox", sa.Column("site", SITE, nullable=True))
    op.execute("UPDATE alert_outbox SET site = (SELECT m.site FROM matches m "
               "WHERE m.id = alert_outbox.match_id) WHERE match_id IS NOT NULL")
    op.create_table(
        "run_sites",
        sa.Column("run_id", ID, nullable=False),
        sa.Column("site", SITE, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_run_sites_run_id_runs")),
        sa.PrimaryKeyConstraint("run_id", "site", name=op.f("pk_run_sites")),
    )
    op.execute(f"INSERT INTO run_sites (run_id, site) SELECT id, '{DEFAULT}' FROM runs")


def _articles() -> None:
    op.add_column("articles", sa.Column("site", SITE, server_default=DEFAULT, nullable=False))
    op.add_column("articles", sa.Column("article_key", sa.Text(), server_default="",
                                        nullable=False))
    op.execute(f"UPDATE articles SET site = {_SITE_OF}, article_key = {_KEY_OF}")
    op.create_index("uq_articles_site_article_key", "articles", ["site", "article_key"],
                    unique=True)


def _soft_404s() -> None:
    op.rename_table("soft_404s", "soft_404s_0010")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE soft_404s_0010 RENAME CONSTRAINT pk_soft_404s "
                   "TO pk_soft_404s_0010")
    op.create_table(
        "soft_404s",
        sa.Column("site", SITE, nullable=False),
        sa.Column("article_key", sa.Text(), nullable=False),
        sa.Column("article_id", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("hits", sa.Integer(), server_default="1", nullable=False),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.Column("recheck_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("site", "article_key", name=op.f("pk_soft_404s")),
    )
    op.execute(
        "INSERT INTO soft_404s (site, article_key, article_id, url, hits, first_seen, "
        f"last_seen, recheck_at) SELECT {_SITE_OF}, {_KEY_OF}, {_OWN_ID}, url, hits, "
        "first_seen, last_seen, recheck_at FROM soft_404s_0010")
    op.drop_table("soft_404s_0010")


def _matches() -> None:
    op.add_column("matches", sa.Column("site", SITE, server_default=DEFAULT, nullable=False))
    op.add_column("matches", sa.Column("alert_key", sa.String(length=64), server_default="",
                                       nullable=False))
    op.execute("UPDATE matches SET site = (SELECT a.site FROM articles a "
               "WHERE a.article_id = matches.article_id)")
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, topic, article_id FROM matches")).all()
    keys = [{"i": int(r.id), "k": legacy_alert_key(r.topic, int(r.article_id))} for r in rows]
    if keys:
        bind.execute(sa.text("UPDATE matches SET alert_key = :k WHERE id = :i"), keys)


def downgrade() -> None:
    op.drop_table("run_sites")
    for table in ("alert_outbox", "matches"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("site")
    with op.batch_alter_table("matches") as batch:
        batch.drop_column("alert_key")
    for table in ("sources", "backfills"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("site")
    # back to one ID per soft 404: the old offset for the Russian edition; other sites' rows
    # (no numeric ID in the old shape) are dropped
    op.rename_table("soft_404s", "soft_404s_0011")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE soft_404s_0011 RENAME CONSTRAINT pk_soft_404s "
                   "TO pk_soft_404s_0011")
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
    op.execute(
        "INSERT INTO soft_404s (article_id, url, hits, first_seen, last_seen, recheck_at) "
        f"SELECT CASE WHEN site = '{RU_SITE}' THEN article_id + {RU_OFFSET} ELSE article_id END,"
        " url, hits, first_seen, last_seen, recheck_at FROM soft_404s_0011 "
        f"WHERE site IN ('{DEFAULT}', '{RU_SITE}') AND article_id > 0")
    op.drop_table("soft_404s_0011")
    op.drop_index("uq_articles_site_article_key", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("article_key")
        batch.drop_column("site")
