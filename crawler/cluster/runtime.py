"""One worker process's cluster state: its id, the URL leases it holds, its heartbeat.

A ``WorkerRuntime`` is made once per ``mtwatch worker`` process and shared by its crawlers (one
per site) through the Scrapy settings, like the crawl context (crawler.context). It claims an
article's URL in the store before the fetch (crawler.cluster.middlewares.LeaseMiddleware),
completes it once the article's outcome is in the store (the worker spider), and on every
heartbeat extends the leases it holds and refreshes its row in the worker registry. A worker
killed with -9 stops heart-beating: its leases run out and the leader queues their URLs again.

Times come from ``clock`` (tests pass their own); the store and Redis are passed in.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.cluster.workers import WorkerRegistry
from pipelines.storage.leases import Leases

logger = logging.getLogger(__name__)

#: Scrapy setting naming the process's registered runtime
RUNTIME_SETTING = "MTWATCH_WORKER_RUNTIME"
#: request meta: the URL whose lease this request (and its redirects) fetches under
LEASE = "mtwatch_lease"
_REGISTRY: dict[str, WorkerRuntime] = {}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class WorkerRuntime:
    """The leases of one worker process and its place in the registry."""

    def __init__(self, leases: Leases, registry: WorkerRegistry | None, *, ttl: timedelta,
                 worker_id: str | None = None,
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self.leases = leases
        self.registry = registry
        self.ttl = ttl
        self.clock = clock
        self.worker_id = worker_id or f"worker-{uuid.uuid4().hex[:12]}"
        #: the URLs this process holds a lease on
        self.held: set[str] = set()
        #: items on their way through the pipelines → the lease they complete
        self._items: dict[int, str] = {}
        self._registered = False
        #: called on every heartbeat (the politeness middleware refreshes its slots)
        self.beat_hooks: list[Callable[[], None]] = []
        #: the process's crawlers, each idle or not (the worker spiders add theirs)
        self.idle_checks: list[Callable[[], bool]] = []

    # ---- registry and heartbeat ---------------------------------------------------------

    def register(self) -> None:
        if self.registry is not None:
            self.worker_id = self.registry.register(self.clock().timestamp())
            self._registered = True
        logger.info("cluster worker %s started", self.worker_id)

    def heartbeat(self) -> int:
        """Extend every lease held, refresh the registry row; how many leases were extended."""
        now = self.clock()
        for hook in self.beat_hooks:
            hook()
        extended = self.leases.extend_all(self.worker_id, now, self.ttl)
        if extended < len(self.held):
            logger.warning("%d of %d leases had run out before the heartbeat",
                           len(self.held) - extended, len(self.held))
        idle = all(check() for check in self.idle_checks)
        if self.registry is not None and self._registered and not self.registry.heartbeat(
                self.worker_id, now.timestamp(), len(self.held), idle=idle):
            # the registry forgot us (a long stall, a Redis restart): appear again, same id
            logger.warning("worker %s had dropped out of the registry: registering again",
                           self.worker_id)
            self.registry.register_as(self.worker_id, now.timestamp(), len(self.held))
        return extended

    def stop(self) -> None:
        """A clean stop: every lease held goes back (queued again at once), then we leave."""
        now = self.clock()
        for url in sorted(self.held):
            self.leases.release(url, self.worker_id, now)
        self.held.clear()
        if self.registry is not None and self._registered:
            self._registered = False
            try:
                self.registry.unregister(self.worker_id)
            except Exception as exc:  # Redis is down: the row expires by itself
                logger.warning("cannot leave the worker registry: %s", exc)

    # ---- leases -------------------------------------------------------------------------

    def claim(self, url: str) -> bool:
        """Take ``url``'s lease for this worker; False if another worker holds it or it is
        done. A URL this worker holds already is its own (a retry, a redirect)."""
        if url in self.held:
            return True
        if self.leases.claim(url, self.worker_id, self.clock(), self.ttl) is None:
            return False
        self.held.add(url)
        return True

    def complete(self, url: str | None) -> None:
        """The URL's outcome is in the store: done."""
        self._finish(url, done=True)

    def release(self, url: str | None) -> None:
        """Give the URL back unfinished: the leader queues it again at its next round."""
        self._finish(url, done=False)

    def _finish(self, url: str | None, *, done: bool) -> None:
        if url is None or url not in self.held:
            return
        self.held.discard(url)
        now = self.clock()
        ok = (self.leases.complete if done else self.leases.release)(url, self.worker_id, now)
        if not ok:
            logger.warning("the lease on %s had passed to another worker", url)

    def await_item(self, item: Any, url: str | None) -> None:
        """``item`` completes ``url``'s lease once the pipelines are done with it."""
        if url is not None:
            self._items[id(item)] = url

    def item_done(self, item: Any, *, stored: bool) -> None:
        url = self._items.pop(id(item), None)
        if stored:
            self.complete(url)
        else:
            self.release(url)

    @property
    def in_flight(self) -> int:
        return len(self.held)


def register_runtime(runtime: WorkerRuntime, settings: Any) -> str:
    """Make ``runtime`` the one every crawler built from ``settings`` uses."""
    token = uuid.uuid4().hex
    _REGISTRY[token] = runtime
    settings.set(RUNTIME_SETTING, token, priority="cmdline")
    return token


def runtime_of(crawler: Any) -> WorkerRuntime:
    """The crawler's worker runtime (a worker spider or middleware without one is a bug)."""
    token = crawler.settings.get(RUNTIME_SETTING)
    runtime = _REGISTRY.get(token) if token else None
    if runtime is None:
        raise RuntimeError("no worker runtime: cluster components run under `mtwatch worker`")
    return runtime
