"""D6: the store's disk fills up during a run: the run fails loudly, no alert goes out for a
match that was not stored, and the next run on a healthy disk stores and alerts everything.

SQLite only: the store is a file on a 1 MB tmpfs mounted for the test, which fills up; a
PostgreSQL server's disk is not the test's to fill (a failing write there is the same
StoreError path, covered on both backends by test_pipelines_storage_ops)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.storage import Store
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.ops import alerts_by_article, integrity
from tests.helpers.smtp import SmtpServer
from tests.replica import Replica

pytestmark = pytest.mark.e2e


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (needs root or CAP_SYS_ADMIN; skipped otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); D6 needs one")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk but ``leave`` bytes."""
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(0, shutil.disk_usage(disk).free - leave))
    return filler


def matched(db: Path) -> set[int]:
    with sqlite3.connect(db, timeout=30) as conn:
        return {r[0] for r in conn.execute("SELECT article_id FROM matches")}


def test_full_disk_fails_the_run_and_the_next_run_catches_up(
    tiny_disk: Path, smtp: SmtpServer, workdir: Path
) -> None:
    db = tiny_disk / "mtwatch.db"
    Store(f"sqlite:///{db}").close()
    filler = fill(tiny_disk, leave=320 * 1024)
    with Replica(articles=60, seed=13) as replica:
        env = mtwatch_env(workdir, smtp, MTWATCH_DB_URL=f"sqlite:///{db}")
        args = ["run", "--site", replica.base_url, "--since", "2023-01-01"]
        first = run_cli([*args, "--timeout", "120"], env, workdir)
        assert first.returncode == 1, first.stderr[-2000:]
        assert "run failed" in first.stderr
        assert "store" in first.stderr.splitlines()[-1]
        assert integrity(db) == "ok"
        stored_then = matched(db)
        sent_then = set(alerts_by_article(smtp.messages, replica.truth))
        assert sent_then <= stored_then, "an alert went out for a match that was not stored"
        filler.unlink()  # the operator frees and grows the disk
        subprocess.run(["mount", "-o", "remount,size=64m", str(tiny_disk)], check=True)
        second = run_cli(args, env, workdir)
        assert second.returncode == 0, second.stderr[-2000:]
        positives = set(replica.truth["positives"])
        alerts = alerts_by_article(smtp.messages, replica.truth)
    assert positives <= matched(db)
    assert set(alerts) == matched(db)
    assert all(len(set(ids)) == 1 for ids in alerts.values()), "an alert was sent twice"


@pytest.mark.parametrize("leave", [40 * 1024, 64 * 1024])
def test_a_store_full_from_the_start_stops_the_crawl_at_once_and_says_so(
    tiny_disk: Path, workdir: Path, leave: int
) -> None:
    """The first writes fail (robots.txt copy, feed bookkeeping): the crawl stops — no hang
    until the hard timeout — and the reason names the store, not the site."""
    db = tiny_disk / "mtwatch.db"
    Store(f"sqlite:///{db}").close()
    fill(tiny_disk, leave=leave)
    with Replica(articles=30, seed=13) as replica:
        env = mtwatch_env(workdir, MTWATCH_DB_URL=f"sqlite:///{db}")
        done = run_cli(["run", "--site", replica.base_url, "--since", "2023-01-01", "--json",
                        "--timeout", "300"], env, workdir)
        fetched = [p for p in replica.access_log.paths() if re.search(r"-a\d+$", p)]
    assert done.returncode == 1, done.stderr[-2000:]
    reason = done.stderr.splitlines()[-1]
    assert "run failed: store:" in reason, reason
    assert "disk is full" in reason, reason
    assert "timeout" not in reason
    assert len(fetched) < 30, "the crawl went on fetching articles it could not record"
