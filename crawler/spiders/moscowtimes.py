"""The ``moscowtimes`` spider: discovery from feeds and sitemaps; pages parsed by page objects."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.config import Config
from crawler.items import ArticleItem
from crawler.pages.article import ArticlePage
from crawler.pages.discovery import (
    MonthlySitemap,
    feed_entries,
    monthly_sitemaps,
    sitemap_articles,
)
from crawler.runtime import config_from_settings, since_from_settings
from crawler.urls import ArticleRef, SiteUrls
from pipelines.storage import Store

logger = logging.getLogger(__name__)

#: feeds and sitemaps are small; a bigger one is hostile or broken
DISCOVERY_MAXSIZE = 5 * 1024 * 1024


class MoscowTimesSpider(scrapy.Spider):
    """Find new Moscow Times articles and yield one ``ArticleItem`` per article page."""

    name = "moscowtimes"

    def __init__(self, config: Config, since: date | None, known: set[int], **kwargs: Any):
        super().__init__(**kwargs)
        self.config = config
        self.site = SiteUrls(config.site.url)
        self.allowed_domains = sorted({self.site.host, self.site.host.removeprefix("www.")})
        self.since = since
        self.known = known
        self.requested: set[int] = set()
        #: why discovery documents failed, for the run verdict
        self.source_errors: list[str] = []

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Apply the config's politeness values unless given on the command line."""
        super().update_settings(settings)
        crawl = config_from_settings(settings).crawl
        for name, value in {
            "USER_AGENT": crawl.user_agent,
            "DOWNLOAD_DELAY": crawl.download_delay,
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
            "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
            "DOWNLOAD_TIMEOUT": crawl.download_timeout,
        }.items():
            settings.set(name, value, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> MoscowTimesSpider:
        config = config_from_settings(crawler.settings)
        known: set[int] = set()
        if not (config.crawl.refresh or crawler.settings.getbool("MTWATCH_REFRESH")):
            store = Store(config.store_url)
            try:
                known = store.article_ids()
            finally:
                store.close()
        since = since_from_settings(crawler.settings)
        spider = cls(config, since, known, *args, **kwargs)
        spider._set_crawler(crawler)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for feed in self.config.site.feeds:
            yield self._discovery(self.site.absolute(feed), self.parse_feed, "feed")
        index = self.site.absolute(self.config.site.sitemap_index)
        yield self._discovery(index, self.parse_sitemap_index, "sitemap_index")

    def _discovery(self, url: str, callback: Any, kind: str) -> scrapy.Request:
        # dont_filter: discovery documents are fetched on every run (scrapy#4479)
        return scrapy.Request(
            url, callback=callback, errback=self.discovery_failed, dont_filter=True,
            meta={"mtwatch_source": kind, "download_maxsize": DISCOVERY_MAXSIZE},
        )

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        entries = feed_entries(response.body, self.site)
        self._source_ok(response, "feed", len(entries))
        for entry in entries:
            yield from self._article(entry.ref, "feed")

    def parse_sitemap_index(self, response: Response) -> Iterator[scrapy.Request]:
        months = monthly_sitemaps(response.body, self.site)
        self._source_ok(response, "sitemap_index", len(months))
        for month in self._months_to_read(months):
            yield self._discovery(month.url, self.parse_sitemap, "sitemap")

    def _months_to_read(self, months: list[MonthlySitemap]) -> list[MonthlySitemap]:
        """The newest N monthly sitemaps, or every month since ``--since``."""
        if self.since is None:
            return months[: self.config.site.sitemap_months]
        return [m for m in months if (m.year, m.month) >= (self.since.year, self.since.month)]

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        refs = sitemap_articles(response.body, self.site)
        self._source_ok(response, "sitemap", len(refs))
        for ref in refs:
            yield from self._article(ref, "sitemap")

    def _source_ok(self, response: Response, kind: str, links: int) -> None:
        stats = self.crawler.stats
        stats.inc_value(f"mtwatch/sources/{kind}/ok")
        stats.inc_value(f"mtwatch/sources/{kind}/links", links)
        logger.info("%s %s: %d links", kind, response.url, links)

    def discovery_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("mtwatch_source", "source")
        reason = f"{kind} {request.url}: {failure.getErrorMessage() or _name(failure)}"
        self.source_errors.append(reason)
        self.crawler.stats.inc_value(f"mtwatch/sources/{kind}/failed")
        logger.error("discovery failed: %s", reason)

    def _article(self, ref: ArticleRef, source: str) -> Iterator[scrapy.Request]:
        if self.since is not None and ref.day < self.since:
            return
        if ref.article_id in self.requested:
            return
        self.requested.add(ref.article_id)
        stats = self.crawler.stats
        stats.inc_value("mtwatch/discovered")
        stats.inc_value(f"mtwatch/discovered/{source}")
        if ref.article_id in self.known:
            stats.inc_value("mtwatch/skipped_known")
            return
        yield scrapy.Request(
            ref.url, callback=self.parse_article, errback=self.article_failed,
            meta={"mtwatch_article_id": ref.article_id},
        )

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("mtwatch/fetch_failed/not_html")
            return
        stats.inc_value("mtwatch/fetched")
        page = ArticlePage(response.url, response.text, self.site)
        if page.is_soft_404:
            stats.inc_value("mtwatch/soft_404")
            logger.warning("soft 404 (HTTP 200 'Oops!' page): %s", response.url)
            return
        fields = page.fields()
        if fields is None:
            stats.inc_value("mtwatch/not_article")
            logger.warning("not an article page (no headline or ID): %s", response.url)
            return
        yield ArticleItem(
            url=fields.url, article_id=fields.article_id, headline=fields.headline,
            subtitle=fields.subtitle, authors=fields.authors, published=fields.published,
            modified=fields.modified, section=fields.section, tags=fields.tags,
            language=fields.language, html_sha256=fields.html_sha256, html=fields.body_html,
        )

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value(f"mtwatch/fetch_failed/{_name(failure)}")
        self.crawler.stats.inc_value("mtwatch/fetch_failed")
        logger.error("article fetch failed: %s: %s", request.url, failure.getErrorMessage())


def _name(failure: Failure) -> str:
    """The exception class name of a failure, for stats keys and messages."""
    return failure.type.__name__ if failure.type is not None else "error"
