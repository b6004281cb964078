"""Migrations from the first released schema (0001) onward: data kept, atomic, backed up (D4).

SQLite only: the 0001 store is an SQLite file as the first release wrote it, the backup before
a migration is a copy of that file, and the kill -9 lands in an SQLite ``db upgrade``. The
migrations themselves run on PostgreSQL too in test_pipelines_storage_migrations and
test_pipelines_storage_sites_migration."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from pipelines.storage import Store
from pipelines.storage.migrate import head_revisions
from pipelines.storage.schema import metadata
from tests.helpers.launch import mtwatch_env, run_cli, start_cli
from tests.helpers.migrations import T, build_0001, fingerprint
from tests.helpers.ops import wait_until


def revisions(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}


def schema_matches_head(db: Path) -> bool:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    return diff == []


def test_a_0001_store_with_data_migrates_to_head_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "mtwatch.db"
    build_0001(db)
    before = fingerprint(db)
    Store(f"sqlite:///{db}").close()  # opening migrates automatically
    assert revisions(db) == head_revisions()
    assert schema_matches_head(db)
    assert fingerprint(db) == before
    backups = list(tmp_path.glob("mtwatch.db.pre-*.bak"))
    assert len(backups) == 1, "a backup exists before the first statement"
    assert revisions(backups[0]) == {"0001"}
    assert fingerprint(backups[0]) == before
    with sqlite3.connect(db) as conn:  # the new run statuses are accepted
        conn.execute("INSERT INTO runs (trigger, started_at, status, reason, stats)"
                     " VALUES ('daemon', ?, 'missed', 'late', '{}')", (T,))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO runs (trigger, started_at, status, reason, stats)"
                         " VALUES ('daemon', ?, 'bogus', '', '{}')", (T,))


def test_new_store_needs_no_backup(tmp_path: Path) -> None:
    Store(f"sqlite:///{tmp_path / 'new.db'}").close()
    assert not list(tmp_path.glob("*.bak"))


UPGRADE = ["db", "upgrade"]


@pytest.mark.parametrize("kills", [pytest.param(2, id="2-kills"),
                                   pytest.param(20, id="20-kills", marks=pytest.mark.slow)])
def test_sigkill_during_a_migration_leaves_old_or_new_never_mixed(workdir: Path,
                                                                  kills: int) -> None:
    """SIGKILL at a random point of `mtwatch db upgrade`: the store is at 0001 with the old
    schema or at head with the new one, its data intact, and the re-run succeeds."""
    rng = random.Random(4)
    template = workdir / "template.db"
    build_0001(template, articles=2000, runs=60000)  # big enough that copying tables takes time
    expected = fingerprint(template)
    outcomes = set()
    for n in range(kills):
        db = workdir / f"kill{n}.db"
        db.write_bytes(template.read_bytes())
        env = mtwatch_env(workdir, MTWATCH_DB_URL=f"sqlite:///{db}")
        proc = start_cli(UPGRADE, env, workdir, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
        # the fault: a uniformly random moment of the migration, which starts with the backup
        pattern = f"{db.name}.pre-*"
        wait_until(lambda: any(workdir.glob(pattern)), 120, "the backup", every=0.01)  # noqa: B023
        time.sleep(rng.uniform(0, 1.5))
        proc.kill()
        proc.wait(timeout=30)
        at = revisions(db)
        assert at in ({"0001"}, head_revisions()), f"mixed revisions {at}"
        if at == head_revisions():
            assert schema_matches_head(db)
        else:
            with sqlite3.connect(db) as conn:
                tables = {r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'")}
            assert "ops_state" not in tables
            assert not any(t.startswith("_alembic") for t in tables)
        outcomes.add("new" if at == head_revisions() else "old")
        assert fingerprint(db) == expected
        done = run_cli(UPGRADE, env, workdir, timeout=300)
        assert done.returncode == 0, done.stderr
        assert revisions(db) == head_revisions()
        assert schema_matches_head(db)
        assert fingerprint(db) == expected
        for leftover in workdir.glob(f"{db.name}.pre-*.bak*"):
            leftover.unlink()
    assert outcomes, "no trial ran"
