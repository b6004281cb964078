"""The worker's downloader middlewares: a URL lease before an article is fetched, and per-host
politeness across every worker of the cluster.

``LeaseMiddleware`` claims the article's URL in the store (crawler.cluster.runtime) before the
request goes out; a URL another worker holds, or one already done, is dropped with
``LeaseTaken`` (not a failure: the worker spider's errback ignores it).

``ClusterPolitenessMiddleware`` holds a request until its host has a free concurrency slot and
a token in its bucket, both kept in Redis (crawler.cluster.politeness), so N workers together
keep each site's configured concurrency and delay (``DOWNLOAD_SLOTS``, from the config). The
slot is given back with the response or the error; a killed worker's slot expires.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import redis
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater

from crawler.cluster.politeness import HostBuckets, HostRate, HostSlots
from crawler.cluster.runtime import LEASE, WorkerRuntime, runtime_of

logger = logging.getLogger(__name__)

#: request meta of an article request (crawler.spiders.articles)
ARTICLE = "mtwatch_article_id"
#: request meta: the concurrency slot the request holds (host, token)
SLOT = "mtwatch_slot"
#: a request waiting for its host polls Redis at most this often (seconds)
MAX_POLL = 0.05
MIN_POLL = 0.01
#: while Redis does not answer, look again this often (seconds)
OUTAGE_POLL = 1.0
#: Scrapy setting: seconds a slot lasts without a heartbeat ([cluster] lease_ttl)
SLOT_TTL = "MTWATCH_SLOT_TTL"
#: Scrapy setting: seconds no slot is granted after Redis lost them (two heartbeats)
SLOT_GRACE = "MTWATCH_SLOT_GRACE"
#: Scrapy setting: the Redis client the politeness middleware uses (tests give their own)
REDIS_CLIENT = "MTWATCH_REDIS_CLIENT"


class LeaseTaken(IgnoreRequest):
    """Another worker holds this URL, or it is done: nothing to fetch, nothing failed."""


class LeaseMiddleware:
    """Claim an article's URL before it is fetched (downloader middleware)."""

    def __init__(self, runtime: WorkerRuntime, stats: Any) -> None:
        self.runtime = runtime
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeaseMiddleware:
        return cls(runtime_of(crawler), crawler.stats)

    def process_request(self, request: Request) -> None:
        if ARTICLE not in request.meta:
            return  # feeds and sitemaps are polled by whoever pops them: no lease
        url = request.meta.get(LEASE) or request.url  # a redirect fetches under its first URL
        if not self.runtime.claim(url):
            self.stats.inc_value("mtwatch/cluster/lease_taken")
            raise LeaseTaken(f"another worker holds {url}, or it is done")
        request.meta[LEASE] = url
        self.stats.inc_value("mtwatch/cluster/lease_claimed")


class ClusterPolitenessMiddleware:
    """At most the configured requests at a time per host, and its delay between them, across
    the whole cluster (downloader middleware, just before the download)."""

    def __init__(self, slots: HostSlots, buckets: HostBuckets | None, runtime: WorkerRuntime,
                 stats: Any) -> None:
        self.slots = slots
        self.buckets = buckets
        self.runtime = runtime
        self.stats = stats
        self._tokens = itertools.count(1)
        #: slots this process holds: token → host (refreshed by the worker's heartbeat)
        self.held: dict[str, str] = {}
        runtime.beat_hooks.append(self.refresh)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ClusterPolitenessMiddleware:
        settings = crawler.settings
        client = settings.get(REDIS_CLIENT) or redis.Redis.from_url(
            settings.get("REDIS_URL"), socket_connect_timeout=5, socket_timeout=10)
        prefix = settings.get("MTWATCH_CLUSTER_PREFIX", "mtwatch:")
        hosts: dict[str, dict[str, float]] = settings.getdict("DOWNLOAD_SLOTS")
        default = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2)
        # refreshed on every heartbeat: a live worker's slots last, a dead one's expire
        ttl = settings.getfloat(SLOT_TTL, 60)
        slots = HostSlots(client, default=default, ttl=ttl, prefix=f"{prefix}slots:",
                          per_host={h: int(v.get("concurrency", default))
                                    for h, v in hosts.items()},
                          grace=settings.getfloat(SLOT_GRACE, 0))
        delay = settings.getfloat("DOWNLOAD_DELAY", 0)
        rates = {h: HostRate(1 / float(v["delay"])) for h, v in hosts.items()
                 if float(v.get("delay", delay)) > 0}
        buckets = None
        if rates or delay > 0:
            # a host without a delay of its own: the [crawl] delay; 0 means no bucket at all
            default_rate = HostRate(1 / delay) if delay > 0 else HostRate(1e6, burst=1000)
            per_host = {h: rates.get(h, HostRate(1e6, burst=1000)) for h in hosts}
            buckets = HostBuckets(client, default=default_rate, per_host=per_host,
                                  prefix=f"{prefix}politeness:")
        return cls(slots, buckets, runtime_of(crawler), crawler.stats)

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname
        if not host or SLOT in request.meta:
            return
        token = f"{self.runtime.worker_id}:{next(self._tokens)}"
        wait = MIN_POLL
        waited = False
        while not await self._redis(self.slots.take, host, token):
            waited = True
            await _sleep(wait)
            wait = min(MAX_POLL, wait * 2)
        request.meta[SLOT] = [host, token]
        self.held[token] = host
        if self.buckets is not None:
            while (pause := await self._redis(self.buckets.acquire, host)) > 0:
                waited = True
                await _sleep(pause)
        if waited:
            self.stats.inc_value("mtwatch/cluster/politeness_waits")

    async def _redis(self, call: Any, *args: Any) -> Any:
        """``call(*args)``, waiting while Redis is down: no request goes out unpoliced."""
        warned = False
        while True:
            try:
                return call(*args)
            except redis.RedisError as exc:
                if not warned:
                    logger.warning("Redis: politeness unavailable (%s); requests wait", exc)
                    warned = True
                self.stats.inc_value("mtwatch/cluster/redis_errors")
                await _sleep(OUTAGE_POLL)

    def process_response(self, request: Request, response: Response) -> Response:
        self._give(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self._give(request)

    def _give(self, request: Request) -> None:
        held = request.meta.pop(SLOT, None)
        if held:
            self.held.pop(held[1], None)
            try:
                self.slots.give(held[0], held[1])
            except redis.RedisError:  # the slot expires by itself
                self.stats.inc_value("mtwatch/cluster/redis_errors")

    def refresh(self) -> None:
        try:
            self.slots.refresh(dict(self.held))
        except redis.RedisError as exc:  # a restarted Redis forgot them: nothing to refresh
            logger.warning("Redis: cannot refresh the politeness slots (%s)", exc)


async def _sleep(seconds: float) -> None:
    from twisted.internet import reactor  # Scrapy's, installed by then (never at import)

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))
