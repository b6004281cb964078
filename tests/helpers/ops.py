"""Helpers for daemon and storage fault tests: a publishing replica, processes, the runs table."""

from __future__ import annotations

import itertools
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from crawler.health.extension import RUN_HEADER_ENV
from tests.helpers.launch import start_cli, start_command
from tests.replica import Replica, Site

REPO = Path(__file__).resolve().parent.parent.parent
#: the discovery documents every crawl requests exactly once
FEEDS = ("/rss/news", "/rss/opinion", "/rss/all")
#: the request header in which crawl children name their run, and the environment that asks
#: them to (``crawler.health.extension.RUN_HEADER_ENV``); the replica logs every request's headers
RUN_HEADER = "X-Mtwatch-Run"
RUN_TAG_ENV = {RUN_HEADER_ENV: RUN_HEADER}


class Publisher:
    """Publishes the replica's newest articles one batch at a time, by moving its clock.

    Each step swaps in a new ``Site`` at the new time (never mutating the one a request
    thread may be rendering) and drops the rendered-page cache.
    """

    def __init__(self, replica: Replica, hidden: int) -> None:
        self.replica = replica
        site = replica.site
        self.queue = sorted(site.articles[:hidden], key=lambda a: (a.published, a.id))
        self.published: dict[int, float] = {}  # article id → wall time it appeared
        self._swap(self.queue[0].published - timedelta(minutes=1))

    def _swap(self, now: Any) -> None:
        old = self.replica.site
        site = Site(old.all_articles, old.seed, now)
        self.replica.site = site
        self.replica.server.site = site
        self.replica.server.invalidate()

    @property
    def done(self) -> bool:
        return not self.queue

    def publish(self, count: int = 1) -> list[int]:
        batch, self.queue = self.queue[:count], self.queue[count:]
        if batch:
            self._swap(batch[-1].published)
            stamp = time.time()
            self.published.update(dict.fromkeys((a.id for a in batch), stamp))
        return [a.id for a in batch]

    def visible_positives(self) -> set[int]:
        return {a.id for a in self.replica.site.positives}

    def visible_ids(self) -> set[int]:
        return {a.id for a in self.replica.site.articles}

    @contextmanager
    def every(self, seconds: float, count: int = 1) -> Iterator[threading.Event]:
        """Publish ``count`` articles every ``seconds`` in a thread until the queue is empty."""
        stop = threading.Event()

        def loop() -> None:
            while not self.done and not stop.wait(seconds):
                self.publish(count)

        thread = threading.Thread(target=loop, name="publisher", daemon=True)
        thread.start()
        try:
            yield stop
        finally:
            stop.set()
            thread.join(10)


def wait_until(check: Callable[[], bool], timeout: float, what: str,
               poll: Callable[[], None] | None = None, every: float = 0.2) -> None:
    """Poll observable state until ``check()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        if poll is not None:
            poll()
        time.sleep(every)


@dataclass
class Proc:
    """A background mtwatch process with its combined output in a file."""

    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def terminate(self, timeout: float = 120) -> int:
        """SIGTERM and wait for the exit status (``timeout``: a guard against a hang; the
        daemon's own bound is its stop grace, then SIGKILL of the crawl)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


def start(args: list[str], env: dict[str, str], cwd: Path, name: str,
          log_dir: Path | None = None) -> Proc:
    """``mtwatch ARGS`` (or any command when ARGS[0] is absolute) in the background; mtwatch
    and ``python …`` forked by the launch zygote, as :func:`start_cli` does."""
    log = (log_dir or cwd) / f"{name}.log"
    popen: dict[str, Any] = {"stderr": subprocess.STDOUT, "stdin": subprocess.DEVNULL}
    with log.open("wb") as out:
        if args[0] == sys.executable:
            proc = start_command(args, env, cwd, stdout=out, **popen)
        elif Path(args[0]).is_absolute():
            proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, **popen)
        else:
            proc = start_cli(args, env, cwd, stdout=out, **popen)
    return Proc(proc, log)


@dataclass
class Run:
    id: int
    trigger: str
    started: float
    finished: float | None
    status: str
    reason: str
    stats: dict[str, Any] = field(default_factory=dict)


def runs(db: Path) -> list[Run]:
    """The runs table, oldest first, times as Unix seconds (SQLite stores naive UTC)."""
    import json
    from datetime import UTC, datetime

    def ts(value: str | None) -> float | None:
        return None if value is None else datetime.fromisoformat(value).replace(
            tzinfo=UTC).timestamp()

    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            rows = conn.execute("SELECT id, trigger, started_at, finished_at, status, reason,"
                                " stats FROM runs ORDER BY started_at, id").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # the store is still being created
            return []
        raise
    return [Run(r[0], r[1], ts(r[2]) or 0.0, ts(r[3]), r[4], r[5], json.loads(r[6]))
            for r in rows]


CRAWL_STATUSES = ("running", "ok", "degraded", "failed")


def crawl_runs(db: Path) -> list[Run]:
    """Rows of crawls that ran (not the scheduler's skipped/missed slot rows)."""
    return [r for r in runs(db) if r.status in CRAWL_STATUSES
            and not r.reason.startswith("daemon error")]


def assert_no_overlapping_runs(rows: list[Run]) -> None:
    ordered = sorted(rows, key=lambda r: r.started)
    for before, after in itertools.pairwise(ordered):
        assert before.finished is not None, f"run {before.id} never finished"
        assert before.finished <= after.started, f"runs {before.id} and {after.id} overlap"


def run_tag(record: Any) -> int | None:
    """The run id a crawl child put on this request (see ``RUN_TAG_ENV``), if any."""
    tags = [v for k, v in record.headers.items() if k.lower() == RUN_HEADER.lower()]
    return int(tags[0]) if tags else None


def assert_access_log_matches_runs(records: list[Any], rows: list[Run]) -> None:
    """The site's view agrees with the runs table: every request was sent by one of the
    recorded crawls (its child tags each request with its run id: no clocks compared), and no
    crawl asked for a feed twice."""
    ids = {r.id for r in rows}
    per_run: dict[int | None, list[str]] = {}
    for record in records:
        per_run.setdefault(run_tag(record), []).append(record.path)
    strays = {tag: paths[:5] for tag, paths in per_run.items() if tag not in ids}
    assert not strays, f"requests from no recorded crawl {sorted(ids)}: {strays}"
    for run, paths in per_run.items():
        for feed in FEEDS:
            assert paths.count(feed) <= 1, f"crawl {run} requested {feed} twice"


def integrity(db: Path) -> str:
    with sqlite3.connect(db, timeout=30) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


#: how an operator notice's subject starts (pipelines/alerts/compose.py)
NOTICE_SUBJECT = "[mtwatch] operator notice"


def alerts_by_article(messages: list[Any], truth: dict[str, Any]) -> dict[int, list[str]]:
    """Message-IDs of the alert e-mails per article (operator notices left out)."""
    by_url = {a["url"]: a["id"] for a in truth["articles"]}
    found: dict[int, list[str]] = {}
    for envelope in messages:
        msg = envelope.message
        subject = str(msg["Subject"])
        # an operator notice (a canary that tripped and recovered, a held channel) may quote an
        # article's link: it is no alert about that article
        if not subject.startswith("[mtwatch]") or subject.startswith(NOTICE_SUBJECT):
            continue
        body = msg.get_body(("plain",)).get_content()
        ids = {aid for url, aid in by_url.items() if url in body}
        assert len(ids) == 1, f"an alert must be about exactly one article: {ids}"
        found.setdefault(ids.pop(), []).append(str(msg["Message-ID"]))
    return found


def distinct_text(article_id: int, lead: str) -> str:
    """``lead``, then a paragraph of words no other article has: tests' articles that share a
    lead are distinct stories, not copies of one (pipelines.stories groups copies)."""
    import random

    rng = random.Random(article_id)
    words = ("".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
             for _ in range(60))
    return f"{lead}\n\n{' '.join(words)}."


def sample_article(article_id: int, published: Any, text: str = "Some text.") -> Any:
    """A stored-article record for tests that need rows, not crawls."""
    from pipelines.storage import ArticleRecord

    return ArticleRecord(
        article_id=article_id, url=f"https://www.themoscowtimes.com/a{article_id}",
        headline=f"Headline {article_id}", subtitle="", authors=["A. Author"],
        published=published, modified=None, section="news", tags=["syria", "turkey"],
        language="en", html_sha256=f"{article_id:064x}", text=text, extraction="ok",
        fetched_at=published,
    )


def sample_match(article_id: int, matched_at: Any) -> Any:
    from pipelines.storage import MatchRecord

    return MatchRecord(
        article_id=article_id, topic="syria-turkey", rule_version="1", rule="core",
        grade="strong", matched_at=matched_at,
        evidence=[{"field": "text", "sentence": "Ankara and Damascus agreed.", "start": 0,
                   "end": 27, "terms": ["Ankara", "Damascus"]}],
    )


