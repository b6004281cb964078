"""Schema migrations: a new store is at head, the migrated schema equals the declared one."""

from __future__ import annotations

import sqlite3
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


def test_new_store_is_at_head(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        versions = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    assert versions == head_revisions()


def test_the_declared_heads_are_alembics() -> None:
    """A new migration updates ``HEADS``: stores at the old head would be taken as current."""
    assert head_revisions() == HEADS


def test_opening_a_current_store_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    Store(url).close()  # created and migrated here
    probe = (f"import sys; from pipelines.storage import Store; Store({url!r}).close(); "
             "print(sorted(m for m in ('alembic', 'mako', 'pygments') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True, cwd=Path(__file__).resolve().parent.parent)
    assert shown.stdout.strip() == "[]"


def test_migrations_produce_the_declared_schema(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    Store(f"sqlite:///{db}").close()
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_store_created_before_migrations_is_adopted(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:  # the 0001 schema, made by create_all: no alembic_version
        command.upgrade(alembic_config(conn), BASELINE)
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    Store(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        versions = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    assert versions == head_revisions()


def test_reopening_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    for _ in range(3):
        with Store(url) as store:
            assert store.count_articles() == 0


def test_0006_renames_the_extraction_paths_and_back(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    engine = create_engine(f"sqlite:///{db}")
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
    engine.dispose()
    Store(f"sqlite:///{db}").close()
    query = "SELECT extraction FROM articles ORDER BY article_id"
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute(query)] == [
            "zone", "zone:blocks", "no_body", "extraction_failed:depth"]
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0005_merge")
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute(query)][:2] == ["ok", "ok:fallback"]
