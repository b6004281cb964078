"""Files: the data directory is 0700 when mtwatch makes it, every file it creates 0600 (store,
WAL and SHM, backups, logs, locks, verdicts), and no planted symlink or hard link is followed.

The stores here are SQLite on purpose: the files whose modes and links are checked are the
SQLite store's own (a PostgreSQL store has no files of mtwatch's)."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.health.extension import write_verdict
from crawler.lock import CRAWL_LOCK, FileLock, UnsafeLockError
from pipelines.storage import Store
from pipelines.storage.backup import before_migration
from tests.helpers.launch import mtwatch_env, run_cli, run_cli_here
from tests.replica import Replica
from tests.replica.harness import mtwatch_run

VICTIM = "precious: another user's file\n"
CORPUS = [{"title": "Turkey and Syria agree to restore diplomatic ties", "date": "2026-06-20",
           "text": "Turkey and Syria agreed on Tuesday to restore diplomatic ties.\n\nMore."}]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems give: new files 0644 and directories 0755 unless mtwatch says."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_text(VICTIM)
    return path


@pytest.mark.e2e
def test_a_crawl_creates_a_private_data_directory(tmp_path: Path) -> None:
    with Replica(articles=0, seed=3, corpus=CORPUS) as replica:
        crawl = mtwatch_run(tmp_path, replica.base_url, "--since", "2023-01-01",
                            env={"MTWATCH_DB_URL": f"sqlite:///{tmp_path}/data/mtwatch.db"})
    assert crawl.returncode == 0, crawl.stderr
    data = tmp_path / "data"
    assert mode(data) == 0o700
    assert mode(data / "logs") == 0o700
    for name in ("mtwatch.db", CRAWL_LOCK, "logs/last-run.log"):
        assert mode(data / name) == 0o600, name
    with sqlite3.connect(data / "mtwatch.db") as conn:  # SQLite gives -wal/-shm the db's mode
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS probe (x)")
        assert mode(data / "mtwatch.db-wal") == mode(data / "mtwatch.db-shm") == 0o600


def test_an_operators_data_directory_keeps_its_mode_with_one_warning(workdir: Path) -> None:
    data = workdir / "shared"
    data.mkdir(mode=0o755)
    env = mtwatch_env(workdir, MTWATCH_DATA_DIR=str(data),
                      MTWATCH_DB_URL=f"sqlite:///{data}/mtwatch.db")
    done = run_cli_here(["check-config"], env, workdir)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "open to other users" in line]
    assert len(warnings) == 1, done.stderr
    assert f"data directory {data}" in warnings[0]
    assert "mode 0755" in warnings[0]
    assert mode(data) == 0o755  # said, not changed
    assert mode(data / "mtwatch.db") == 0o600
    quiet = run_cli_here(["check-config"], mtwatch_env(workdir), workdir)
    assert "open to other users" not in quiet.stderr


def test_a_symlinked_lock_is_refused_and_its_target_untouched(tmp_path: Path,
                                                              victim: Path) -> None:
    lock = tmp_path / "data" / CRAWL_LOCK
    lock.parent.mkdir()
    lock.symlink_to(victim)
    with pytest.raises(UnsafeLockError, match="symbolic link"):
        FileLock.acquire(lock, what="crawl", trigger="cli")
    assert victim.read_text() == VICTIM


def test_a_hard_linked_lock_is_refused_and_its_other_name_untouched(tmp_path: Path,
                                                                    victim: Path) -> None:
    lock = tmp_path / CRAWL_LOCK
    os.link(victim, lock)
    with pytest.raises(UnsafeLockError, match="hard link"):
        FileLock.acquire(lock, what="crawl", trigger="cli")
    assert victim.read_text() == VICTIM


def test_mtwatch_run_with_a_planted_lock_is_one_line_and_harms_nothing(workdir: Path,
                                                                       victim: Path) -> None:
    data = workdir / "data"
    data.mkdir(mode=0o700)
    (data / CRAWL_LOCK).symlink_to(victim)
    done = run_cli(["run", "--site", "http://127.0.0.1:9"], mtwatch_env(workdir), workdir)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.startswith("mtwatch: ")][-1:]
    assert "crawl lock" in line
    assert "symbolic link" in line
    assert victim.read_text() == VICTIM


def test_a_new_lock_is_private(tmp_path: Path) -> None:
    with FileLock.acquire(tmp_path / "new" / CRAWL_LOCK, what="crawl", trigger="cli"):
        assert mode(tmp_path / "new") == 0o700
        assert mode(tmp_path / "new" / CRAWL_LOCK) == 0o600


def _store_file(tmp_path: Path) -> Path:
    db = tmp_path / "mtwatch.db"
    Store(f"sqlite:///{db}").close()
    return db


NOW = datetime(2026, 6, 23, 9, 0, tzinfo=UTC)
BACKUP = "mtwatch.db.pre-0006.20260623T090000Z.bak"


def test_a_backup_is_private_and_never_replaces_a_file(tmp_path: Path) -> None:
    db = _store_file(tmp_path)
    older = tmp_path / BACKUP
    older.write_text("an earlier backup of the same second")
    made = before_migration(db, "0006", now=NOW)
    assert made != older
    assert made.name == "mtwatch.db.pre-0006.20260623T090000Z-2.bak"
    assert older.read_text() == "an earlier backup of the same second"
    assert mode(made) == 0o600
    with sqlite3.connect(made) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list(tmp_path.glob("*.tmp"))


def test_a_backup_never_writes_through_a_symlink(tmp_path: Path, victim: Path) -> None:
    db = _store_file(tmp_path)
    planted = tmp_path / BACKUP
    planted.symlink_to(victim)
    made = before_migration(db, "0006", now=NOW)
    assert victim.read_text() == VICTIM
    assert planted.is_symlink()
    assert made != planted
    assert mode(made) == 0o600


def test_the_store_is_created_private(tmp_path: Path) -> None:
    db = _store_file(tmp_path / "new")
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700


def test_a_verdict_is_private_and_replaces_a_symlink_not_its_target(tmp_path: Path,
                                                                    victim: Path) -> None:
    verdict = tmp_path / "verdict.json"
    verdict.symlink_to(victim)
    write_verdict(verdict, {"status": "ok"})
    assert victim.read_text() == VICTIM
    assert not verdict.is_symlink()
    assert mode(verdict) == 0o600
    assert verdict.read_text() == '{"status": "ok"}'


def test_the_daemon_log_file_is_private_and_never_a_symlink(workdir: Path, victim: Path) -> None:
    planted = workdir / "daemon.log"
    planted.symlink_to(victim)
    env = mtwatch_env(workdir)
    done = run_cli(["daemon", "--interval", "3600", "--log-file", str(planted)], env, workdir,
                   timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "log file" in done.stderr.splitlines()[-1]
    assert victim.read_text() == VICTIM


def test_the_daemon_log_file_is_created_private_also_after_logrotate(tmp_path: Path) -> None:
    import logging

    from crawler.cli.daemon import PrivateLogFile

    path = tmp_path / "logs" / "daemon.log"
    path.parent.mkdir()
    handler = PrivateLogFile(str(path), encoding="utf-8")
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "crawl %s", ("ok",), None)
    try:
        handler.emit(record)
        assert mode(path) == 0o600
        path.rename(path.with_suffix(".log.1"))  # logrotate moves it away
        handler.emit(record)
        assert mode(path) == 0o600
        assert path.read_text(encoding="utf-8") == "crawl ok\n"
    finally:
        handler.close()
