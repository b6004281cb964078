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
from crawler.sites.common import ArticleRef
from crawler.spiders.ledger import Ledger, exception_of, failure_reason
from pipelines.storage.articles import Candidate

#: request meta: the article's key within its site (``Candidate.article_key``)
KEY = "mtwatch_article_key"


class ArticleCallbacks:
    """The spider's article half (a mixin): one ``ArticleItem`` per article page."""

    ledger: Ledger
    site: Site
    crawler: Any

    def _article_request(self, cand: Candidate) -> scrapy.Request:
        return scrapy.Request(cand.url, callback=self.parse_article, errback=self.article_failed,
                              meta={"mtwatch_article_id": cand.article_id,
                                    KEY: cand.article_key})

    @guarded_callback
    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        asked = str(response.meta[KEY])
        if not isinstance(response, TextResponse):
            self.ledger.failed(asked, response.url, "not_html",
                               str(response.headers.get(b"Content-Type")), state="fetched")
            return
        self.ledger.fetched(asked)
        page = self.site.article_page(response.url, response.text)
        if page.is_soft_404:
            self.ledger.soft_404(asked, response.url)
            return
        fields = page.fields()
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
        yield ArticleItem(fields, site=self.site.name, article_key=key)

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


