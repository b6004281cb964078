"""Run one crawl as a child process (``python -m crawler.crawl``, the same crawl as ``scrapy
crawlsites``: every site of the run, side by side) with a hard timeout."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from crawler import forkchild, lifeline
from crawler.interruption import backfill_note, interrupted_reason
from crawler.lock import EXIT_LOCKED, FileLock
from pipelines.storage.files import fresh_private

#: a started crawl child: a Popen, or a forked child (crawler.forkchild.Forked)
Child = subprocess.Popen[Any] | forkchild.Forked

#: grace given to the child to close cleanly after SIGTERM before SIGKILL
TERM_GRACE = 20.0
#: how often a cancellable wait looks at its cancel flag
_POLL = 0.25


@dataclass(frozen=True)
class CrawlOptions:
    """What one crawl is asked to do; None means "as configured"."""

    #: ``--site``: a site name, or a URL for the default site; None = every enabled site
    site: str | None = None
    config_path: Path | None = None
    db_url: str | None = None
    since: date | None = None
    #: ``--backfill-days N`` (``since`` holds the day it means): recorded as the backfill's origin
    backfill_days: int | None = None
    refresh: bool = False
    timeout: float = 1800.0
    log_level: str = "INFO"
    #: where the crawl's log goes; None streams it to our stderr
    log_file: Path | None = None
    trigger: str = "cli"
    #: after SIGTERM (timeout or shutdown), how long the child may take to close before SIGKILL
    stop_grace: float = TERM_GRACE
    #: store matches without queueing or sending alerts (`mtwatch run --no-alert`)
    no_alert: bool = False
    #: articles failing this often are given up (``crawl.max_article_failures``): not "queued"
    max_article_failures: int = 10


@dataclass(frozen=True)
class RunOutcome:
    """The verdict of a finished crawl child ("locked": another crawl was running)."""

    status: str
    reason: str
    counts: dict[str, int] = field(default_factory=dict)
    run_id: int | None = None
    seconds: float = 0.0


def crawl_command(options: CrawlOptions, verdict_file: Path, lock_fd: int | None = None
                  ) -> list[str]:
    """The exact command line a person could run by hand for the same crawl (with the store
    URL in ``MTWATCH_DB_URL``: it may hold a password, and anyone on the host can read argv)."""
    settings = {
        "MTWATCH_VERDICT_FILE": str(verdict_file),
        "MTWATCH_TRIGGER": options.trigger,
        "MTWATCH_LOCK_FD": str(lock_fd) if lock_fd is not None else None,
        # an orphan (its parent killed with -9) still ends itself, gracefully, after this
        "CLOSESPIDER_TIMEOUT": f"{options.timeout + options.stop_grace:g}",
        "LOG_LEVEL": options.log_level,
        "LOG_FILE": str(options.log_file) if options.log_file else None,
        "LOG_FILE_APPEND": "False" if options.log_file else None,
        "MTWATCH_SITE": options.site,
        "MTWATCH_CONFIG": str(options.config_path) if options.config_path else None,
        "MTWATCH_SINCE": options.since.isoformat() if options.since else None,
        "MTWATCH_BACKFILL_DAYS": str(options.backfill_days) if options.backfill_days else None,
        "MTWATCH_REFRESH": "1" if options.refresh else None,
        "MTWATCH_NO_ALERT": "1" if options.no_alert else None,
    }
    command = [sys.executable, "-m", "crawler.crawl"]
    for name, value in settings.items():
        if value is not None:
            command += ["-s", f"{name}={value}"]
    return command


def run_crawl(options: CrawlOptions, *, lock: FileLock | None = None,
              cancel: threading.Event | None = None,
              force: threading.Event | None = None) -> RunOutcome:
    """Run the crawl child; stop its whole process group on timeout or when ``cancel`` is set
    (SIGTERM, then SIGKILL after ``stop_grace``, or at once when ``force`` is set too).

    ``lock`` is the crawl lock the caller holds: the child inherits it, so the lock stays held
    for exactly as long as a crawl process is alive. The child dies with us, even if we are
    killed with -9 (crawler.lifeline); call this from a thread that lives until it returns.
    """
    with start_crawl(options, lock=lock) as child:
        return child.finish(cancel, force)


@contextmanager
def start_crawl(options: CrawlOptions, *, lock: FileLock | None = None,
                fork: bool = False) -> Iterator[CrawlChild]:
    """Start the crawl child (see :func:`run_crawl`); :meth:`CrawlChild.finish` waits for its
    verdict. A child still running when the block is left (an error of ours) is stopped.

    ``fork``: a process that has done nothing else yet may fork the child instead of starting
    a new interpreter (crawler.forkchild: the modules and config it loaded are not loaded
    again); a process that cannot fork safely (other threads, a Twisted reactor) starts
    ``python -m crawler.crawl`` all the same."""
    started, started_at = time.monotonic(), datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="mtwatch-") as tmp:
        verdict_file = Path(tmp) / "verdict.json"
        env = lifeline.child_environment(
            {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"})
        if options.db_url:  # never in argv (see crawl_command)
            env["MTWATCH_DB_URL"] = options.db_url
        if options.log_file is not None:  # a new 0600 file; Scrapy then writes it ("w")
            fresh_private(options.log_file)
        lock_fd = lock.fd if lock is not None else None
        command = crawl_command(options, verdict_file, lock_fd)
        proc: Child
        if fork and forkchild.can_fork():
            proc = forkchild.start(command[3:], env, keep_fd=lock_fd)
        else:
            proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
                pass_fds=() if lock_fd is None else (lock_fd,))
        child = CrawlChild(options, proc, verdict_file, started, started_at)
        try:
            yield child
        finally:
            if proc.returncode is None:
                _Stop(options.stop_grace)(proc)


@dataclass
class CrawlChild:
    """A crawl child that was started; :meth:`finish` once."""

    options: CrawlOptions
    proc: Child
    verdict_file: Path
    started: float
    started_at: datetime

    def finish(self, cancel: threading.Event | None = None,
               force: threading.Event | None = None) -> RunOutcome:
        """Wait for the child (stopping it on timeout or ``cancel``) and give its verdict."""
        options, proc = self.options, self.proc
        stopped = _wait(proc, options.timeout, cancel, _Stop(options.stop_grace, force))
        outcome = _read_verdict(self.verdict_file, proc.returncode,
                                time.monotonic() - self.started)
        if stopped == "timeout":
            outcome = _killed(outcome, f"timeout: crawl killed after {options.timeout:g} s"
                              + backfill_note(options.db_url))
        elif stopped == "cancelled":
            reason = interrupted_reason(options.db_url, self.started_at,
                                        options.max_article_failures)
            outcome = _killed(outcome, reason)
        elif outcome.status == "running":  # the child never wrote its final verdict
            outcome = _killed(outcome, f"crawl process died (exit code {proc.returncode}) "
                              "before it finished" + backfill_note(options.db_url))
        else:
            return outcome
        # a crawl we stopped may have closed its row ("crawl stopped early"): say why it stopped
        _close_run(options.db_url, outcome, overwrite=stopped is not None)
        return outcome


def _killed(outcome: RunOutcome, reason: str) -> RunOutcome:
    return RunOutcome("failed", reason, outcome.counts, outcome.run_id, outcome.seconds)


@dataclass(frozen=True)
class _Stop:
    """How a crawl is stopped: ``grace`` seconds after SIGTERM, or at once once ``force`` is set."""

    grace: float
    force: threading.Event | None = None

    def __call__(self, proc: Child) -> None:
        """SIGTERM the crawl's process group (Scrapy closes cleanly), SIGKILL it after the
        grace (or as soon as ``force`` is set: a second Ctrl-C)."""
        if not _signal_group(proc, signal.SIGTERM):
            return
        deadline = time.monotonic() + self.grace
        while time.monotonic() < deadline and not (self.force and self.force.is_set()):
            try:
                proc.wait(timeout=min(_POLL, max(deadline - time.monotonic(), 0.01)))
                return
            except subprocess.TimeoutExpired:
                continue
        if _signal_group(proc, signal.SIGKILL):
            proc.wait(timeout=30)


def _signal_group(proc: Child, sig: signal.Signals) -> bool:
    """Signal the crawl's process group; False when it is gone already."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return False
    return True


def _wait(proc: Child, timeout: float, cancel: threading.Event | None,
          stop: _Stop) -> str | None:
    """None when the child ended by itself; "timeout" or "cancelled" when we had to stop it."""
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                stop(proc)
                return "timeout"
            if cancel is not None and cancel.is_set():
                stop(proc)
                return "cancelled"
            try:
                proc.wait(timeout=remaining if cancel is None else min(remaining, _POLL))
            except subprocess.TimeoutExpired:
                continue
            return None
    except BaseException:
        stop(proc)  # an exception in our own thread: never leave an orphan crawl behind
        raise


#: how bad each verdict status is: the run's verdict is its worst site's
_SEVERITY = {"ok": 0, "degraded": 1, "running": 2, "failed": 3, "locked": 4}


def _read_verdict(path: Path, returncode: int | None, seconds: float) -> RunOutcome:
    """The crawl's verdict: the one file of a one-site crawl, else every site's joined."""
    found = []
    for part in sorted(path.parent.glob(path.name + "*")):
        try:
            found.append(json.loads(part.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    try:
        data = _joined(found) if found else json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        if returncode == EXIT_LOCKED:
            return RunOutcome("locked", "another crawl is running; try again later",
                              seconds=seconds)
        return RunOutcome(
            "failed", f"crawl process exited with code {returncode} without a verdict "
            "(see the log above)", seconds=seconds)
    return RunOutcome(data["status"], data.get("reason", ""), data.get("counts", {}),
                      data.get("run_id"), seconds)


def _joined(verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    """Several sites' verdicts as one: the worst status, every reason (named by its site),
    counts added up, the first run's id."""
    if len(verdicts) == 1:
        return verdicts[0]
    worst = max(verdicts, key=lambda v: _SEVERITY.get(str(v.get("status")), 3))
    reasons = [f"{v.get('site') or '?'}: {v['reason']}" for v in verdicts if v.get("reason")]
    counts: dict[str, int] = {}
    for verdict in verdicts:
        for key, value in (verdict.get("counts") or {}).items():
            if isinstance(value, int):
                counts[key] = counts.get(key, 0) + value
    run_ids = [v["run_id"] for v in verdicts if v.get("run_id") is not None]
    return {"status": worst.get("status"), "reason": "; ".join(reasons), "counts": counts,
            "run_id": run_ids[0] if run_ids else None}


def _close_run(db_url: str | None, outcome: RunOutcome, *, overwrite: bool) -> None:
    """A killed child could not finish its `runs` row: record why it ended, if still open."""
    if db_url is None or outcome.run_id is None:
        return
    from pipelines.storage import Store, StoreError

    try:
        with Store(db_url) as store:
            store.fail_run(outcome.run_id, now=datetime.now(UTC), reason=outcome.reason,
                           only_open=not overwrite)
    except StoreError as exc:
        print(f"mtwatch: warning: could not record the end of run {outcome.run_id}: {exc}",
              file=sys.stderr)
