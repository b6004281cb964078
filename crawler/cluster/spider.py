"""The worker spider: the generic site spider, fed from Redis instead of its own start.

Our small adapter around scrapy-redis's ``RedisMixin``:

- an async ``start()`` (Scrapy ≥ 2.16 has no ``start_requests``) that reads the first batch
  of start documents; later ones come when the spider is idle, and Scrapy's engine polls for
  them every ``MTWATCH_WORKER_POLL`` seconds instead of its fixed 5;
- start documents are the leader's JSON (crawler.cluster.serializer.data_for) turned into a
  plain ``Request`` (never scrapy-redis's ``FormRequest``), then rebuilt by the spider's own
  code (``_document``, ``_article_request``) so conditional GET and every callback work as in
  ``mtwatch run``;
- the requests a feed or sitemap lists go to the site's shared Redis queue (any worker takes
  them), after their URLs were marked queued in the store: one lost with a killed worker is
  queued again by the leader once its mark runs out;
- an article's lease (claimed by crawler.cluster.middlewares.LeaseMiddleware) is completed
  when its outcome is in the store, whatever it was (stored, soft 404, failed).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import redis
import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy_redis.spiders import RedisMixin  # type: ignore[import-untyped]
from twisted.python.failure import Failure

from crawler.cluster.keys import ARTICLE_ID, start_key
from crawler.cluster.middlewares import LeaseTaken
from crawler.cluster.runtime import LEASE, WorkerRuntime, runtime_of
from crawler.cluster.serializer import RequestSerializationError, request_from_data
from crawler.health.storeguard import guarded_callback
from crawler.middlewares import VALIDATORS, RetryScheduled
from crawler.spiders.base import SiteSpider
from crawler.spiders.documents import KIND, Documents
from crawler.spiders.ledger import Ledger
from pipelines.storage.articles import Candidate
from pipelines.storage.sources import SourceState

logger = logging.getLogger(__name__)

#: what a start document may ask for: the document kind → the spider's callback
DOCUMENT_CALLBACKS = {"feed": "parse_feed", "sitemap_index": "parse_sitemap_index",
                      "sitemap": "parse_sitemap", "newsmap_index": "parse_newsmap_index",
                      "newsmap": "parse_newsmap"}
#: Scrapy setting: how often (seconds) an idle worker looks for work in Redis
POLL_SETTING = "MTWATCH_WORKER_POLL"




class ClusterLedger(Ledger):
    """The ledger, plus: what discovery decides to fetch is marked queued in the store's URL
    leases first, and only URLs nobody holds are requested."""

    runtime: WorkerRuntime

    def discovered(self, found: Sequence[Candidate], source: str) -> list[Candidate]:
        fetch = super().discovered(found, source)
        if not fetch:
            return fetch
        runtime = self.runtime
        free = set(runtime.leases.enqueued([c.url for c in fetch], runtime.clock(), runtime.ttl,
                                           reopen=True))
        held = [c for c in fetch if c.url not in free]
        if held:
            self.stats.inc_value("mtwatch/cluster/already_queued", len(held))
        return [c for c in fetch if c.url in free]


class StoreDocuments(Documents):
    """The discovery documents' validators and copies read from the store at each use: a
    worker runs for days, and another worker may have read a feed since (a run's spider loads
    them once at its start)."""

    @property
    def known(self) -> dict[str, SourceState]:
        return self.store.discovery_sources(site=self.site)

    @known.setter
    def known(self, value: dict[str, SourceState]) -> None:
        """Set once by ``Documents.__init__``: read from the store instead."""


class WorkerSpider(RedisMixin, SiteSpider):  # type: ignore[misc]
    """One site's worker: fetch what the leader and the other workers queue in Redis."""

    name = "worker"
    runtime: WorkerRuntime
    #: the part of the queue keys naming this spider's queue: its site
    queue_name: str

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> WorkerSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, WorkerSpider)
        spider.runtime = runtime_of(crawler)
        prefix = spider.config.cluster.key_prefix
        spider.queue_name = spider.site.name
        spider.redis_key = start_key(prefix, spider.site.name)
        spider.docs = StoreDocuments(spider.store, crawler, spider.site.name)
        ledger = ClusterLedger(spider.store, crawler, spider.policy, spider.site.name)
        ledger.runtime = spider.runtime
        spider.ledger = ledger
        spider.setup_redis(crawler)
        crawler.signals.connect(spider._speed_up_polling, signal=signals.spider_opened)
        spider.runtime.idle_checks.append(spider._idle)
        return spider

    def _idle(self) -> bool:
        engine = getattr(self.crawler, "engine", None)
        try:
            return engine is None or bool(engine.spider_is_idle())
        except (RuntimeError, AttributeError):  # no slot: not started yet, or closed
            return True

    def _speed_up_polling(self) -> None:
        # Scrapy's engine asks the scheduler (and, when idle, the spider) for work every 5 s;
        # a worker waiting on Redis asks more often. A private attribute, set on the instance.
        poll = self.crawler.settings.getfloat(POLL_SETTING, 1.0)
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = poll

    async def start(self) -> AsyncIterator[scrapy.Request]:
        try:
            requests = list(self.next_requests())
        except redis.RedisError as exc:  # the idle poll tries again
            logger.warning("Redis: cannot read start documents (%s)", exc)
            requests = []
        for request in requests:
            yield request

    def spider_idle(self) -> None:
        """Idle: read more start documents; never close (a worker waits for work), not even
        while Redis is down or restarting."""
        try:
            super().spider_idle()
        except redis.RedisError as exc:
            self.crawler.stats.inc_value("mtwatch/cluster/redis_errors")
            logger.debug("Redis: cannot read start documents (%s)", exc)
        raise DontCloseSpider

    def make_request_from_data(self, data: bytes | str) -> list[scrapy.Request]:
        """A start document → the spider's own request for it (empty if it is refused)."""
        try:
            plain = request_from_data(data, self)
        except RequestSerializationError as exc:
            logger.error("refused a start document: %s", exc)
            self.crawler.stats.inc_value("mtwatch/cluster/refused_documents")
            return []
        if not self.urls.is_allowed(plain.url):
            logger.error("refused a start document for another site: %s", plain.url)
            self.crawler.stats.inc_value("mtwatch/cluster/refused_documents")
            return []
        article_id = plain.meta.get(ARTICLE_ID)
        if isinstance(article_id, int) and not isinstance(article_id, bool):
            return [self._article_request(self.candidate(article_id, plain.url))]
        kind = plain.meta.get(KIND)
        callback = DOCUMENT_CALLBACKS.get(kind) if isinstance(kind, str) else None
        if callback is None:
            logger.error("refused a start document of unknown kind %r: %s", kind, plain.url)
            return []
        return [self._document(plain.url, str(kind), getattr(self, callback))]

    def _document(self, url: str, kind: str, callback: Any, **meta: Any) -> scrapy.Request:
        request = super()._document(url, kind, callback, **meta)
        if request.meta.get(VALIDATORS) is not None:  # a tuple: JSON has lists only
            request.meta[VALIDATORS] = list(request.meta[VALIDATORS])
        return request

    # ---- article outcomes complete the lease ----------------------------------------------

    #: every article goes through ``parse_article`` below, which completes its lease
    pages_on_pool = False

    @guarded_callback
    def parse_article(self, response: Response) -> Iterator[Any]:
        items = list(super().parse_article(response))
        lease = response.meta.get(LEASE)
        if not items:  # soft 404, not an article, not HTML: its outcome is in the store
            self.runtime.complete(lease)
        for item in items:
            self.runtime.await_item(item, lease)
            yield item

    @guarded_callback
    def article_failed(self, failure: Failure) -> None:
        if isinstance(failure.value, LeaseTaken):
            return  # another worker has it, or it is done
        request = failure.request  # type: ignore[attr-defined]
        super().article_failed(failure)
        if isinstance(failure.value, RetryScheduled):
            # it comes back through the shared queue, maybe to another worker: let go of it
            self.runtime.release(request.meta.get(LEASE))
            return
        # recorded as failed in the store, which decides when it is due again
        self.runtime.complete(request.meta.get(LEASE))

    def _item_scraped(self, item: Any, **kwargs: Any) -> None:
        super()._item_scraped(item, **kwargs)
        self.runtime.item_done(item, stored=True)

    def _item_dropped(self, item: Any, exception: BaseException, **kwargs: Any) -> None:
        super()._item_dropped(item, exception, **kwargs)
        # a store failure leaves the article as it was: give the URL back; else it is recorded
        self.runtime.item_done(item, stored=not str(exception).startswith("store failed"))
