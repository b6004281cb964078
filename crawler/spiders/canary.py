"""Canary pages: fetch each due canary (conditional GET) and judge it exactly as a crawl would."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.config import Config
from crawler.context import CrawlContext
from crawler.health.canaries import STATE_KEY, CanaryResult, due, label, verdict
from crawler.health.storeguard import guarded_callback
from crawler.middlewares import VALIDATORS, RetryScheduled
from crawler.sites import Site
from crawler.sites.moscowtimes.urls import SiteUrls
from crawler.sites.offload import PageRead, page_job
from crawler.spiders.ledger import exception_of, failure_reason
from pipelines.extraction.body import extract_article
from pipelines.storage import Store

if TYPE_CHECKING:
    from pipelines.extraction.pool import ExtractionPool

logger = logging.getLogger(__name__)
CANARY = "mtwatch_canary"


def _package_version() -> str:
    try:
        return version("mtwatch")
    except PackageNotFoundError:
        return "dev"


class CanaryCallbacks:
    """The spider's canary half (a mixin); ``canary_results`` is read by the run verdict."""

    config: Config
    context: CrawlContext
    site: Site
    urls: SiteUrls
    store: Store
    canary_results: list[CanaryResult]
    crawler: Any

    def _page_pool(self) -> ExtractionPool | None:
        """A backfill's extraction pool (``ArticleCallbacks._page_pool``, first in the
        spider's bases); on its own, none."""
        return None

    def _canary_requests(self) -> Iterator[scrapy.Request]:
        self.canary_results = []
        urls = [self.urls.absolute(url) for url in self.site.config.canaries]
        if not urls:
            return
        # the rules' versions say whether a canary is due; they are compiled only for a
        # canary that is fetched (an idle poll with no canary due never compiles them)
        self._checker = "|".join([_package_version(),
                                  *(t.rule_version for t in self.context.topic_headers)])
        self._canary_state = self.store.get_state(STATE_KEY) or {}
        every = timedelta(hours=self.config.monitors.canary_hours)
        # a backfill reads its canaries on its extraction pool, as its article pages: the
        # crawl's own process then never imports trafilatura nor extracts
        callback = self.parse_canary_pooled if self._page_pool() is not None else \
            self.parse_canary
        for url, validators in due(urls, self._canary_state, datetime.now(UTC), every,
                                   self._checker):
            if self.urls.article(url) is None:
                self._canary_done(url, "it is not an article URL of the site")
                continue
            yield scrapy.Request(url, callback=callback, errback=self.canary_failed,
                                 dont_filter=True, priority=5,
                                 meta={CANARY: url, VALIDATORS: validators})

    async def parse_canary_pooled(self, response: Response) -> None:
        """``parse_canary`` with the page read on the backfill's pool: the same page object
        and extraction (``crawler.sites.offload``) in a worker, judged here with the same
        rules. A page the worker could not read is read here, as without a pool."""
        read = None
        pool = self._page_pool()
        job = (page_job(self.site.kind, self.site.config.url, response.url, response.text)
               if pool is not None and response.status == 200
               and isinstance(response, TextResponse) else None)
        if pool is not None and job is not None:
            answer = await asyncio.wrap_future(pool.submit_page(job))
            read = PageRead.from_json(answer) if answer is not None else None
            self.crawler.stats.inc_value("mtwatch/canary_read_in_worker" if read is not None
                                         else "mtwatch/canary_read_here")
        self._judge_canary(response, read)

    def parse_canary(self, response: Response) -> None:
        self._judge_canary(response, None)

    @guarded_callback
    def _judge_canary(self, response: Response, read: PageRead | None) -> None:
        """The canary's verdict from its response, its page read here or (``read``) on the
        backfill's pool."""
        url = response.meta[CANARY]
        if response.status == 304:  # unchanged since it last passed, with the same checker
            last = self._canary_state.get(url) or {}
            self._canary_done(url, "", headline=str(last.get("headline") or ""),
                              etag=last.get("etag"), last_modified=last.get("last_modified"))
            return
        if not isinstance(response, TextResponse):
            self._canary_done(url, "the page is not HTML any more")
            return
        if read is None:
            page = self.site.article_page(response.url, response.text)
            read = PageRead(page.is_soft_404, None if page.is_soft_404 else page.fields(),
                            status="pending")
        if read.soft_404:
            self._canary_done(url, "the site answers with its 'not found' page (HTTP 200)")
            return
        fields = read.fields
        headline = fields.headline if fields else None
        body, path, evidence = "", "no_body", []
        if fields is not None:
            body, path = read.text, read.status
            if path == "pending":  # read here: extracted here
                extraction = extract_article(fields.body)
                body, path = extraction.text, extraction.status
            from pipelines.matcher import Document

            document = Document(title=fields.headline, subtitle=fields.subtitle, body=body,
                                language=fields.language, published=fields.published)
            evidence = [{e.field for e in v.evidence} for v in
                        (m.evaluate(document) for m in self.context.matchers) if v.matched]
        etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        self._canary_done(url, verdict(headline, path, body, evidence), headline=headline or "",
                          etag=etag.decode("latin-1") if etag else None,
                          last_modified=modified.decode("latin-1") if modified else None)

    @guarded_callback
    def canary_failed(self, failure: Failure) -> None:
        if isinstance(failure.value, RetryScheduled):
            return
        request = failure.request  # type: ignore[attr-defined]
        why = failure_reason(exception_of(failure))
        shown = f"HTTP {why.removeprefix('http_')}" if why.startswith("http_") else why
        self._canary_done(request.meta[CANARY], f"fetching it failed: {shown}")

    def _canary_done(self, url: str, reason: str, *, headline: str = "",
                     etag: str | None = None, last_modified: str | None = None) -> None:
        last = self._canary_state.get(url) or {}
        result = CanaryResult(
            url=url, ok=not reason, reason=reason,
            headline=headline or str(last.get("headline") or ""),
            checked_at=datetime.now(UTC).isoformat(timespec="seconds"),
            etag=etag if not reason else None,
            last_modified=last_modified if not reason else None, checker=self._checker)
        self.canary_results.append(result)
        log = logger.info if result.ok else logger.error
        log("canary %s: %s", label(url), "extracts and matches" if result.ok else reason)
