"""A progress bar for long crawls: polls the store while the crawl child runs; quiet off a TTY."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

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

#: a crawl with fewer articles to evaluate than this is quick: no bar
THRESHOLD = 100
POLL_SECONDS = 0.5


def _bar(console: Console | None) -> Progress:
    return Progress(
        TextColumn("[bold]evaluating articles"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, transient=True,
    )


def _poll(store: Store, max_failures: int, stop: threading.Event, bar: Progress,
          started: datetime) -> None:
    task = None
    while not stop.wait(POLL_SECONDS):
        try:
            done, waiting = store.crawl_progress(since=started, max_failures=max_failures)
        except StoreError:
            continue  # a busy store is no reason to disturb the crawl
        if task is None:
            if done + waiting < THRESHOLD:
                continue
            bar.start()
            task = bar.add_task("articles", total=done + waiting)
        bar.update(task, completed=done, total=max(done + waiting, done))


@contextmanager
def crawl_progress(store_url: str, max_failures: int, *, enabled: bool,
                   console: Console | None = None) -> Iterator[None]:
    """Show "evaluated N of M" while the body runs, once a crawl turns out to be long."""
    if not enabled:
        yield
        return
    try:
        store = Store(store_url)
    except StoreError:
        yield
        return
    stop = threading.Event()
    bar = _bar(console)
    poller = threading.Thread(target=_poll, name="mtwatch-progress", daemon=True,
                              args=(store, max_failures, stop, bar, datetime.now(UTC)))
    poller.start()
    try:
        yield
    finally:
        stop.set()
        poller.join(timeout=5)
        bar.stop()
        store.close()
