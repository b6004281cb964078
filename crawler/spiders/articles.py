"""Article pages: request, parse with the page object, and record every outcome in the ledger."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.health.storeguard import guarded_callback, guarded_handler
from crawler.items import ArticleItem
from crawler.middlewares import RetryScheduled
from crawler.sites import Site
from crawler.sites.common import ArticleRef
from crawler.sites.offload import PageRead, page_job, response_html
from crawler.spiders.ledger import Ledger, exception_of, failure_reason
from pipelines.storage.articles import Candidate

if TYPE_CHECKING:
    from pipelines.extraction.pool import ExtractionPool

#: request meta: the article's key within its site (``Candidate.article_key``)
KEY = "mtwatch_article_key"


class ArticleCallbacks:
    """The spider's article half (a mixin): one ``ArticleItem`` per article page."""

    ledger: Ledger
    site: Site
    crawler: Any
    #: a backfill's article pages may be read on its extraction pool (``parse_article_pooled``);
    #: a spider that adds to ``parse_article`` says no
    pages_on_pool = True

    def _article_request(self, cand: Candidate) -> scrapy.Request:
        pooled = self.pages_on_pool and self._page_pool() is not None
        return scrapy.Request(cand.url,
                              callback=self.parse_article_pooled if pooled else self.parse_article,
                              errback=self.article_failed,
                              meta={"mtwatch_article_id": cand.article_id,
                                    KEY: cand.article_key})

    def _page_pool(self) -> ExtractionPool | None:
        """A backfill's extraction pool, where article pages are read (``CleanPipeline``),
        or None: pages are read here."""
        pool: ExtractionPool | None = getattr(self, "_pages_on", None)
        if pool is None:
            from pipelines.steps.clean import CleanPipeline

            try:
                clean = self.crawler.get_item_pipeline(CleanPipeline)
            except (AttributeError, RuntimeError):  # no crawl running (a spider on its own)
                clean = None
            pool = clean.page_pool() if isinstance(clean, CleanPipeline) else None
            self._pages_on = pool
        return pool

    async def parse_article_pooled(self, response: Response) -> AsyncIterator[ArticleItem]:
        """``parse_article`` with the page read on the backfill's pool (page object and
        extraction, ``crawler.sites.offload``): the same items, text already extracted.
        A page the worker could not read is read here, as without a pool."""
        read = None
        pool = self._page_pool()
        job = (page_job(self.site.kind, self.site.config.url, response.url,
                        response_html(response))
               if pool is not None and isinstance(response, TextResponse) else None)
        if pool is not None and job is not None:
            answer = await asyncio.wrap_future(pool.submit_page(job))
            read = PageRead.from_json(answer) if answer is not None else None
            self.crawler.stats.inc_value("mtwatch/pages_read_in_worker" if read is not None
                                         else "mtwatch/pages_read_here")
        for item in self._article(response, read):
            yield item

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        return self._article(response, None)

    @guarded_callback
    def _article(self, response: Response, read: PageRead | None) -> Iterator[ArticleItem]:
        asked = str(response.meta[KEY])
        if not isinstance(response, TextResponse):
            self.ledger.failed(asked, response.url, "not_html",
                               str(response.headers.get(b"Content-Type")), state="fetched")
            return
        self.ledger.fetched(asked)
        if read is None:  # read here: the page object, extraction follows in CleanPipeline
            page = self.site.article_page(response.url, response.text)
            read = PageRead(page.is_soft_404, None if page.is_soft_404 else page.fields(),
                            status="pending")
        if read.soft_404:
            self.ledger.soft_404(asked, response.url)
            return
        fields = read.fields
        if fields is None:
            self.crawler.stats.inc_value("mtwatch/not_article")
            self.ledger.failed(asked, response.url, "not_article", "no headline or ID",
                               state="fetched")
            return
        key = self.site.article_key(ArticleRef(fields.url, fields.article_id, None))
        if key != asked and not fields.article_id:  # another spelling of its canonical URL
            self.ledger.alias(asked, key, response.url)
        elif key != asked:  # a site with IDs: the link led to another article
            self.ledger.failed(asked, response.url, "alias", f"the page is article {key}",
                               state="fetched")
            self.ledger.source_of.setdefault(key, self.ledger.source(asked))
        yield ArticleItem(fields, site=self.site.name, article_key=key, text=read.text,
                          extraction=read.status)

    @guarded_callback
    def article_failed(self, failure: Failure) -> None:
        if isinstance(failure.value, RetryScheduled):
            return
        request = failure.request  # type: ignore[attr-defined]
        self.ledger.failed(str(request.meta[KEY]), request.url,
                           failure_reason(exception_of(failure)), failure.getErrorMessage()[:300],
                           retry_after=getattr(failure.value, "retry_after", None))

    # signals: how the pipelines did with each item

    @guarded_handler
    def _item_scraped(self, item: Any, **_: Any) -> None:
        self.ledger.item_done(item, ok=True)

    @guarded_handler
    def _item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        self.ledger.item_done(item, ok=False)
        if str(exception).startswith("store failed"):
            return  # the store is what failed: the article stays queued as it was
        state = "extracted" if item.extraction != "pending" else "fetched"
        self.ledger.failed(item.key, item.fields.url,
                           "pipeline", str(exception)[:300], state=state)

    @guarded_handler
    def _item_error(self, item: Any, failure: Failure, **_: Any) -> None:
        self._item_dropped(item, exception_of(failure))


