"""Test helpers: run the real ``mtwatch run`` against a replica; read its store and logs."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.helpers.launch import FAST_CONFIG, mtwatch_command, mtwatch_env, run_cli

from .server import AccessRecord


@dataclass
class Crawl:
    """One finished ``mtwatch run``: exit code, output, and its JSON summary."""

    returncode: int
    stdout: str
    stderr: str
    summary: dict[str, Any] = field(default_factory=dict)
    #: peak RSS of the biggest process of the run (the crawl child), when measured
    peak_rss_mb: float = 0.0

    @property
    def status(self) -> str:
        return str(self.summary.get("status", ""))

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.summary.get("counts", {}))


#: runs a command and reports the peak RSS of its whole process tree (KiB) on stderr
_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def mtwatch_run(workdir: Path, site: str, *args: str, config: str = FAST_CONFIG,
                timeout: float = 600, measure_rss: bool = False,
                env: dict[str, str] | None = None) -> Crawl:
    """``mtwatch run --site SITE --json ARGS`` with its own store and data dir in ``workdir``
    (``env``: more environment variables)."""
    config_file = workdir / "crawl.toml"
    config_file.write_text(config, encoding="utf-8")
    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(config_file), **(env or {}))
    command = ["run", "--site", site, "--json", *args]
    if measure_rss:  # the wrapper's own child: a real exec, its tree's peak is the crawl's
        done = subprocess.run([sys.executable, "-c", _RSS_WRAPPER, *mtwatch_command(), *command],
                              cwd=workdir, env=env, text=True, capture_output=True,
                              timeout=timeout, check=False)
    else:
        done = run_cli(command, env, workdir, timeout=timeout)
    summary: dict[str, Any] = {}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            summary = json.loads(line)
            break
    crawl = Crawl(done.returncode, done.stdout, done.stderr, summary)
    for line in done.stderr.splitlines():
        if line.startswith("MAXRSS "):
            crawl.peak_rss_mb = int(line.split()[1]) / 1024
    return crawl


def copy_crawl(source: Path, workdir: Path) -> None:
    """Give ``workdir`` a copy of the store and data directory :func:`mtwatch_run` left in
    ``source`` (modes kept): for tests that go on from a crawl made once for several of them.
    The copy is the tests' own; the crawl that made ``source`` has ended."""
    for name in ("mtwatch.db", "mtwatch.db-wal", "mtwatch.db-shm"):
        if (source / name).exists():
            shutil.copy2(source / name, workdir / name)
    shutil.copytree(source / "data", workdir / "data", dirs_exist_ok=True)


def crawl_log(workdir: Path) -> str:
    path = workdir / "data" / "logs" / "last-run.log"
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def query(workdir: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(workdir / "mtwatch.db") as conn:
        return list(conn.execute(sql, params))


def evaluated_ids(workdir: Path) -> set[int]:
    return {r[0] for r in query(workdir, "SELECT article_id FROM articles WHERE state = ?",
                                "evaluated")}


def matched_ids(workdir: Path) -> set[int]:
    return {r[0] for r in query(workdir, "SELECT article_id FROM matches")}


def dump(workdir: Path) -> str:
    """Every value in the store, as text (to look for canary strings)."""
    with sqlite3.connect(workdir / "mtwatch.db") as conn:
        return "\n".join(conn.iterdump())


def article_paths(records: list[AccessRecord]) -> list[str]:
    """The article page requests (``/yyyy/mm/dd/slug``) among ``records``."""
    out = []
    for record in records:
        parts = urlsplit(record.path).path.strip("/").split("/")
        if len(parts) >= 4 and parts[0].isdigit() and len(parts[0]) == 4:
            out.append(record.path)
    return out


def article_id(path: str) -> int | None:
    tail = urlsplit(path).path.rstrip("/").rsplit("-a", 1)
    return int(tail[1]) if len(tail) == 2 and tail[1].isdigit() else None
