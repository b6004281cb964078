"""One crawl at a time: the flock on <data_dir>/crawl.lock, the PostgreSQL lease, exit code 75."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crawler.lock import (
    CRAWL_LOCK,
    DAEMON_LOCK,
    EXIT_LOCKED,
    FileLock,
    LockBusyError,
    RunLease,
)
from tests.helpers.launch import REPO, mtwatch_env, run_cli, run_python
from tests.helpers.pg import pg_schema


def holder(lock_path: Path) -> subprocess.Popen[str]:
    """Another process that takes the lock, says so, and then waits forever."""
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from crawler.lock import FileLock
        lock = FileLock.acquire(Path({str(lock_path)!r}), what="crawl", trigger="test")
        print("locked", flush=True)
        time.sleep(3600)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_taker_is_refused_with_the_holders_name(tmp_path: Path) -> None:
    path = tmp_path / CRAWL_LOCK
    busy = rf"another crawl is running \(pid {os.getpid()}, trigger daemon"
    with (FileLock.acquire(path, what="crawl", trigger="daemon"),
          pytest.raises(LockBusyError, match=busy)):
        FileLock.acquire(path, what="crawl", trigger="cli")
    FileLock.acquire(path, what="crawl", trigger="cli").release()  # free again


def test_lock_of_a_killed_holder_is_free_at_once(tmp_path: Path) -> None:
    path = tmp_path / CRAWL_LOCK
    proc = holder(path)
    with pytest.raises(LockBusyError, match="trigger test"):
        FileLock.acquire(path, what="crawl", trigger="cli")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    # no waiting, no stale-lock cleanup: the kernel released it with the process
    FileLock.acquire(path, what="crawl", trigger="cli").release()


def test_child_recognises_the_lock_its_parent_passed_down(tmp_path: Path) -> None:
    path = tmp_path / CRAWL_LOCK
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from crawler.lock import FileLock
        path, fd = Path(sys.argv[1]), int(sys.argv[2])
        print(FileLock.inherited(path, fd) is not None, FileLock.inherited(path, 0) is not None)
    """)
    with FileLock.acquire(path, what="crawl", trigger="cli") as lock:
        done = subprocess.run([sys.executable, "-c", code, str(path), str(lock.fd)], cwd=REPO,
                              pass_fds=(lock.fd,), capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]


def test_mtwatch_run_exits_75_with_one_line_when_a_crawl_runs(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    with FileLock.acquire(workdir / "data" / CRAWL_LOCK, what="crawl", trigger="daemon"):
        done = run_cli(["run", "--site", "http://127.0.0.1:9"], env, workdir)
    assert done.returncode == EXIT_LOCKED, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("mtwatch:")]
    assert lines[-1].startswith("mtwatch: another crawl is running (pid")
    assert "Traceback" not in done.stderr


def test_manual_scrapy_crawl_exits_75_when_a_crawl_runs(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    command = ["-m", "scrapy", "crawl", "moscowtimes", "-s",
               "MTWATCH_SITE=http://127.0.0.1:9", "-s", "LOG_LEVEL=WARNING"]
    with FileLock.acquire(workdir / "data" / CRAWL_LOCK, what="crawl", trigger="cli"):
        done = run_python(command, env, REPO, timeout=120)
    assert done.returncode == EXIT_LOCKED, done.stderr[-2000:]
    assert done.stderr.strip().splitlines()[-1].startswith("mtwatch: another crawl is running")
    assert "Traceback" not in done.stderr


def test_second_daemon_exits_75(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    with FileLock.acquire(workdir / "data" / DAEMON_LOCK, what="mtwatch daemon",
                          trigger="daemon"):
        done = run_cli(["daemon", "--interval", "5"], env, workdir, timeout=60)
    assert done.returncode == EXIT_LOCKED, done.stderr
    assert "another mtwatch daemon is running" in done.stderr


def test_postgres_run_lease_admits_one_crawl() -> None:
    # a private schema: suites running at the same time on this server never share a lease
    with pg_schema() as url:
        first = RunLease(url)
        try:
            with pytest.raises(LockBusyError, match="PostgreSQL run lease"):
                RunLease(url)
            with pg_schema() as other_store:  # another store in the same database: no contest
                RunLease(other_store).release()
        finally:
            first.release()
        RunLease(url).release()


def test_sqlite_needs_no_lease(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    first, second = RunLease(url), RunLease(url)  # the file lock does the work on one host
    first.release()
    second.release()
