"""Run one crawl as a child process (``python -m scrapy crawl moscowtimes``) with a hard timeout."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

#: grace given to the child to close cleanly after SIGTERM before SIGKILL
TERM_GRACE = 20.0


@dataclass(frozen=True)
class CrawlOptions:
    """What one crawl is asked to do; None means "as configured"."""

    site: str | None = None
    config_path: Path | None = None
    db_url: str | None = None
    since: date | None = None
    refresh: bool = False
    timeout: float = 1800.0
    log_level: str = "INFO"
    #: where the crawl's log goes; None streams it to our stderr
    log_file: Path | None = None
    trigger: str = "cli"


@dataclass(frozen=True)
class RunOutcome:
    """The verdict of a finished crawl child."""

    status: str
    reason: str
    counts: dict[str, int] = field(default_factory=dict)
    run_id: int | None = None
    seconds: float = 0.0


def crawl_command(options: CrawlOptions, verdict_file: Path) -> list[str]:
    """The exact command line a person could run by hand for the same crawl."""
    settings = {
        "MTWATCH_VERDICT_FILE": str(verdict_file),
        "MTWATCH_TRIGGER": options.trigger,
        "LOG_LEVEL": options.log_level,
        "LOG_FILE": str(options.log_file) if options.log_file else None,
        "LOG_FILE_APPEND": "False" if options.log_file else None,
        "MTWATCH_SITE": options.site,
        "MTWATCH_DB_URL": options.db_url,
        "MTWATCH_CONFIG": str(options.config_path) if options.config_path else None,
        "MTWATCH_SINCE": options.since.isoformat() if options.since else None,
        "MTWATCH_REFRESH": "1" if options.refresh else None,
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "moscowtimes"]
    for name, value in settings.items():
        if value is not None:
            command += ["-s", f"{name}={value}"]
    return command


def run_crawl(options: CrawlOptions) -> RunOutcome:
    """Run the crawl child; kill its whole process group if it outlives ``options.timeout``."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mtwatch-") as tmp:
        verdict_file = Path(tmp) / "verdict.json"
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
        if options.log_file is not None:
            options.log_file.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            crawl_command(options, verdict_file), env=env, start_new_session=True,
            stdin=subprocess.DEVNULL,
        )
        returncode = _wait(proc, options.timeout)
        seconds = time.monotonic() - started
        if returncode is None:
            return RunOutcome("failed", f"timeout: crawl killed after {options.timeout:g} s",
                              seconds=seconds)
        return _read_verdict(verdict_file, returncode, seconds)


def _wait(proc: subprocess.Popen[Any], timeout: float) -> int | None:
    """The child's exit code, or None when it had to be killed for running too long."""
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        return None
    except BaseException:
        _stop(proc)  # Ctrl-C or SIGTERM on us: never leave an orphan crawl behind
        raise


def _stop(proc: subprocess.Popen[Any]) -> None:
    for sig, grace in ((signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _read_verdict(path: Path, returncode: int, seconds: float) -> RunOutcome:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return RunOutcome(
            "failed", f"crawl process exited with code {returncode} without a verdict "
            "(see the log above)", seconds=seconds)
    return RunOutcome(data["status"], data["reason"], data.get("counts", {}),
                      data.get("run_id"), seconds)
