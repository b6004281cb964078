"""Backfills that finish after any interruption, and runs that take their crawl with them.

`mtwatch run --since 2023-01-01` is interrupted at a seeded point — Ctrl-C, SIGTERM, kill -9
of the run, kill -9 of its crawl child, or a machine reboot (kill -9 of every process of the
run) — and plain runs continue it, as cron (or the daemon, or a manual `scrapy crawl`) would.
Afterwards every article of the horizon is evaluated, no planted positive is lost, the SMTP
server and the webhook receiver see each alert key exactly once, no process of the interrupted
run outlived it, and the next run was never turned away by a stale lock (exit 75).

The kill points are states, not times: the replica's gate holds the crawl at the N-th monthly
sitemap or article page, and the run is interrupted while it waits there (see
tests/helpers/trials.py).
"""

from __future__ import annotations

import json
import random
import re
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.launch import REPO, run_cli, run_cli_here, run_python
from tests.helpers.ops import crawl_runs, start, wait_until
from tests.helpers.procs import descendants, wait_gone
from tests.helpers.smtp import SmtpServer
from tests.helpers.trials import (
    EXIT,
    GATES,
    KINDS,
    SINCE,
    Desk,
    Interruption,
    check_nothing_lost,
    interrupted_run,
    open_runs,
    pick,
    store_backlog,
)
from tests.helpers.webhook import WebhookReceiver
from tests.replica import FaultPlan, Replica
from tests.replica.gate import Gate

pytestmark = pytest.mark.e2e
#: the default suite's trials: each kind once, at a kill point drawn from a fixed seed
SHORT = [("sigint", "sitemap"), ("sigterm", "article"), ("kill_run", "sitemap"),
         ("kill_child", "article"), ("reboot", "sitemap")]
INTERRUPTED = re.compile(r"interrupted: \d+ evaluated, \d+ match(es)? stored, \d+ queued")


def slow_site(articles: int, seed: int) -> Replica:
    """A replica answering article pages with some latency, as the real site does."""
    return Replica(articles=articles, seed=seed,
                   faults=FaultPlan([{"match": GATES["article"], "fault": "delay",
                                      "seconds": 0.05}]))


@pytest.fixture
def desk() -> Iterator[Desk]:
    with SmtpServer() as smtp, WebhookReceiver() as receiver:
        yield Desk(smtp, receiver)


def summary(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON summary (exit {done.returncode}): {done.stderr[-2000:]}"
    return dict(json.loads(lines[-1]))


def plain_runs(env: dict[str, str], workdir: Path, site: str, limit: int = 3) -> int:
    """Plain `mtwatch run`s (as cron) until no backfill month and no article is left; how many
    it took. None of them may be turned away (75) or fail."""
    for count in range(1, limit + 1):
        done = run_cli(["run", "--site", site, "--json"], env, workdir)
        assert done.returncode == 0, done.stderr[-3000:]
        if store_backlog(workdir) == (0, 0):
            assert summary(done)["status"] == "ok", done.stdout[-2000:]
            return count
    raise AssertionError(f"still unfinished after {limit} plain runs: {store_backlog(workdir)}")


def check_interruption(trial: Interruption) -> None:
    assert trial.reached, "the crawl finished before the kill point"
    assert trial.returncode == EXIT[trial.kind], trial.stderr[-3000:]
    assert "Traceback" not in trial.stderr
    if trial.kind in ("sigint", "sigterm"):
        assert INTERRUPTED.search(trial.stderr), trial.stderr[-2000:]
        assert "Aborted!" not in trial.stderr


@pytest.mark.parametrize(("kind", "gate"), SHORT, ids=[k for k, _ in SHORT])
def test_an_interrupted_backfill_is_finished_by_the_next_plain_run(
    desk: Desk, workdir: Path, request: pytest.FixtureRequest, kind: str, gate: str,
) -> None:
    """About 20 s each (two runs of a 120-article site): the issue's scenario, per kind."""
    env = desk.env(workdir)
    with slow_site(120, seed=5) as site:
        trial = pick(random.Random(f"short:{kind}"), kind, gate, workdir)
        interrupted_run(site, env, workdir, trial, ["--since", SINCE, "--json"], "backfill")
        check_interruption(trial)
        months_left, _queued = store_backlog(workdir)
        status = json.loads(run_cli_here(["status", "--json"], env, workdir).stdout)
        if gate == "sitemap":  # the walk itself was cut short: the months are remembered
            assert months_left > 0
            assert [b["months_walked"] < b["months_total"] for b in status["backfills"]] == [True]
        if kind in ("sigint", "sigterm") and months_left:
            assert f"the next run continues the backfill (since {SINCE}: " in trial.stderr
        runs = plain_runs(env, workdir, site.base_url)
        figures = check_nothing_lost(site, desk, workdir)
    assert runs == 1, "one plain run finishes what the interrupted one left"
    assert open_runs(workdir) == []
    print(f"\n{request.node.name}: after={trial.after} {json.dumps(figures)}")


def test_an_automatic_backfill_killed_before_its_first_sitemap_is_continued(
    desk: Desk, workdir: Path,
) -> None:
    """About 30 s: mtwatch was off while 90 articles appeared (more than a feed holds); the run
    that finds the feeds overflowed is killed before it reads any sitemap — after the feeds'
    new high-water marks were saved, so no later run would see the overflow again."""
    env = desk.env(workdir)
    with slow_site(120, seed=8) as site:
        publisher = site.publisher(hold=90)
        assert plain_runs(env, workdir, site.base_url) == 1
        published = publisher.publish(90)
        trial = interrupted_run(site, env, workdir, Interruption("kill_run", "documents", 0),
                                [], "overflowed")
        check_interruption(trial)
        with sqlite3.connect(workdir / "mtwatch.db") as conn:
            rows = conn.execute("SELECT trigger, months_walked FROM backfills").fetchall()
        assert rows == [("auto", 0)]
        assert plain_runs(env, workdir, site.base_url) == 1
        figures = check_nothing_lost(site, desk, workdir)
    assert len(published) >= 90
    assert figures["evaluated"] == figures["articles"]


def test_a_manual_scrapy_crawl_continues_an_interrupted_backfill(
    desk: Desk, workdir: Path,
) -> None:
    """About 20 s: a backfill killed mid-walk, then a plain `scrapy crawl moscowtimes`."""
    env = desk.env(workdir)
    with slow_site(120, seed=6) as site:
        first = interrupted_run(site, env, workdir, Interruption("kill_run", "sitemap", 3),
                                ["--since", SINCE], "backfill")
        check_interruption(first)
        assert store_backlog(workdir)[0] > 0
        manual = run_python(
            ["-m", "scrapy", "crawl", "moscowtimes", "-s", f"MTWATCH_SITE={site.base_url}",
             "-s", "LOG_LEVEL=WARNING"], env, REPO)
        assert manual.returncode == 0, manual.stderr[-3000:]
        assert store_backlog(workdir) == (0, 0)
        check_nothing_lost(site, desk, workdir)


def test_the_daemon_continues_an_interrupted_backfill(desk: Desk, workdir: Path) -> None:
    """About 30 s: a backfill killed mid-walk; `mtwatch daemon` killed with -9 while its crawl
    waits at a gate (the crawl, started from a scheduler thread, dies with it); a new daemon
    finishes the backfill with its first crawl."""
    env = desk.env(workdir)
    with slow_site(120, seed=7) as site:
        first = interrupted_run(site, env, workdir, Interruption("kill_run", "sitemap", 5),
                                ["--since", SINCE], "backfill")
        check_interruption(first)
        args = ["daemon", "--interval", "3600", "--site", site.base_url]
        gate = Gate(GATES["sitemap"], 2).install(site.server)
        killed = start(args, env, workdir, "daemon-killed")
        wait_until(gate.held.is_set, 300, "the daemon's crawl to reach the gate", every=0.02)
        tree = descendants(killed.proc.pid)
        assert tree, "the daemon was crawling"
        killed.proc.send_signal(signal.SIGKILL)
        killed.proc.wait(timeout=60)
        wait_gone(tree, 60, "the killed daemon's crawl, held at the gate")
        gate.remove()
        daemon = start(args, env, workdir, "daemon")
        try:
            wait_until(lambda: any(r.trigger == "daemon" and r.status != "running"
                                   for r in crawl_runs(workdir / "mtwatch.db")
                                   if "interrupted" not in r.reason), 300,
                       "the daemon's crawl to finish")
        finally:
            assert daemon.terminate() == 0, daemon.output[-3000:]
        assert store_backlog(workdir) == (0, 0)
        check_nothing_lost(site, desk, workdir)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(1, 9))
def test_many_interruptions_of_every_kind_then_plain_runs_lose_nothing(
    desk: Desk, workdir: Path, request: pytest.FixtureRequest, seed: int,
) -> None:
    """A 300-article backfill interrupted 3-6 times at seeded points by seeded kinds (the
    plain runs that continue it are interrupted too), then plain runs until it is done."""
    rng = random.Random(seed)
    env = desk.env(workdir)
    trials = []
    with slow_site(300, seed=seed) as site:
        args = ["--since", SINCE]
        for index in range(rng.randint(3, 6)):
            trial = pick(rng, rng.choice(KINDS), None, workdir)
            interrupted_run(site, env, workdir, trial, args, f"run{index}")
            assert trial.returncode != 75, trial.stderr[-2000:]  # never a stale lock
            if trial.reached:
                check_interruption(trial)
            trials.append(f"{trial.kind}@{trial.gate}:{trial.after}"
                          + ("" if trial.reached else "(finished)"))
            args = []  # cron's plain runs from now on
        runs = plain_runs(env, workdir, site.base_url)
        figures = check_nothing_lost(site, desk, workdir)
    assert open_runs(workdir) == []
    print(f"\n{request.node.name}: trials={trials} plain runs={runs} {json.dumps(figures)}")
