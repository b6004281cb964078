"""A moving clock for the replica: hold back the newest articles, then publish them K at a time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from .model import Article
from .server import ReplicaHTTPServer
from .site import Site


class Publisher:
    """Hides the ``hold`` newest articles, then publishes them in order, ``count`` at a time.

    ``publish(k)`` does one step (tests drive it directly); ``start(every, count)`` runs a
    background thread that publishes ``count`` articles every ``every`` seconds.
    """

    def __init__(self, site: Site, server: ReplicaHTTPServer | None, hold: int) -> None:
        self.site = site
        self.server = server
        live = sorted(site.articles, key=lambda a: (a.published, a.id))
        self.queue: list[Article] = live[len(live) - hold:] if hold > 0 else []
        self.published: list[Article] = []
        #: once everything is published, the clock goes back to where it was
        self.final = site.now
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if self.queue:
            self._set_clock(self.queue[0].published - timedelta(seconds=1))

    @property
    def remaining(self) -> int:
        return len(self.queue)

    def publish(self, count: int) -> list[Article]:
        """Make the next ``count`` held articles visible; the ones that appeared."""
        batch, self.queue = self.queue[:count], self.queue[count:]
        if batch:
            # articles sharing the last timestamp appear together: keep the queue honest
            latest = batch[-1].published
            batch += [a for a in self.queue if a.published <= latest]
            self.queue = [a for a in self.queue if a.published > latest]
            self._set_clock(latest if self.queue else max(latest, self.final))
            self.published += batch
        return batch

    def _set_clock(self, when: datetime) -> None:
        self.site.set_now(when)
        if self.server is not None:
            self.server.invalidate()

    def start(self, every: float, count: int) -> Publisher:
        def loop() -> None:
            while self.queue and not self._stop.wait(every):
                self.publish(count)

        self._thread = threading.Thread(target=loop, name="replica-publisher", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
