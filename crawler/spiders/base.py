"""The generic spider: feeds, sitemaps, news sitemaps and listings of one site, incremental by
store. What is specific to a site comes from its ``Site`` (crawler.sites)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.context import (
    LOADED_CONFIG,
    CrawlContext,
    config_from_settings,
    crawl_context,
    since_from_settings,
)
from crawler.health.storeguard import guarded_callback
from crawler.middlewares import VALIDATORS, RetryScheduled
from crawler.pages.discovery import (
    FeedEntry,
    feed_entries,
    monthly_sitemaps,
    news_entries,
    news_sitemaps,
    sitemap_articles,
)
from crawler.politeness import site_politeness
from crawler.sites import Site
from crawler.sites.common import ArticleRef
from crawler.sites.generic.discovery import atom_entries, sitemap_content
from crawler.sites.moscowtimes.listing import MoreButton
from crawler.spiders.articles import ArticleCallbacks
from crawler.spiders.canary import CanaryCallbacks
from crawler.spiders.documents import DISCOVERY_MAXSIZE, DOC, KIND, Documents
from crawler.spiders.horizons import Horizons
from crawler.spiders.ledger import Ledger, exception_of, failure_reason
from crawler.spiders.moves import first_asked
from crawler.spiders.plan import DiscoveryPlan
from crawler.spiders.schedules import SourceSchedules, failure_retry_after
from pipelines.storage.articles import Candidate, FrontierPolicy
from pipelines.storage.backfills import month_key

logger = logging.getLogger(__name__)

#: the sitemap index is kept in the store (to reuse it on a 304) up to this size
_KEEP_BODY = 1024 * 1024
#: documents whose copy is kept, so that a 304 still tells what they list
_INDEXES = ("sitemap_index", "newsmap_index")
#: request meta: the month ("YYYY-MM") of a monthly sitemap
MONTH = "mtwatch_month"
#: how deep a generic site's sitemap indexes are followed (an index of indexes of sitemaps)
_SITEMAP_DEPTH = 2


class SiteSpider(ArticleCallbacks, CanaryCallbacks, scrapy.Spider):
    """Find a site's new or changed articles; yield one ``ArticleItem`` per article page.

    ``scrapy crawl <spider> -a site=NAME`` picks the ``[sites.NAME]`` it crawls (default: the
    run's main site); ``mtwatch run`` starts one such spider per site in one process.
    """

    name = "site"
    ledger: Ledger
    schedules: SourceSchedules

    def __init__(self, context: CrawlContext, site: Site, since: date | None, refresh: bool,
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.context = context
        self.config = config = context.config
        self.site = site
        self.urls = site.urls
        self.site_config = site.config
        self.allowed_domains = self.urls.allowed_domains
        self.policy = FrontierPolicy(config.crawl.max_article_failures, refresh)
        self.store = context.store
        self.docs = Documents(self.store, None, site.name)
        self.plan = DiscoveryPlan.from_sources(since, self.site_config.sitemap_months,
                                               self.docs.known)
        self.horizons = Horizons(self.store, site.name)
        #: ``--backfill-days N`` (the command line turned it into ``since``)
        self.backfill_days: str | None = None
        self._feeds_left = 0
        self.canary_results = []

    @property
    def source_errors(self) -> list[str]:
        """Why discovery documents failed (read by the run verdict)."""
        return self.docs.errors

    @property
    def empty_sources(self) -> list[str]:
        """Feeds and sitemaps that answered 200 and listed nothing (the coverage monitors)."""
        return self.docs.empty

    @property
    def given_up(self) -> list[tuple[str, str, str]]:
        """Articles given up in this run after repeated failures (key, URL, last error):
        possible misses."""
        return self.ledger.given_up

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Load the config once for the whole crawl (every component reads it from here) and
        apply its politeness values, per site host, unless given on the command line."""
        super().update_settings(settings)
        config = config_from_settings(settings)
        settings.set(LOADED_CONFIG, config, priority="spider")
        crawl = config.crawl
        for name, value in {
            "USER_AGENT": crawl.user_agent,
            "DOWNLOAD_DELAY": crawl.download_delay,
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
            "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
            "DOWNLOAD_TIMEOUT": crawl.download_timeout,
            "DOWNLOAD_SLOTS": site_politeness(config),
        }.items():
            settings.set(name, value, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        context = crawl_context(crawler)
        config = context.config
        site = context.site(kwargs.pop("site", None) or cls.default_site(context))
        refresh = config.crawl.refresh or crawler.settings.getbool("MTWATCH_REFRESH")
        spider = cls(context, site, since_from_settings(crawler.settings), refresh,
                     *args, **kwargs)
        spider._set_crawler(crawler)
        spider.ledger = Ledger(spider.store, crawler, spider.policy, spider.site.name)
        spider.docs.crawler = crawler
        polling = config.polling_for(site.name)
        spider.docs.schedules = spider.schedules = SourceSchedules(
            spider.store, site.name, polling.policy(), adaptive=polling.adaptive)
        spider.horizons.crawler = crawler
        spider.backfill_days = crawler.settings.get("MTWATCH_BACKFILL_DAYS")
        for handler, signal in ((spider._item_scraped, signals.item_scraped),
                                (spider._item_dropped, signals.item_dropped),
                                (spider._item_error, signals.item_error),
                                (spider._closed, signals.spider_closed)):
            crawler.signals.connect(handler, signal=signal)
        return spider

    def candidate(self, article_id: int, url: str, published: datetime | None = None,
                  key: str = "") -> Candidate:
        """An article of this site for the store's frontier: the one place a Candidate is
        built (``key``: the article's key within the site; default its numeric ID)."""
        return Candidate(article_id, url, published, site=self.site.name,
                         key=key or str(article_id))

    def _candidate(self, ref: ArticleRef, published: datetime | None = None) -> Candidate:
        return self.candidate(ref.article_id, ref.url, published, self.site.article_key(ref))

    def _candidates(self, refs: list[ArticleRef]) -> list[Candidate]:
        return [self._candidate(r) for r in refs if self.plan.keeps(r.day)]

    def _entry_candidates(self, entries: list[FeedEntry]) -> list[Candidate]:
        return [self._candidate(e.ref, e.published) for e in entries if self.plan.keeps(e.ref.day)]

    @classmethod
    def default_site(cls, context: CrawlContext) -> str | None:
        """The site crawled without ``-a site=NAME``: the run's main one."""
        return None

    # ---- discovery ----------------------------------------------------------------------

    @guarded_callback
    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.horizons.load()  # unfinished backfills: this run continues them
        if self.plan.since is not None:  # the horizon is stored before any sitemap is read
            self.horizons.begin(self.plan.since, self.backfill_days)
        self.plan.follow(self.horizons.open)
        pending = self.store.pending_articles(now=datetime.now(UTC),
                                              max_failures=self.policy.max_failures,
                                              site=self.site.name)
        retry = set(self.ledger.pending(((p.key or str(p.article_id), p.url) for p in pending),
                                        "retry"))
        for item in pending:
            if (item.key or str(item.article_id)) in retry:
                yield self._article_request(self.candidate(item.article_id, item.url,
                                                           key=item.key))
        for request in self._canary_requests():
            yield request
        feeds = self._due([self.urls.absolute(feed) for feed in self.site_config.feeds])
        self._feeds_left = len(feeds)
        for url in feeds:
            yield self._document(url, "feed", self.parse_feed)
        if not feeds:
            for request in self._after_feeds():
                yield request

    def _document(self, url: str, kind: str, callback: Any, **meta: Any) -> scrapy.Request:
        # --refresh reads everything; an index's 304 is only useful with the copy kept of it;
        # a backfill month is read in full (a 304 cannot prove all it lists is stored)
        fresh = self.policy.refresh or meta.get(MONTH) in self.plan.pending
        validators = None if fresh else self.docs.validators(url, need_copy=kind in _INDEXES)
        # dont_filter: discovery documents are fetched on every run (scrapy#4479)
        return scrapy.Request(
            self.docs.address(url), callback=callback, errback=self.document_failed,
            dont_filter=True, priority=10,
            meta={KIND: kind, DOC: url, VALIDATORS: validators,
                  "download_maxsize": DISCOVERY_MAXSIZE, **meta},
        )

    def _due(self, urls: list[str]) -> list[str]:
        """The scheduled sources among ``urls`` this run polls: the due ones, or all of them
        on ``--refresh`` and while backfilling; the others are counted, not polled."""
        everything = (self.policy.refresh or self.plan.since is not None
                      or bool(self.plan.pending) or self.plan.backfilling)
        due = self.schedules.due(urls, everything=everything)
        stats = self.crawler.stats
        stats.inc_value("mtwatch/sources_polled", len(due))
        stats.inc_value("mtwatch/sources_not_due", len(urls) - len(due))
        for url in urls:
            if url not in due:
                logger.info("not due yet: %s", url)
        return due

    def _after_feeds(self) -> Iterator[scrapy.Request]:
        """Phase two, once every feed is read: sitemaps, and the backfill sources if needed."""
        if self.site.kind == "generic":  # the sitemaps it names, whatever their kind
            for url in self._due([self.urls.absolute(u) for u in self.site_config.sitemaps]):
                yield self._document(url, "sitemap", self.parse_any_sitemap, mtwatch_depth=0)
            return
        for index in self._due([self.urls.absolute(self.site_config.sitemap_index)]):
            yield self._document(index, "sitemap_index", self.parse_sitemap_index)
        if not self.plan.backfilling or self.plan.backfill_from is None:
            return
        start = self.plan.backfill_from.isoformat(timespec="minutes")
        self.crawler.stats.set_value("mtwatch/backfill_from", start)
        logger.warning("feed window overflowed, backfilling since %s: %s", start,
                       "; ".join(self.plan.reasons))
        site = self.site_config
        if site.news_sitemap:
            yield self._document(self.urls.absolute(site.news_sitemap), "newsmap_index",
                                 self.parse_newsmap_index)
        if site.listing and site.listing_depth:
            yield self._document(self.urls.absolute(site.listing), "listing", self.parse_listing,
                                 mtwatch_depth=0)

    def _feed_done(self) -> Iterator[scrapy.Request]:
        self._feeds_left -= 1
        if self._feeds_left == 0:
            yield from self._after_feeds()

    @guarded_callback
    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        yield from self._read_feed(response)
        yield from self._feed_done()

    def _read_feed(self, response: Response) -> Iterator[scrapy.Request]:
        url = response.meta[DOC]
        body = self.docs.body(response)
        if body is None:
            return
        entries = feed_entries(body, self.urls) or atom_entries(body, self.urls)
        if not entries:
            self.docs.error("feed", url, "no article items")
            self.docs.listed_nothing(response)
            return
        before = self.plan.backfill_from
        mark = self.plan.read_feed(url, entries)
        if self.plan.backfill_from is not None and self.plan.backfill_from != before:
            # recorded before the feed's new mark is saved: a kill in between forgets nothing
            self.horizons.overflowed(self.plan.backfill_from,
                                     "feed window overflowed: " + "; ".join(self.plan.reasons))
            self.plan.follow(self.horizons.open)
        found = self._entry_candidates(entries)
        fetch = self.ledger.discovered(found, "feed")
        first_seen = self.ledger.first_seen
        self.docs.save(response, newest_item=mark)
        self.docs.ok(response, len(entries))
        self.docs.brought(response, first_seen, len({c.article_key for c in found}))
        yield from map(self._article_request, fetch)

    @guarded_callback
    def parse_sitemap_index(self, response: Response) -> Iterator[scrapy.Request]:
        url = response.meta[DOC]
        body = self.docs.body(response)
        months = monthly_sitemaps(body, self.urls) if body is not None else []
        if not months:
            if body is not None:
                self.docs.error("sitemap_index", url, "no monthly sitemaps listed")
            yield from self._guess_months(url, self.plan.guessed_months(datetime.now(UTC).date()))
            return
        if response.status == 200:
            text = body.decode("utf-8", "replace") if body is not None else None
            self.docs.save(response, body=text if text and len(text) <= _KEEP_BODY else None)
            self.docs.ok(response, len(months))
            self.docs.changed(response, text or "")
        else:
            self.docs.ok(response, len(months))
        self.horizons.listed([month_key(m.year, m.month) for m in months])
        self.plan.follow(self.horizons.open)
        for month in self.plan.months_to_read(months, self.docs.known):
            yield self._document(month.url, "sitemap", self.parse_sitemap,
                                 mtwatch_lastmod=month.lastmod,
                                 **{MONTH: month_key(month.year, month.month)})
        yield from self._guess_months(url, self.plan.unlisted(months))

    def _guess_months(self, index_url: str, months: list[tuple[int, int]]
                      ) -> Iterator[scrapy.Request]:
        """Monthly files the index did not give us, tried by their URL pattern."""
        folder = index_url.rsplit("/", 1)[0]
        for year, month in months:
            yield self._document(f"{folder}/{year}-{month}.xml", "sitemap", self.parse_sitemap,
                                 mtwatch_guess=True, **{MONTH: month_key(year, month)})

    @guarded_callback
    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = self.docs.body(response)
        if body is None:
            return
        refs = sitemap_articles(body, self.urls)
        # one transaction (one sync to disk) for what a monthly sitemap gives, not four: its
        # articles, its copy, its poll and the horizon's progress, all stored or none
        with self.store.together("sitemap"):
            fetch = self.ledger.discovered(self._candidates(refs), "sitemap")
            self.docs.save(response, lastmod=response.meta.get("mtwatch_lastmod") or None)
            self.docs.ok(response, len(refs))
            if month := response.meta.get(MONTH):
                self.horizons.walked(month)  # everything it lists is in the store now
        yield from map(self._article_request, fetch)

    @guarded_callback
    def parse_newsmap_index(self, response: Response) -> Iterator[scrapy.Request]:
        body = self.docs.body(response)
        if body is None:
            return
        sections = news_sitemaps(body, self.urls)
        text = body.decode("utf-8", "replace")
        self.docs.save(response, body=text if len(text) <= _KEEP_BODY else None)
        self.docs.ok(response, len(sections))
        for url in sections:
            yield self._document(url, "newsmap", self.parse_newsmap)

    @guarded_callback
    def parse_newsmap(self, response: Response) -> Iterator[scrapy.Request]:
        body = self.docs.body(response)
        if body is None:
            return
        entries = news_entries(body, self.urls)
        found = [self._candidate(e.ref, e.published) for e in entries]
        fetch = self.ledger.discovered(found, "newsmap")
        self.docs.save(response)
        self.docs.ok(response, len(entries))
        yield from map(self._article_request, fetch)

    @guarded_callback
    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self.docs.error("listing", response.url, "not HTML")
            return
        page = self.site.listing_page(response.text)
        depth = int(response.meta.get("mtwatch_depth", 0))
        more: MoreButton = response.meta.get("mtwatch_more") or page.more(response.url)
        refs = page.articles()
        fetch = self.ledger.discovered(self._candidates(refs), "listing")
        self.docs.ok(response, len(refs))
        yield from map(self._article_request, fetch)
        days = [r.day for r in refs if r.day is not None]
        if days and depth < self.site_config.listing_depth and self.plan.listing_continues(
                min(days)):
            offset = more.start + depth * more.step
            yield self._document(more.url(offset), "listing", self.parse_listing,
                                 mtwatch_depth=depth + 1, mtwatch_more=more)

    @guarded_callback
    def parse_any_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """A generic site's sitemap: an index (its sitemaps are read too, to a bounded depth),
        a plain sitemap or a news sitemap (its articles, with their time)."""
        body = self.docs.body(response)
        if body is None:
            return
        found = sitemap_content(body, self.urls)
        depth = int(response.meta.get("mtwatch_depth", 0))
        if found.archives:
            self.crawler.stats.inc_value("mtwatch/sources/sitemap/archives_skipped",
                                         found.archives)
        if not found.sitemaps and not found.articles and not (depth and found.pages):
            # (an index's sitemap of other pages, such as videos, is no error: read again
            # conditionally, like every other)
            self.docs.error("sitemap", response.meta[DOC], "no articles or sitemaps listed")
            self.docs.listed_nothing(response)
            return
        articles = self._entry_candidates(found.articles)
        fetch = self.ledger.discovered(articles, "sitemap")
        # an index's copy is kept: after a 304 its sitemaps are still asked (each one
        # conditionally), since an index need not change when one of them does
        text = body.decode("utf-8", "replace") if found.sitemaps else ""
        first_seen = self.ledger.first_seen
        self.docs.save(response, body=text if 0 < len(text) <= _KEEP_BODY else None)
        self.docs.ok(response, len(found.articles) + len(found.sitemaps), must_list=not depth)
        if articles:
            self.docs.brought(response, first_seen, len({c.article_key for c in articles}))
        else:
            self.docs.changed(response, text)
        yield from map(self._article_request, fetch)
        if depth < _SITEMAP_DEPTH:
            for url in found.sitemaps:
                yield self._document(url, "sitemap", self.parse_any_sitemap,
                                     mtwatch_depth=depth + 1)

    # ---- failures ---------------------------------------------------------------------

    @guarded_callback
    def document_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        if isinstance(failure.value, RetryScheduled):
            return
        meta = failure.request.meta  # type: ignore[attr-defined]
        kind, url = meta.get(KIND, "source"), meta.get(DOC, "?")
        reason = failure_reason(exception_of(failure))
        if first_asked(failure.request.url, meta) != url:  # type: ignore[attr-defined]
            self.docs.forget_move(url)
        if meta.get("mtwatch_guess") and reason == "http_404":
            logger.debug("no monthly sitemap at %s", url)
            return
        if getattr(failure.value, "unreachable", False):  # the host did not answer: say so once
            self.docs.unreachable(kind, url, str(failure.value))
        else:
            self.docs.error(kind, url, f"{reason}: {failure.getErrorMessage()[:300]}",
                            failure_retry_after(failure.value, self.schedules.clock()))
        if kind == "feed":
            yield from self._feed_done()
        elif kind == "sitemap_index":
            yield from self._guess_months(url, self.plan.guessed_months(datetime.now(UTC).date()))

    def _closed(self) -> None:
        """The store belongs to the crawl context, which closes it after the last crawler."""

