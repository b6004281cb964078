"""Daemon faults from the reliability bar: contention (C1), suspend (C2), overrun (C3),
SIGTERM mid-crawl (C6) and a hung crawl (C7), through the real processes."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from crawler.lock import EXIT_LOCKED
from tests.helpers.launch import mtwatch_env
from tests.helpers.ops import (
    REPO,
    RUN_TAG_ENV,
    Proc,
    alerts_by_article,
    assert_access_log_matches_runs,
    assert_no_overlapping_runs,
    crawl_runs,
    integrity,
    runs,
    start,
    wait_until,
)
from tests.helpers.smtp import SmtpServer
from tests.replica import Replica, Request, Response

pytestmark = pytest.mark.e2e


def config(workdir: Path, name: str, **daemon: object) -> dict[str, str]:
    """A config file for one process: the fast crawl settings, its own user agent, [daemon]."""
    lines = ["[crawl]", "download_delay = 0", "autothrottle = false",
             "concurrent_requests_per_domain = 8", f'user_agent = "mtwatch-test/{name}"']
    # the replica's articles are months old by the wall clock: each match alerts on its own
    lines += ["[alerts]", 'backfill_age = "0"']
    lines += ["[daemon]", *(f"{k} = {json.dumps(v)}" for k, v in daemon.items())]
    path = workdir / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"MTWATCH_CONFIG": str(path), **RUN_TAG_ENV}


def running_crawl(db: Path) -> bool:
    return any(r.status == "running" for r in runs(db))


def matches(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM matches").fetchone()[0])


def stored(db: Path) -> set[int]:
    with sqlite3.connect(db, timeout=30) as conn:
        return {r[0] for r in conn.execute("SELECT article_id FROM articles")}


def requested_articles(replica: Replica) -> set[int]:
    """Articles some crawl asked the site for (killed crawls included; not soft 404s)."""
    def ids(paths: list[str]) -> set[int]:
        found = (re.search(r"-a(\d+)$", path) for path in paths)
        return {int(m.group(1)) for m in found if m}

    return ids(replica.access_log.paths()) - ids(replica.truth["soft404_urls"])


def leftover_processes(marker: str) -> list[int]:
    """Processes (other than us) whose command line mentions ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline:
            found.append(int(entry.name))
    return found


def test_hung_crawl_is_killed_at_its_timeout_and_the_next_one_works(workdir: Path) -> None:
    """C7: a crawl stuck inside the reactor thread is killed with its process group, the run
    is recorded failed: timeout, and the next slot crawls normally.

    The hung crawl waits out the whole timeout (15 s), which must be long enough for an
    ordinary crawl of this replica on a busy machine; hence about 17 s. The hang ignores
    SIGTERM, so the stop grace is waited out in full too: 0.5 s, then the slot at 16 s (a 2 s
    schedule) runs the next crawl."""
    hang = workdir / "hang"
    hang.write_text("2", encoding="utf-8")
    db = workdir / "mtwatch.db"
    with Replica(articles=40, seed=3) as replica:
        env = mtwatch_env(workdir, **config(workdir, "c7", crawl_timeout=15, stop_grace=0.5),
                          MTWATCH_TEST_HANG_FILE=str(hang))
        daemon = start(["daemon", "--site", replica.base_url, "--interval", "2"], env, workdir,
                       "daemon")
        try:
            wait_until(lambda: any(r.status == "ok" for r in crawl_runs(db)), 120,
                       "a crawl after the hung one")
        finally:
            assert daemon.terminate() == 0, daemon.output[-3000:]
        visible = requested_articles(replica)
    first = crawl_runs(db)[0]
    assert first.status == "failed"
    assert first.reason == "timeout: crawl killed after 15 s"
    assert not hang.exists()
    assert visible
    assert visible <= stored(db), "the next run fetched what the hung one could not"
    assert leftover_processes(str(db)) == [], "the hung crawl's process group is gone"
    assert integrity(db) == "ok"


@pytest.mark.parametrize("trials", [pytest.param(1, id="1-trial"),
                                    pytest.param(20, id="20-trials", marks=pytest.mark.slow)])
def test_sigterm_during_a_crawl_stops_cleanly(smtp: SmtpServer, workdir: Path,
                                              trials: int) -> None:
    """C6: SIGTERM at a random moment of a crawl → a clean exit (the crawl is stopped within
    its stop grace, then killed), a consistent store, no run left open; the next start sends
    the alerts that were queued."""
    rng = random.Random(6)
    db = workdir / "mtwatch.db"
    with Replica(articles=120, seed=13) as replica:
        for trial in range(trials):
            env = mtwatch_env(workdir, **config(workdir, "c6"))  # no SMTP: alerts queue up
            daemon = start(["daemon", "--site", replica.base_url, "--interval", "3",
                            "--db", f"sqlite:///{db}"], env, workdir, f"daemon-{trial}")
            wait_until(lambda: running_crawl(db), 120, "a crawl to start")
            # the fault: a random point inside the crawl, counted in the site's answers (not
            # in seconds: a loaded machine gets as far as a quiet one), and in the first trial
            # after a match, so that the next start has queued alerts to send
            served = len(replica.access_log.paths()) + rng.randint(1, 5 if trial else 60)
            wait_until(lambda n=served, first=not trial: len(replica.access_log.paths()) >= n
                       and (not first or matches(db) > 0), 120, "the crawl to get that far")
            assert daemon.terminate() == 0, daemon.output[-3000:]
            assert integrity(db) == "ok"
            assert not running_crawl(db), "a stopped crawl left its run open"
        env = mtwatch_env(workdir, smtp, **config(workdir, "c6-mail"))
        daemon = start(["daemon", "--site", replica.base_url, "--interval", "3600"], env,
                       workdir, "daemon-mail")
        try:
            with sqlite3.connect(db) as conn:
                matched = {r[0] for r in conn.execute("SELECT article_id FROM matches")}
            wait_until(lambda: set(alerts_by_article(smtp.messages, replica.truth)) >= matched,
                       120, "the queued alerts")
        finally:
            assert daemon.terminate() == 0
        alerts = alerts_by_article(smtp.messages, replica.truth)
    assert matched
    assert all(len(set(ids)) == 1 for ids in alerts.values())


def slow_articles(delay: float, on: threading.Event) -> object:
    def intercept(request: Request) -> Response | None:
        if on.is_set() and request.path.startswith("/20"):
            time.sleep(delay)  # the fault: a slow site (this runs in the request thread)
        return None

    return intercept


def test_overrun_skips_slots_and_is_killed_at_the_hard_timeout(workdir: Path) -> None:
    """C3: a crawl that would take many intervals: no overlap, skipped slots recorded, the
    crawl killed by its hard timeout (configured below 3 intervals) with its process group,
    and its articles fetched by the next run. About 13 s: the hard timeout (10 s) is waited
    out, then the catch-up crawls."""
    db = workdir / "mtwatch.db"
    slow = threading.Event()
    slow.set()
    with Replica(articles=60, seed=3) as replica:
        replica.server.interceptors.append(slow_articles(2.0, slow))  # type: ignore[arg-type]
        # 60 articles at 2 s each, 8 at a time: at least 15 s, so the 10 s timeout always fires;
        # 10 s also leaves the catch-up crawls room on a busy machine
        env = mtwatch_env(workdir, **config(workdir, "c3", crawl_timeout=10, stop_grace=2))
        log_file = workdir / "logs" / "daemon.log"
        daemon = start(["daemon", "--site", replica.base_url, "--interval", "4", "--log-file",
                        str(log_file)], env, workdir, "daemon")
        try:
            wait_until(lambda: any(r.reason.startswith("timeout") for r in runs(db)), 120,
                       "the hard timeout")
            slow.clear()
            wait_until(lambda: requested_articles(replica) <= stored(db), 120,
                       "the next runs to catch up")
        finally:
            assert daemon.terminate() == 0, daemon.output[-3000:]
        requests = replica.access_log.snapshot()
    logged = log_file.read_text(encoding="utf-8")
    assert "daemon started" in logged
    assert "daemon stopped" in logged
    assert "crawl slot skipped: max_instances" in logged
    rows = runs(db)
    assert any(r.status == "skipped" and r.reason.startswith("max_instances") for r in rows)
    killed = [r for r in rows if r.reason.startswith("timeout")]
    assert killed
    # the parent's timer fired (not the child's own CLOSESPIDER_TIMEOUT, which is later) and
    # the run is closed as such; the timeout is 10 s, under 3 intervals of 4 s
    assert all((r.status, r.reason) == ("failed", "timeout: crawl killed after 10 s")
               for r in killed), killed
    assert all(re.search(rf"crawl {r.id}: failed in [\d.]+ s timeout: crawl killed after 10 s",
                         logged) for r in killed), logged[-3000:]
    assert leftover_processes(str(db)) == [], "the killed crawls' process groups are gone"
    assert_no_overlapping_runs(crawl_runs(db))
    assert_access_log_matches_runs(requests, crawl_runs(db))


def contenders(workdir: Path, base_url: str, smtp: SmtpServer) -> list[Proc]:
    """Two daemons, a cron-style run and a manual scrapy crawl, started within a second."""
    procs = []
    for name, args in [
        ("daemon-a", ["daemon", "--site", base_url, "--interval", "2"]),
        ("daemon-b", ["daemon", "--site", base_url, "--interval", "2"]),
        ("cron", ["run", "--site", base_url]),
        ("manual", [sys.executable, "-m", "scrapy", "crawl", "moscowtimes", "-s",
                    f"MTWATCH_SITE={base_url}", "-s", "LOG_LEVEL=WARNING"]),
    ]:
        env = mtwatch_env(workdir, smtp, **config(workdir, name))
        cwd = REPO if name == "manual" else workdir
        procs.append(start(args, env, cwd, f"{name}-{time.monotonic_ns()}", log_dir=workdir))
    return procs


@pytest.mark.parametrize("trials", [pytest.param(1, id="1-trial"),
                                    pytest.param(10, id="10-trials", marks=pytest.mark.slow)])
def test_one_crawl_at_a_time_whoever_starts_it(smtp: SmtpServer, workdir: Path,
                                               trials: int) -> None:
    """C1: daemons, cron and a manual crawl at once: one crawl at a time, losers exit 75.
    Four contenders, then two daemon crawls of 120 articles, a slot every 2 s: about 6 s
    here."""
    db = workdir / "mtwatch.db"
    with Replica(articles=120, seed=13) as replica:
        for _ in range(trials):
            before = len(crawl_runs(db))
            procs = contenders(workdir, replica.base_url, smtp)
            daemons, others = procs[:2], procs[2:]
            crawled = 0  # the cron run and the manual crawl may both get their turn
            for proc in others:
                code = proc.proc.wait(timeout=300)
                assert code in (0, EXIT_LOCKED), proc.output[-3000:]
                if code == EXIT_LOCKED:
                    assert "another crawl is running" in proc.output.splitlines()[-1]
                crawled += code == 0
            wait_until(lambda: any(d.proc.poll() is not None for d in daemons),  # noqa: B023
                       120, "the losing daemon to exit")
            loser = [d for d in daemons if d.proc.poll() is not None]
            assert len(loser) == 1
            assert loser[0].proc.returncode == EXIT_LOCKED
            assert "another mtwatch daemon is running" in loser[0].output
            winner = next(d for d in daemons if d not in loser)
            # two crawls of the winning daemon, counted beyond the others' own (a busy machine
            # may let both the cron run and the manual crawl run, one after the other)
            wanted = before + crawled + 2
            wait_until(lambda: len(crawl_runs(db)) >= wanted, 120, "daemon crawls")  # noqa: B023
            assert winner.terminate() == 0, winner.output[-3000:]
        requests = replica.access_log.snapshot()
        truth = replica.truth
    crawls = crawl_runs(db)
    assert_no_overlapping_runs(crawls)
    assert_access_log_matches_runs(requests, crawls)
    agents = {r.headers.get("User-Agent", "") for r in requests}
    assert any("daemon" in a for a in agents)
    alerts = alerts_by_article(smtp.messages, truth)
    assert alerts
    assert all(len(set(ids)) == 1 for ids in alerts.values()), "duplicate alerts"


@pytest.mark.slow
def test_suspend_gives_one_catch_up_run_or_a_visible_miss(smtp: SmtpServer,
                                                          workdir: Path) -> None:
    """C2: SIGSTOP for 3 intervals, then SIGCONT: within the grace exactly one catch-up crawl;
    past the grace a `missed` row and one operator notice."""
    db = workdir / "mtwatch.db"
    interval = 8.0  # grace 4 s; a crawl of this small replica takes 2-3 s
    with Replica(articles=40, seed=3) as replica:
        env = mtwatch_env(workdir, smtp, **config(workdir, "c2"))
        daemon = start(["daemon", "--site", replica.base_url, "--interval", f"{interval:g}"],
                       env, workdir, "daemon")
        try:
            for resume_after_slot, expect in ((1.0, "catch-up"), (6.0, "missed")):
                wait_until(lambda: daemon_idle(db, daemon), 120, "the daemon to be idle")
                slot = next_slot(db)
                daemon.proc.send_signal(signal.SIGSTOP)
                count = len(crawl_runs(db))
                time.sleep(max(0.0, slot + 2 * interval + resume_after_slot - time.time()))
                daemon.proc.send_signal(signal.SIGCONT)  # 3 slots were due while stopped
                if expect == "catch-up":
                    wait_until(lambda: len(crawl_runs(db)) == count + 1,  # noqa: B023
                               120, "the catch-up")
                    # one crawl for the three slots, and within the grace: no `missed` row
                    assert len(crawl_runs(db)) == count + 1
                    assert not any(r.status == "missed" for r in runs(db))
                else:
                    wait_until(lambda: any(r.status == "missed" for r in runs(db)), 30, "miss")
        finally:
            assert daemon.terminate() == 0, daemon.output[-3000:]
    notices = [m for m in smtp.messages if "was missed" in str(m.message["Subject"])]
    assert len(notices) == 1
    assert len([r for r in runs(db) if r.status == "missed"]) == 1


def daemon_state(db: Path) -> dict[str, str]:
    with sqlite3.connect(db, timeout=30) as conn:
        value = conn.execute("SELECT value FROM ops_state WHERE key='daemon'").fetchone()[0]
    return dict(json.loads(value))


def next_slot(db: Path) -> float:
    return datetime.fromisoformat(daemon_state(db)["next_crawl_at"]).timestamp()


def daemon_idle(db: Path, daemon: Proc) -> bool:
    """The last crawl is over for the daemon too: logged, and a heartbeat written after it."""
    rows = crawl_runs(db)
    if not rows or rows[-1].finished is None or f"crawl {rows[-1].id}:" not in daemon.output:
        return False
    beat = datetime.fromisoformat(daemon_state(db)["heartbeat_at"]).timestamp()
    return beat > rows[-1].finished
