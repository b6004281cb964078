"""Progress of long crawls, polled from the store while the crawl child runs: a Rich bar on a
terminal, one plain line every N seconds elsewhere (cron logs, CI), nothing for short crawls.

The store is opened by the poller at its first poll (on a terminal after half a second;
elsewhere when the first line is due, as nothing can be printed before): a short crawl (an
idle poll) that evaluated nothing never opens it, and ``mtwatch run`` never imports
SQLAlchemy for it."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from pipelines.storage import Store

#: a crawl with fewer articles to evaluate than this is quick: no bar, no lines
THRESHOLD = 100
POLL_SECONDS = 0.5


def _bar(console: Console | None) -> Progress:
    """The bar, for a terminal (Rich's progress display is imported for it alone)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

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


@dataclass
class CrawlWatch:
    """What the progress display knows of the crawl: the store once a poll opened it, and
    the crawl's own counts once it ended (see :meth:`ended`)."""

    store_url: str
    store: Store | None = None
    counts: Mapping[str, int] | None = None
    #: the store could not be opened: no progress is shown (the crawl says why it failed)
    unusable: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def opened(self) -> Store:
        """The store, opened on first use (StoreError, once, when it cannot be)."""
        from pipelines.storage import Store, StoreError

        with self._lock:
            if self.store is None:
                if self.unusable:
                    raise StoreError("the store could not be opened")
                try:
                    self.store = Store(self.store_url)
                except StoreError:
                    self.unusable = True
                    raise
            return self.store

    def ended(self, counts: Mapping[str, int]) -> None:
        """The crawl's counts (its verdict's): a crawl that evaluated nothing and was never
        polled is short, and needs no last line."""
        self.counts = counts

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def _poll(watch: CrawlWatch, max_failures: int, stop: threading.Event, bar: Progress | None,
          lines: _Lines | None, started: datetime, first_wait: float) -> None:
    task = None
    wait = first_wait
    while not stop.wait(wait):
        wait = POLL_SECONDS
        from pipelines.storage import StoreError  # at the first poll: a short crawl has none

        try:
            done, waiting = watch.opened().crawl_progress(since=started,
                                                          max_failures=max_failures)
        except StoreError:
            if watch.unusable:
                return
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
                   clock: Callable[[], float] = time.monotonic) -> Iterator[CrawlWatch]:
    """While the body runs, show "evaluated N of M" once a crawl turns out to be long: a bar
    when ``enabled`` (a terminal), else with ``lines_every`` a line every that many seconds
    to ``out`` (stdout), and one more at the end. The body hands the crawl's counts to the
    yielded watch (:meth:`CrawlWatch.ended`)."""
    watch = CrawlWatch(store_url)
    if not enabled and not lines_every:
        yield watch
        return
    stop = threading.Event()
    bar = _bar(console) if enabled else None
    lines = None if enabled or not lines_every else _Lines(
        lines_every, sys.stdout if out is None else out, clock)
    started = datetime.now(UTC)
    first_wait = POLL_SECONDS if lines is None else max(lines.every, POLL_SECONDS)
    poller = threading.Thread(target=_poll, name="mtwatch-progress", daemon=True,
                              args=(watch, max_failures, stop, bar, lines, started, first_wait))
    poller.start()
    try:
        yield watch
    finally:
        stop.set()
        poller.join(timeout=5)
        if bar is not None:
            bar.stop()
        if lines is not None and _may_be_long(watch):
            from pipelines.storage import StoreError

            with suppress(StoreError):
                lines.update(*watch.opened().crawl_progress(
                    since=started, max_failures=max_failures), final=True)
        watch.close()


def _may_be_long(watch: CrawlWatch) -> bool:
    """Whether the last line needs the store: yes once a poll opened it, or unless the crawl
    said it evaluated nothing."""
    if watch.unusable:
        return False
    if watch.store is not None or watch.counts is None:
        return True
    return bool(watch.counts.get("evaluated", 0))
