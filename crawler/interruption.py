"""Ctrl-C and SIGTERM on `mtwatch run`: stop the crawl cleanly and say what was done and what is
queued — ``interrupted: 16 evaluated, 2 matches stored, 184 queued; the next run continues the
backfill`` — then exit 130 (SIGINT) or 143 (SIGTERM), the shell's 128 + signal number.

The counts come from the store, not from the crawl: a crawl killed before it could report still
left everything it did there.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.storage.backfills import Backfill

#: the signals `mtwatch run` turns into a clean stop
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _unfinished(db_url: str | None) -> list[Backfill]:
    from pipelines.storage import Store, StoreError

    if db_url is None:
        return []
    try:
        with Store(db_url) as store:
            return store.unfinished_backfills()
    except StoreError:
        return []


def backfill_note(db_url: str | None) -> str:
    """``; backfill since 2023-01-01 unfinished: 14 of 42 months walked; the next run continues
    it`` when a backfill is unfinished, else ""."""
    horizons = _unfinished(db_url)
    if not horizons:
        return ""
    return "; " + "; ".join(h.progress() for h in horizons) + "; the next run continues it"


def interrupted_reason(db_url: str | None, started_at: datetime, max_failures: int) -> str:
    """What the stopped crawl did since ``started_at`` and what the next run picks up."""
    from pipelines.storage import Store, StoreError

    if db_url is None:
        return "interrupted: the crawl was stopped; the next run continues"
    try:
        with Store(db_url) as store:
            done = store.run_progress(since=started_at, max_failures=max_failures)
            horizons = store.unfinished_backfills()
    except StoreError as exc:
        return f"interrupted: the crawl was stopped (its progress is unknown: {exc})"
    line = (f"interrupted: {done.evaluated} evaluated, {done.new_matches} "
            f"match{'es' if done.new_matches != 1 else ''} stored, {done.queued} queued")
    if horizons:
        progress = "; ".join(f"since {h.since.isoformat()}: {h.walked_count()}" for h in horizons)
        return f"{line}; the next run continues the backfill ({progress})"
    return f"{line}; the next run fetches them" if done.queued else line


class Interrupt:
    """The first SIGINT/SIGTERM asks the crawl to stop cleanly; a second one kills it now."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.forced = threading.Event()
        self.signum: int | None = None

    @property
    def exit_status(self) -> int:
        """130 after Ctrl-C (SIGINT), 143 after SIGTERM."""
        return 128 + (self.signum or signal.SIGINT)

    @contextmanager
    def handled(self) -> Iterator[Interrupt]:
        """Install the handlers for the body (main thread only), then put the old ones back. A
        signal we were started with ignored stays ignored (a background job in a script)."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in STOP_SIGNALS
                    if signal.getsignal(sig) is not signal.SIG_IGN}
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.requested.is_set():
            self.forced.set()
            return
        self.signum = signum
        self.requested.set()
        name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        # os.write: safe whatever the interrupted code was printing
        os.write(2, f"mtwatch: {name}: stopping the crawl cleanly (again to kill it now)\n"
                 .encode())
