"""Article pages: request, parse with the page object, and record every outcome in the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.health.storeguard import guarded_callback, guarded_handler
from crawler.items import ArticleItem
from crawler.middlewares import RetryScheduled
from crawler.sites import Site
from crawler.sites.moscowtimes.urls import ArticleRef
from crawler.spiders.ledger import Ledger, exception_of, failure_reason
from pipelines.storage.articles import Candidate


class ArticleCallbacks:
    """The spider's article half (a mixin): one ``ArticleItem`` per article page."""

    ledger: Ledger
    site: Site
    crawler: Any

    def _article_request(self, cand: Candidate) -> scrapy.Request:
        return scrapy.Request(cand.url, callback=self.parse_article, errback=self.article_failed,
                              meta={"mtwatch_article_id": cand.article_id})

    @guarded_callback
    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        article_id = int(response.meta["mtwatch_article_id"])
        if not isinstance(response, TextResponse):
            self.ledger.failed(article_id, response.url, "not_html",
                               str(response.headers.get(b"Content-Type")), state="fetched")
            return
        self.ledger.fetched(article_id)
        page = self.site.article_page(response.url, response.text)
        if page.is_soft_404:
            self.ledger.soft_404(article_id, response.url)
            return
        fields = page.fields()
        if fields is None:
            self.crawler.stats.inc_value("mtwatch/not_article")
            self.ledger.failed(article_id, response.url, "not_article", "no headline or ID",
                               state="fetched")
            return
        if fields.article_id != article_id:
            self.ledger.failed(article_id, response.url, "alias",
                               f"the page is article {fields.article_id}", state="fetched")
            self.ledger.source_of.setdefault(fields.article_id, self.ledger.source(article_id))
        key = self.site.article_key(ArticleRef(fields.url, fields.article_id, None))
        yield ArticleItem(fields, site=self.site.name, article_key=key)

    @guarded_callback
    def article_failed(self, failure: Failure) -> None:
        if isinstance(failure.value, RetryScheduled):
            return
        request = failure.request  # type: ignore[attr-defined]
        self.ledger.failed(int(request.meta["mtwatch_article_id"]), request.url,
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
        self.ledger.failed(item.fields.article_id, item.fields.url, "pipeline",
                           str(exception)[:300], state=state)

    @guarded_handler
    def _item_error(self, item: Any, failure: Failure, **_: Any) -> None:
        self._item_dropped(item, exception_of(failure))


