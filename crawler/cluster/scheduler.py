"""scrapy-redis's scheduler, adapted to current Scrapy, and the duplicate filter we use with it.

``ClusterScheduler`` is scrapy-redis 0.9.1's ``Scheduler`` without the calls Scrapy ≥ 2.16
deprecates (``Spider.log``, ``inc_value(spider=...)``); queueing and popping are unchanged.

``LeaseDupeFilter`` filters nothing, on purpose. scrapy-redis's ``RFPDupeFilter`` records a
fingerprint when a request is *queued*: if the worker holding it dies, the URL can never be
queued again (the loss measured in the scale-out design notes, §A3), and the set grows by about
88 bytes per URL for ever. In a cluster the URL lease in PostgreSQL is the duplicate check: a
worker claims a URL before fetching it, and a URL already done or held is not fetched again.
"""

from __future__ import annotations

import logging
from typing import Any, Self

import redis
from scrapy import Request, Spider
from scrapy.dupefilters import BaseDupeFilter
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)


class LeaseDupeFilter(BaseDupeFilter):
    """Lets every request through: PostgreSQL leases decide what is fetched (see above)."""

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls()

    def request_seen(self, request: Request) -> bool:
        return False

    def clear(self) -> None:
        """scrapy-redis calls this when it flushes; there is nothing to clear."""


def queue_name(spider: Spider) -> str:
    """The part of the queue key naming the spider's queue: its ``queue_name`` (a worker
    spider's site, so that each site has a queue of its own), else its name."""
    name = getattr(spider, "queue_name", None)
    return name if isinstance(name, str) and name else spider.name


class ClusterScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's Redis-backed scheduler, quiet on current Scrapy."""

    df: Any

    def open(self, spider: Spider) -> None:
        self.spider = spider
        try:
            self.queue = load_object(self.queue_cls)(
                server=self.server, spider=spider,
                key=self.queue_key % {"spider": queue_name(spider)}, serializer=self.serializer)
        except TypeError as exc:
            raise ValueError(f"cannot build the queue class {self.queue_cls!r}: {exc}") from None
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        waiting = len(self.queue)
        if waiting:
            logger.info("resuming the shared queue: %d requests waiting", waiting)

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            return False
        try:
            self.queue.push(request)
        except redis.RedisError as exc:
            # dropped, not lost: an article's URL is marked queued in the store, and the
            # leader queues it again once that mark runs out; documents come every round
            self._outage("queue a request", exc)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        try:
            request: Any = self.queue.pop(self.idle_before_close)
        except redis.RedisError as exc:
            self._outage("take a request", exc)
            return None
        self._warned = False
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request  # type: ignore[no-any-return]

    def __len__(self) -> int:
        try:
            return len(self.queue)
        except redis.RedisError as exc:
            self._outage("count the queue", exc)
            return 0

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def _outage(self, what: str, exc: redis.RedisError) -> None:
        """Redis is down or restarting: the worker waits for it (one warning per outage)."""
        if self.stats:
            self.stats.inc_value("mtwatch/cluster/redis_errors")
        if not getattr(self, "_warned", False):
            logger.warning("Redis: cannot %s (%s); waiting for it to come back", what, exc)
            self._warned = True
