"""The words a newcomer reads: "yet" rather than "for ever", zeros in the funnel, and the
reason a run failed on a line of its own that no table width can cut."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipelines.storage import Store
from tests.helpers.launch import mtwatch_env, run_cli, run_cli_here


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_store_that_never_had_a_successful_crawl_says_yet(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    with Store(env["MTWATCH_DB_URL"]) as store:
        now = datetime.now(UTC)
        run_id = store.start_run(trigger="cron", now=now - timedelta(days=2))
        store.finish_run(run_id, now=now - timedelta(days=2), status="failed",
                         reason="site unreachable", stats={})
    done = run_cli_here(["status"], env, workdir)
    assert done.returncode == 1
    assert "mtwatch: warning: no successful crawl yet (dead-man threshold" in done.stderr
    assert "for ever" not in done.stderr


def test_the_reason_a_run_failed_is_never_cut_by_a_narrow_table(workdir: Path) -> None:
    port = closed_port()
    env = mtwatch_env(workdir, COLUMNS="30")  # a narrow terminal (or log viewer)
    done = run_cli(["run", "--site", f"http://127.0.0.1:{port}"], env, workdir)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert f"failed: site unreachable: connection refused by 127.0.0.1:{port}" in lines
    assert all(len(line) <= 30 for line in lines if "│" in line)  # the table did narrow
