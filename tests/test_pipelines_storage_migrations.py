"""Schema migrations on each backend: a new store is at head (and opening it imports no
Alembic), the migrated schema equals the declared one, a store made before migrations is
adopted, revision 0006 goes up and down."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from pipelines.storage import Store
from pipelines.storage.migrate import BASELINE, HEADS, alembic_config, head_revisions
from pipelines.storage.schema import metadata
from tests.helpers.migrations import empty_store


def versions(url: str) -> set[str]:
    """The revisions the store at ``url`` records."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    finally:
        engine.dispose()


def test_new_store_is_at_head(store_url: str) -> None:
    Store(store_url).close()
    assert versions(store_url) == head_revisions()


def test_the_declared_heads_are_alembics() -> None:
    """A new migration updates ``HEADS``: stores at the old head would be taken as current."""
    assert head_revisions() == HEADS


def test_opening_a_current_store_does_not_import_alembic(store_url: str) -> None:
    Store(store_url).close()  # created and migrated here
    probe = (f"import sys; from pipelines.storage import Store; Store({store_url!r}).close(); "
             "print(sorted(m for m in ('alembic', 'mako', 'pygments') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True, cwd=Path(__file__).resolve().parent.parent)
    assert shown.stdout.strip() == "[]"


def test_migrations_produce_the_declared_schema(store_url: str) -> None:
    Store(store_url).close()
    engine = create_engine(store_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


POSTGRESQL_ONLY = """
import json, sys
from sqlalchemy import create_engine
from sqlalchemy.schema import CreateIndex
from pipelines.storage import Store
from pipelines.storage.schema import Json, labels
Store({url!r}).close()
engine = create_engine({url!r})
with engine.connect() as conn:
    pass
current = next(i for i in labels.indexes if i.name == "uq_labels_current")
print(json.dumps({{"postgresql_loaded": "sqlalchemy.dialects.postgresql" in sys.modules,
                  "json": Json.compile(dialect=engine.dialect),
                  "index": str(CreateIndex(current).compile(dialect=engine.dialect))}}))
"""


def test_the_postgresql_variants_come_with_postgresql_alone(store_url: str) -> None:
    """JSONB and the partial index of current labels on PostgreSQL, as the migrations make
    them; a current SQLite store's process never imports SQLAlchemy's PostgreSQL dialect for them
    (pipelines.storage.schema). The store is made here: migrating it imports the dialect."""
    Store(store_url).close()
    shown = subprocess.run([sys.executable, "-c", POSTGRESQL_ONLY.format(url=store_url)],
                           capture_output=True, text=True, check=True,
                           cwd=Path(__file__).resolve().parent.parent)
    found = json.loads(shown.stdout.strip().splitlines()[-1])
    postgresql = store_url.startswith("postgresql")
    assert found["postgresql_loaded"] is postgresql
    assert found["json"] == ("JSONB" if postgresql else "JSON")
    assert found["index"].endswith("WHERE superseded_at IS NULL")


def test_store_created_before_migrations_is_adopted(store_url: str) -> None:
    engine = empty_store(store_url)
    with engine.begin() as conn:  # the 0001 schema, made by create_all: no alembic_version
        command.upgrade(alembic_config(conn), BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    Store(store_url).close()
    assert versions(store_url) == head_revisions()


def test_reopening_is_idempotent(store_url: str) -> None:
    for _ in range(3):
        with Store(store_url) as store:
            assert store.count_articles() == 0


def test_0006_renames_the_extraction_paths_and_back(store_url: str) -> None:
    engine = empty_store(store_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0005_merge")
        for article_id, path in ((1, "ok"), (2, "ok:fallback"), (3, "no_body"),
                                 (4, "extraction_failed:depth")):
            conn.execute(text(
                "INSERT INTO articles (article_id, url, headline, subtitle, authors, section, "
                "tags, language, html_sha256, text, extraction, state, failures, fetched_at, "
                "created_at, updated_at, source) VALUES (:id, 'u', 'h', '', '[]', '', '[]', "
                "'en', '', '', :path, 'evaluated', 0, '2026-01-01', '2026-01-01', "
                "'2026-01-01', 'feed')"), {"id": article_id, "path": path})
    Store(store_url).close()
    query = text("SELECT extraction FROM articles ORDER BY article_id")
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(query)] == [
            "zone", "zone:blocks", "no_body", "extraction_failed:depth"]
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0005_merge")
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(query)][:2] == ["ok", "ok:fallback"]
    engine.dispose()
