"""Migrations from the first released schema (0001) onward: data kept, atomic, backed up (D4).

SQLite only: the 0001 store is an SQLite file as the first release wrote it, the backup before
a migration is a copy of that file, and the kill -9 lands in an SQLite ``db upgrade``. The
migrations themselves run on PostgreSQL too in test_pipelines_storage_migrations and
test_pipelines_storage_sites_migration."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from pipelines.storage import Store
from pipelines.storage.migrate import alembic_config, head_revisions
from pipelines.storage.schema import metadata
from tests.helpers.launch import mtwatch_env, run_cli, start_cli
from tests.helpers.ops import wait_until

T = "2025-03-01 12:00:00.000000"


def build_0001(db: Path, *, articles: int = 50, runs: int = 20) -> None:
    """A store made by release 0.1 (revision 0001) with sample data in every table."""
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO articles (article_id, url, headline, subtitle, authors, published,"
            " modified, section, tags, language, html_sha256, text, extraction, state,"
            " failures, fetched_at, created_at, updated_at) VALUES"
            " (?, ?, ?, '', '[]', ?, NULL, 'news', '[\"syria\"]', 'en', ?, ?, 'ok',"
            " 'evaluated', 0, ?, ?, ?)",
            [(i, f"https://www.themoscowtimes.com/a{i}", f"Headline {i}", T,
              f"{i:064x}", f"text {i} " * 20, T, T, T) for i in range(1, articles + 1)])
        conn.executemany(
            "INSERT INTO matches (id, article_id, topic, rule_version, rule, grade, evidence,"
            " matched_at, updated_at) VALUES (?, ?, 'syria-turkey', '1', 'r', 'development',"
            " ?, ?, ?)",
            [(i, i, json.dumps([{"sentence": f"s{i}"}]), T, T)
             for i in range(1, articles + 1, 2)])
        conn.executemany(
            "INSERT INTO alert_outbox (match_id, channel, idempotency_key, status, attempts,"
            " next_attempt_at, payload, created_at, sent_at) VALUES (?, 'email', ?, ?, ?, ?,"
            " ?, ?, ?)",
            [(i, f"{i:040x}", "sent" if i % 4 == 1 else "pending", i % 3, T,
              json.dumps({"headline": f"Headline {i}"}), T, T if i % 4 == 1 else None)
             for i in range(1, articles + 1, 2)])
        conn.executemany(
            "INSERT INTO runs (trigger, started_at, finished_at, status, reason, stats)"
            " VALUES ('cron', ?, ?, ?, '', '{}')",
            [(T, T, ("ok", "failed", "degraded")[i % 3]) for i in range(runs)])


MATCH_COLUMNS = "id, article_id, topic, rule_version, rule, grade, evidence, matched_at"
OUTBOX_COLUMNS = ("id, match_id, channel, idempotency_key, status, attempts, next_attempt_at,"
                  " payload, created_at, sent_at")


def fingerprint(db: Path) -> dict[str, object]:
    """Row counts of every 0001 table and checksums of the matches and the outbox."""
    with sqlite3.connect(db) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "matches", "alert_outbox", "runs")}
        sums = {}
        for table, cols in (("matches", MATCH_COLUMNS), ("alert_outbox", OUTBOX_COLUMNS)):
            rows = conn.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()
            sums[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return {"counts": counts, "sums": sums}


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
