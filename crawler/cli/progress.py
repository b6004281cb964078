"""Progress of long crawls, polled from the store while the crawl child runs: a Rich bar on a
terminal, one plain line every N seconds elsewhere (cron logs, CI), nothing for short crawls."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipelines.storage import Store, StoreError

#: a crawl with fewer articles to evaluate than this is quick: no bar, no lines
THRESHOLD = 100
POLL_SECONDS = 0.5


def _bar(console: Console | None) -> Progress:
    return Progress(
        TextColumn("[bold]evaluating articles"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, transient=True,
    )


def progress_line(done: int, waiting: int, seconds: float) -> str:
    """``mtwatch: progress: 120 of 300 articles evaluated (40 %), 12 s`` (for logs)."""
    total = max(done + waiting, done)
    share = f" ({100 * done // total} %)" if total else ""
    return f"mtwatch: progress: {done} of {total} articles evaluated{share}, {seconds:.0f} s"


class _Lines:
    """Prints a progress line every ``every`` seconds once the crawl is long, and a last one
    when it ends, so a log shows how far a long crawl got."""

    def __init__(self, every: float, out: TextIO, clock: Callable[[], float]) -> None:
        self.every, self.out, self.clock = every, out, clock
        self.started = clock()
        self.next_at = self.started + every
        self.long = False
        self.shown: tuple[int, int] | None = None

    def update(self, done: int, waiting: int, *, final: bool = False) -> None:
        self.long = self.long or done + waiting >= THRESHOLD
        now = self.clock()
        due = now >= self.next_at or (final and self.shown != (done, waiting))
        if self.long and due:
            self.out.write(progress_line(done, waiting, now - self.started) + "\n")
            self.out.flush()
            self.next_at, self.shown = now + self.every, (done, waiting)


def _poll(store: Store, max_failures: int, stop: threading.Event, bar: Progress | None,
          lines: _Lines | None, started: datetime) -> None:
    task = None
    while not stop.wait(POLL_SECONDS):
        try:
            done, waiting = store.crawl_progress(since=started, max_failures=max_failures)
        except StoreError:
            continue  # a busy store is no reason to disturb the crawl
        if lines is not None:
            lines.update(done, waiting)
        if bar is None:
            continue
        if task is None:
            if done + waiting < THRESHOLD:
                continue
            bar.start()
            task = bar.add_task("articles", total=done + waiting)
        bar.update(task, completed=done, total=max(done + waiting, done))


@contextmanager
def crawl_progress(store_url: str, max_failures: int, *, enabled: bool,
                   console: Console | None = None, lines_every: float | None = None,
                   out: TextIO | None = None,
                   clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """While the body runs, show "evaluated N of M" once a crawl turns out to be long: a bar
    when ``enabled`` (a terminal), else with ``lines_every`` a line every that many seconds
    to ``out`` (stdout), and one more at the end."""
    if not enabled and not lines_every:
        yield
        return
    try:
        store = Store(store_url)
    except StoreError:
        yield
        return
    stop = threading.Event()
    bar = _bar(console) if enabled else None
    lines = None if enabled or not lines_every else _Lines(
        lines_every, sys.stdout if out is None else out, clock)
    started = datetime.now(UTC)
    poller = threading.Thread(target=_poll, name="mtwatch-progress", daemon=True,
                              args=(store, max_failures, stop, bar, lines, started))
    poller.start()
    try:
        yield
    finally:
        stop.set()
        poller.join(timeout=5)
        if bar is not None:
            bar.stop()
        if lines is not None:
            with suppress(StoreError):
                lines.update(*store.crawl_progress(since=started, max_failures=max_failures),
                             final=True)
        store.close()
