"""The daemon's scheduler watched from a test: hooks that record its slots and heartbeats."""

from __future__ import annotations

import threading
from datetime import datetime

from crawler.daemon.scheduler import DaemonHooks


class RecordingHooks(DaemonHooks):
    """Every slot's (status, reason) and the heartbeat count; :meth:`wait_for` a status."""

    def __init__(self) -> None:
        self.slots: list[tuple[str, str]] = []
        self.beats = 0
        self.changed = threading.Condition()

    def slot(self, status: str, reason: str) -> None:
        with self.changed:
            self.slots.append((status, reason))
            self.changed.notify_all()

    def heartbeat(self, next_crawl: datetime | None) -> None:
        self.beats += 1

    def wait_for(self, status: str, timeout: float = 120) -> None:
        """Until a slot ended with ``status``; ``timeout`` only turns a hang into a failure."""
        with self.changed:
            assert self.changed.wait_for(lambda: any(s == status for s, _ in self.slots),
                                         timeout), self.slots
