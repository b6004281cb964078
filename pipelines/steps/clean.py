"""Clean: fill each item's text from its body zone (``pipelines.extraction.body``), in-process
or, in a big crawl, on a pool of extraction workers; count how each body was read."""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
from dataclasses import dataclass, field, replace
from typing import Any

from pipelines.extraction import paths
from pipelines.extraction.article import ArticleBody
from pipelines.extraction.body import Extraction, Thresholds, extract_article
from pipelines.extraction.pool import ExtractionPool
from pipelines.extraction.worker import ExtractionWorker, Limits

logger = logging.getLogger(__name__)


def default_workers() -> int:
    """One extraction worker per core but the crawl's own (at least one, at most four)."""
    return min(4, max(1, (os.cpu_count() or 2) - 1))


@dataclass(frozen=True)
class PoolPolicy:
    """Extraction on ``workers`` processes at once once a crawl has more than ``after``
    articles (a backfill: an ordinary run reads feeds of at most 50 items); before that, and
    with ``workers=0``, in-process: a small run never pays for starting workers. A crawl asked
    to backfill (``MTWATCH_SINCE``) is big from the start: ``after`` is 0, and its workers
    start with the crawl, loading trafilatura while the sitemaps are read, so the crawl's own
    process never extracts (nor imports trafilatura).

    Measured (bench/crawl.py, replica, 2 cores): 1,000 articles took 25 s with one worker and
    36 s in-process (the naive script: 40 s); at 300 articles the pool gained nothing.

    ``pages`` (``MTWATCH_EXTRACTION_PAGES``, default on): in a pool started with the crawl, the
    spider has its article pages read on it as well, page object and extraction
    (``crawler.sites.offload``), which leaves the crawl's process Scrapy, matching and the
    store; off, the page object runs in the crawl's process as in an ordinary run."""

    workers: int = field(default_factory=default_workers)
    after: int = 100
    #: a backfill's spider reads its article pages on the pool too (``page_pool``)
    pages: bool = True


class CleanPipeline:
    """Fill ``item.text`` from the body zone; articles without a body are kept and flagged."""

    def __init__(self, stats: Any, limits: Limits, thresholds: Thresholds,
                 pool: PoolPolicy | None = None) -> None:
        self.stats = stats
        self.thresholds = thresholds
        self.limits = limits
        self.worker = ExtractionWorker(limits)
        self.pool_policy = pool or PoolPolicy(workers=0)
        self.pool: ExtractionPool | None = None
        self.seen = 0
        #: body length (characters) of every article this run, for the coverage monitors
        self.lengths: list[int] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        settings = crawler.settings
        limits = Limits(timeout=settings.getfloat("MTWATCH_EXTRACTION_TIMEOUT", 15.0),
                        max_rss_mb=settings.getint("MTWATCH_EXTRACTION_MAX_RSS_MB", 512))
        thresholds = Thresholds(
            max_bytes=settings.getint("MTWATCH_EXTRACTION_INPROCESS_BYTES", 256 * 1024),
            max_tags=settings.getint("MTWATCH_EXTRACTION_INPROCESS_TAGS", 6000))
        backfill = bool(settings.get("MTWATCH_SINCE"))
        pool = PoolPolicy(
            workers=settings.getint("MTWATCH_EXTRACTION_WORKERS", default_workers()),
            after=settings.getint("MTWATCH_EXTRACTION_POOL_AFTER",
                                  0 if backfill else PoolPolicy.after),
            pages=settings.getbool("MTWATCH_EXTRACTION_PAGES", True))
        if not 0 < limits.timeout <= 20:
            raise ValueError("MTWATCH_EXTRACTION_TIMEOUT must be in (0, 20] seconds")
        if not 0 <= pool.workers <= 16:
            raise ValueError("MTWATCH_EXTRACTION_WORKERS must be 0 to 16 processes")
        return cls(crawler.stats, limits, thresholds, pool)

    def open_spider(self) -> None:
        if self.pool_policy.after == 0:  # a backfill: the workers get ready meanwhile
            self._pool()

    def close_spider(self) -> None:
        self.worker.close()
        if self.pool is not None:
            self.pool.close()
        if self.lengths:
            self.stats.set_value("mtwatch/body_median", int(statistics.median(self.lengths)))

    def page_pool(self) -> ExtractionPool | None:
        """The pool a backfill's spider reads its article pages on (page object and
        extraction, ``crawler.sites.offload``), so that the crawl's own process does neither;
        None in other crawls."""
        policy = self.pool_policy
        return self.pool if policy.after == 0 and policy.pages else None

    def process_item(self, item: Any) -> Any:
        """The item with its text: at once in-process, or (a big crawl) an awaitable that
        gets it from the pool while the crawl goes on; an item whose page was read in a
        worker (``page_pool``) comes with it already."""
        if item.extraction != "pending":
            self.seen += 1
            return self._done(item, Extraction(item.text, item.extraction))
        body = item.fields.body
        pool = self._pool()
        self.seen += 1
        if pool is None:
            return self._done(item, extract_article(body, worker=self.worker,
                                                    thresholds=self.thresholds))
        return self._pooled(item, pool, body)

    def _pool(self) -> ExtractionPool | None:
        policy = self.pool_policy
        if self.pool is None and policy.workers and self.seen >= policy.after:
            self.pool = ExtractionPool(policy.workers, self.limits)
            logger.info("more than %d articles: extracting on %d worker processes",
                        policy.after, policy.workers)
        return self.pool

    async def _pooled(self, item: Any, pool: ExtractionPool, body: ArticleBody) -> Any:
        text, status = await asyncio.wrap_future(pool.submit(body))
        return self._done(item, Extraction(text, status))

    def _done(self, item: Any, extraction: Extraction) -> Any:
        item.text = extraction.text
        item.extraction = extraction.status
        item.fields = replace(item.fields, body=item.fields.body.read())
        self.lengths.append(len(extraction.text))
        self.stats.inc_value(f"mtwatch/extraction/{extraction.status}")
        if not item.fields.body.has_zone:
            self.stats.inc_value("mtwatch/zone_missing")
        name, url = item.key, item.fields.url
        if extraction.status in paths.WITHOUT_ZONE:
            logger.info("article %s: no usable article zone, body read by %s: %s",
                        name, extraction.status, url)
        if extraction.status == "no_body":
            self.stats.inc_value("mtwatch/no_body")
            logger.warning("article %s has no body text: %s", name, url)
        elif extraction.status.startswith("extraction_failed"):
            self.stats.inc_value("mtwatch/extraction_failed")
            logger.warning("article %s: %s; matching the fallback text: %s",
                           name, extraction.status, url)
        return item
