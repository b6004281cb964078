"""The machinery of the interrupted-backfill trials (tests/test_backfill_trials.py).

A trial starts the real ``mtwatch run`` against an in-process replica whose gate holds the
crawl at a chosen point (the N-th monthly sitemap or article page), interrupts the run there
(Ctrl-C, SIGTERM, kill -9 of the run, kill -9 of its crawl child, or kill -9 of every process
of the run: a "machine reboot"), and checks that no process of the run survives. Plain runs
then continue, as cron would. Every wait is on state (the gate, the process table, the store),
never on the clock.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.alerts.mail import message_id
from tests.helpers.keys import default_key
from tests.helpers.launch import mtwatch_env, start_cli
from tests.helpers.ops import wait_until
from tests.helpers.procs import children, descendants, running, wait_gone
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import WebhookReceiver
from tests.replica import Replica
from tests.replica.gate import Gate
from tests.replica.harness import crawl_log, evaluated_ids, matched_ids

TOPIC = "syria-turkey"
SINCE = "2023-01-01"
KINDS = ("sigint", "sigterm", "kill_run", "kill_child", "reboot")
GATES = {"sitemap": r"^/sitemap/\d{4}-\d{1,2}\.xml", "article": r"^/\d{4}/\d{2}/\d{2}/[^/?]+-a\d+",
         # every discovery document after the feeds: sitemap index, months, news sitemaps, /news
         "documents": r"^/(?:sitemap/|news(?:[/?]|$))"}
#: what `mtwatch run` exits with after each interruption
EXIT = {"sigint": 130, "sigterm": 143, "kill_run": -signal.SIGKILL, "kill_child": 1,
        "reboot": -signal.SIGKILL}
#: what Scrapy logs when the stop reached the crawl child
GRACEFUL = "shutting down gracefully"
#: bounds on waits for state that normally comes within seconds (a stuck run fails the test)
REACH_GATE = 300.0
PROCESSES_GONE = 60.0


@dataclass
class Desk:
    """The receiving end of the alerts: a real SMTP server and a webhook receiver."""

    smtp: SmtpServer
    receiver: WebhookReceiver

    def env(self, workdir: Path, **extra: str) -> dict[str, str]:
        config = workdir / "fast.toml"
        # FAST_CONFIG has [alerts] already: channels come from the environment
        config.write_text(config.read_text()
                          + '\n[alerts.webhook]\nallow_internal = ["127.0.0.1"]\ntimeout = 5\n')
        return mtwatch_env(workdir, self.smtp, MTWATCH_WEBHOOK_URL=self.receiver.url,
                           MTWATCH_WEBHOOK_SECRET=self.receiver.secret,
                           MTWATCH_ALERT_CHANNELS="email,webhook", **extra)


@dataclass
class Interruption:
    """One interrupted run and what the test saw."""

    kind: str
    gate: str
    after: int
    #: the crawl reached the gate (else it finished first: nothing was interrupted)
    reached: bool = False
    returncode: int | None = None
    stderr: str = ""
    #: processes of the run when it was interrupted: the crawl child, its extraction worker
    tree: list[int] = field(default_factory=list)


def start_run(env: dict[str, str], workdir: Path, site: str, args: list[str], name: str
              ) -> tuple[subprocess.Popen[bytes], Path]:
    """``mtwatch run`` in the background, leading its own process group as in a terminal."""
    err = workdir / f"{name}.err"
    with (workdir / f"{name}.out").open("wb") as out, err.open("wb") as errors:
        proc = start_cli(["run", "--site", site, *args], env, workdir, stdout=out,
                         stderr=errors, stdin=subprocess.DEVNULL, start_new_session=True,
                         default_sigint=True)
    return proc, err


def crawl_child(run_pid: int) -> int:
    """The crawl process of `mtwatch run` ``run_pid``: its one child (forked, or a new
    ``python -m crawler.crawl``), leading its own session."""
    found = [p for p in children(run_pid) if os.getsid(p) == p]
    assert len(found) == 1, f"one crawl child expected: {found}"
    return found[0]


def interrupt(proc: subprocess.Popen[bytes], kind: str, tree: list[int]) -> None:
    if kind == "sigint":  # Ctrl-C: the terminal signals the foreground process group
        os.killpg(proc.pid, signal.SIGINT)
    elif kind == "sigterm":
        proc.send_signal(signal.SIGTERM)
    elif kind == "kill_run":
        proc.kill()
    elif kind == "kill_child":
        os.kill(crawl_child(proc.pid), signal.SIGKILL)
    else:  # a reboot: every process of the run dies at once, nobody cleans up
        for pid in [proc.pid, *tree]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def interrupted_run(replica: Replica, env: dict[str, str], workdir: Path, trial: Interruption,
                    args: list[str], name: str) -> Interruption:
    """Run until the gate holds the crawl, interrupt it there, and wait for every process of
    the run to be gone."""
    gate = Gate(GATES[trial.gate], trial.after).install(replica.server)
    (workdir / "data" / "logs" / "last-run.log").unlink(missing_ok=True)
    proc, err = start_run(env, workdir, replica.base_url, args, name)
    try:
        wait_until(lambda: gate.held.is_set() or proc.poll() is not None, REACH_GATE,
                   f"{name} to reach the gate", every=0.02)
        trial.reached = gate.held.is_set() and proc.poll() is None
        if trial.reached:
            trial.tree = descendants(proc.pid)
            interrupt(proc, trial.kind, trial.tree)
            if trial.kind in ("sigint", "sigterm"):  # held pages go out once it is closing
                wait_until(lambda: GRACEFUL in crawl_log(workdir) or proc.poll() is not None,
                           REACH_GATE, f"{name}'s crawl to start closing", every=0.02)
            else:  # killed: the crawl (still held at the gate) must die with the run
                wait_gone(trial.tree, PROCESSES_GONE, f"{name}'s crawl, held at the gate")
    finally:
        gate.remove()
    trial.returncode = proc.wait(timeout=REACH_GATE)
    wait_gone(trial.tree, PROCESSES_GONE, f"{name}'s processes")
    trial.stderr = err.read_text(encoding="utf-8", errors="replace")
    return trial


def pick(rng: random.Random, kind: str, gate: str | None, workdir: Path) -> Interruption:
    """A seeded kill point the next run will surely reach: a month still to walk, or an
    article still queued (the first run: any of its ~N articles)."""
    months_left, queued = store_backlog(workdir)
    if gate is None:  # whichever the next run still has to do
        gate = rng.choice([g for g, left in (("sitemap", months_left), ("article", queued))
                           if left > 1] or ["sitemap"])
    if gate == "sitemap":
        return Interruption(kind, gate, rng.randrange(max(min(months_left, 42) - 8, 1)))
    return Interruption(kind, gate, rng.randrange(max(queued // 2, 1)))


def store_backlog(workdir: Path) -> tuple[int, int]:
    """(months left in unfinished backfills, articles queued); before any run: (42, 40)."""
    db = workdir / "mtwatch.db"
    if not db.exists():
        return 42, 40
    with sqlite3.connect(db) as conn:
        months = conn.execute("SELECT COALESCE(SUM(months_total - months_walked), 0) FROM "
                              "backfills WHERE finished_at IS NULL").fetchone()[0]
        queued = conn.execute("SELECT COUNT(*) FROM articles WHERE state != 'evaluated'"
                              ).fetchone()[0]
    return int(months), int(queued)


def open_runs(workdir: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(workdir / "mtwatch.db") as conn:
        return conn.execute("SELECT id, status, reason FROM runs WHERE status = 'running'"
                            ).fetchall()


def integrity(workdir: Path) -> str:
    with sqlite3.connect(workdir / "mtwatch.db") as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def alive(pids: list[int]) -> list[int]:
    return [p for p in pids if running(p)]


def check_nothing_lost(replica: Replica, desk: Desk, workdir: Path) -> dict[str, int]:
    """Every article of the horizon evaluated, every planted positive matched, every match
    alerted exactly once per channel (each key seen once by the SMTP server and the hook)."""
    truth = replica.truth
    horizon = {a["id"] for a in truth["articles"] if a["published"][:10] >= SINCE}
    missing = horizon - evaluated_ids(workdir)
    assert not missing, f"{len(missing)} of {len(horizon)} articles never evaluated"
    matched = matched_ids(workdir)
    lost = set(truth["positives"]) - matched
    assert not lost, f"planted positives lost: {sorted(lost)}"
    keys = {default_key(TOPIC, article) for article in matched}
    mails = Counter(str(m.message["Message-ID"]) for m in desk.smtp.messages)
    assert mails == Counter({message_id(k): 1 for k in keys}), "each alert e-mail exactly once"
    hooks = Counter(str(d.webhook_id) for d in desk.receiver.deliveries if d.accepted)
    assert hooks == Counter(dict.fromkeys(keys, 1)), "each webhook exactly once"
    assert integrity(workdir) == "ok"
    return {"articles": len(horizon), "evaluated": len(horizon) - len(missing),
            "positives": len(truth["positives"]), "lost": len(lost), "alerts": len(keys),
            "duplicate alerts": sum(mails.values()) - len(mails) + sum(hooks.values())
            - len(hooks)}
