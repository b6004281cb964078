"""D2: the daemon crawls a publishing replica while 4 reader processes poll the matches every
100 ms and a manual crawl tries to start: nobody sees "database is locked", nothing is lost."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crawler.lock import EXIT_LOCKED
from tests.helpers.launch import mtwatch_env, run_cli, run_cli_here
from tests.helpers.ops import (
    REPO,
    Publisher,
    crawl_runs,
    start,
    wait_until,
)
from tests.helpers.pg import backend_store_url
from tests.helpers.smtp import SmtpServer
from tests.replica import Replica

pytestmark = pytest.mark.e2e
LOCKED = "database is locked"

READER = textwrap.dedent("""
    import json, sys, threading, time
    from pipelines.storage import Store, StoreError
    url, seconds = sys.argv[1], float(sys.argv[2])
    errors, latencies, stop = [], [], time.monotonic() + seconds
    with Store(url) as store:
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                store.list_matches()
            except StoreError as exc:
                errors.append(str(exc))
            latencies.append(time.perf_counter() - started)
            time.sleep(0.1)
    print(json.dumps({"errors": errors, "latencies": latencies}))
""")


def stored_ids(url: str) -> set[int]:
    from pipelines.storage import Store

    with Store(url) as store:
        return store.article_ids()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("seconds", [pytest.param(25, id="25s", marks=pytest.mark.slow),
                                     pytest.param(300, id="5min", marks=pytest.mark.slow)])
def test_daemon_readers_and_a_manual_crawl_never_see_locked(
    smtp: SmtpServer, workdir: Path, backend: str, seconds: int
) -> None:
    with backend_store_url(backend, workdir) as url, Replica(articles=400, seed=13) as replica:
        publisher = Publisher(replica, hidden=min(seconds // 2, 150))
        env = mtwatch_env(workdir, smtp, MTWATCH_DB_URL=url)
        ready = run_cli_here(["db", "upgrade"], env, workdir)
        assert ready.returncode == 0, ready.stderr
        daemon = start(["daemon", "--site", replica.base_url, "--interval", "3"], env, workdir,
                       "daemon")
        readers = [subprocess.Popen([sys.executable, "-c", READER, url, str(seconds)], cwd=REPO,
                                    stdout=subprocess.PIPE, text=True) for _ in range(4)]
        try:
            every = seconds / max(1, len(publisher.queue))
            with publisher.every(every):
                manual = run_cli(["run", "--site", replica.base_url], env, workdir)
                wait_until(lambda: publisher.done, seconds + 60, "publishing")
            reports = [json.loads(r.communicate(timeout=seconds + 120)[0]) for r in readers]
            wait_until(lambda: set(publisher.published) <= stored_ids(url), 120,
                       "every published article stored", poll=replica.server.invalidate)
        finally:
            code = daemon.terminate()
        crawls = len(crawl_runs(workdir / "mtwatch.db")) if backend == "sqlite" else None
    assert code == 0
    assert manual.returncode in (0, EXIT_LOCKED), manual.stderr
    outputs = [daemon.output, manual.stderr, *(json.dumps(r["errors"]) for r in reports)]
    last_crawl_log = workdir / "data" / "logs" / "last-crawl.log"
    if last_crawl_log.exists():
        outputs.append(last_crawl_log.read_text(encoding="utf-8", errors="replace"))
    assert not [o for o in outputs if LOCKED in o]
    assert all(r["errors"] == [] for r in reports)
    latencies = sorted(x for r in reports for x in r["latencies"])
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    print(f"D2 {backend}: {len(latencies)} reads, p99 {p99:.1f} ms, crawls {crawls}")
    wal = workdir / "mtwatch.db-wal"
    if backend == "sqlite" and wal.exists():
        assert wal.stat().st_size < 64 * 1024 * 1024
