"""`mtwatch db current|upgrade`: see the schema revision; migrate on purpose, with a backup."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from pipelines.storage.migrate import alembic_config, head_revisions
from tests.helpers.launch import mtwatch_env, run_cli, run_cli_here
from tests.helpers.migrations import build_0001, fingerprint


def tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_current_changes_nothing_and_upgrade_migrates(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    db = workdir / "mtwatch.db"
    done = run_cli_here(["db", "current", "--json"], env, workdir)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["current"] == []
    every = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    assert set(data["pending"]) == every
    assert head_revisions() <= every
    assert not db.exists() or not tables(db), "db current must not create the schema"
    upgraded = run_cli_here(["db", "upgrade"], env, workdir)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "upgraded empty →" in upgraded.stdout
    assert "backup" not in upgraded.stdout, "nothing to back up in a new store"
    again = run_cli_here(["db", "upgrade"], env, workdir)
    assert "up to date" in again.stdout
    text = run_cli_here(["db", "current"], env, workdir).stdout
    assert "pending:  none (up to date)" in text


def test_upgrade_of_a_0001_store_backs_it_up_first(workdir: Path) -> None:
    db = workdir / "mtwatch.db"
    build_0001(db)
    before = fingerprint(db)
    env = mtwatch_env(workdir)
    assert json.loads(run_cli_here(["db", "current", "--json"], env, workdir).stdout)["current"] \
        == ["0001"]
    done = run_cli_here(["db", "upgrade"], env, workdir)
    assert done.returncode == 0, done.stderr
    assert "upgraded 0001 →" in done.stdout
    backup = Path(done.stdout.split("backup: ")[1].strip())
    assert backup.exists()
    assert fingerprint(backup) == before == fingerprint(db)


def test_unusable_store_is_one_line(workdir: Path) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL="postgresql+psycopg://u:pw@127.0.0.1:1/x"
                      "?connect_timeout=2")
    done = run_cli_here(["db", "current"], env, workdir)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("mtwatch: cannot read the store at postgresql+psycopg://u:***@")


def test_help_of_the_operations_commands(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    for command in (["daemon"], ["status"], ["db", "upgrade"], ["export"]):
        done = run_cli_here([*command, "--help"], env, workdir)
        assert done.returncode == 0, done.stderr
        assert "Usage:" in done.stdout
    assert "75" in run_cli(["run", "--help"], env, workdir).stdout
