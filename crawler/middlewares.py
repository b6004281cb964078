"""Downloader middlewares Scrapy lacks: origin lock, conditional GET, Retry-After, strict robots;
and Scrapy's meta refresh without its cost on the pages that declare none."""

from __future__ import annotations

import logging
import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as _MetaRefresh
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spiders import Spider
from scrapy.utils.asyncio import call_later

from crawler.context import config_from_settings
from crawler.sites.moscowtimes.urls import SiteUrls

logger = logging.getLogger(__name__)

#: request meta: (ETag, Last-Modified) of the copy the store has
VALIDATORS = "mtwatch_validators"
_TRIES = "mtwatch_retry_after_tries"


class RetryScheduled(IgnoreRequest):
    """The request comes back later by itself (after its Retry-After): not a failure."""


class RetryAfterTooLong(IgnoreRequest):
    """The server asked for a longer pause than one run waits: a later run tries again."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OriginLockMiddleware:
    """Only the running site's own origins (scheme, host and port), over HTTP(S), for every
    request and every redirect hop: no other domain (nor the site's other edition), no internal
    address, no ``file:``/``data:``/``ftp:``. The site is the running spider's."""

    def __init__(self, site: SiteUrls | None, stats: Any, crawler: Any = None) -> None:
        self.site = site
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> OriginLockMiddleware:
        return cls(None, crawler.stats, crawler)

    def _urls(self) -> SiteUrls:
        if self.site is not None:
            return self.site
        urls = getattr(getattr(self.crawler, "spider", None), "urls", None)
        if not isinstance(urls, SiteUrls):  # never crawl without knowing the site
            raise IgnoreRequest("offsite: the running spider names no site")
        return urls

    def process_request(self, request: Request) -> None:
        site = self._urls()
        if not site.is_allowed(request.url):
            self.stats.inc_value("mtwatch/offsite_blocked")
            logger.warning("blocked a request off the site (offsite): %s", request.url)
            raise IgnoreRequest(f"offsite: {request.url} is not on {site.base_url}")


class ConditionalGetMiddleware:
    """Revalidate feeds and sitemaps: If-None-Match / If-Modified-Since from the store's copy;
    a 304 reaches the spider (as "unchanged") instead of being dropped as an HTTP error."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalGetMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        etag, last_modified = request.meta.get(VALIDATORS) or (None, None)
        if not (etag or last_modified):
            return
        if etag:
            request.headers.setdefault(b"If-None-Match", etag)
        if last_modified:
            request.headers.setdefault(b"If-Modified-Since", last_modified)
        allowed = request.meta.setdefault("handle_httpstatus_list", [])
        if 304 not in allowed:
            allowed.append(304)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(VALIDATORS):
            outcome = "not_modified" if response.status == 304 else str(response.status)
            self.stats.inc_value(f"mtwatch/conditional/{outcome}")
        return response


#: the longest Retry-After honoured (a later run asks again then): any bigger number,
#: 400 digits included, means "a day", the longest an article ever waits between attempts
MAX_RETRY_AFTER = 24 * 3600.0


def retry_after_seconds(value: str | bytes | None, now: float) -> float | None:
    """``Retry-After`` as seconds from now, at most MAX_RETRY_AFTER: delta-seconds or an HTTP
    date; None if absent or not a number."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isascii() and text.isdigit():  # ("²".isdigit() too, but no number)
        return MAX_RETRY_AFTER if len(text) > 9 else min(float(text), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(when.timestamp() - now, 0.0), MAX_RETRY_AFTER)


class RetryAfterMiddleware:
    """429/503 with ``Retry-After``: that URL is not asked again before it. Short waits are
    rescheduled inside the run (without holding a download slot); longer ones fail the request
    with its Retry-After, so the store keeps it from later runs until then. Every 429/503 also
    doubles the host's delay when AutoThrottle is on (AutoThrottle lowers it again on 200s)."""

    def __init__(self, crawler: Any, max_wait: float, max_tries: int, backoff: bool) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.max_tries = max_tries
        self.backoff = backoff
        self.max_delay = float(crawler.settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0))
        self.waiting = 0
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        crawl = config_from_settings(crawler.settings).crawl
        tries = crawler.settings.getint("RETRY_TIMES", 2) + 1
        backoff = crawler.settings.getbool("AUTOTHROTTLE_ENABLED")
        return cls(crawler, crawl.retry_after_max, tries, backoff)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (429, 503) or request.meta.get("dont_obey_robotstxt"):
            return response  # robots.txt has its own policy (crawler.robots)
        self._slow_down(request)
        delay = retry_after_seconds(response.headers.get(b"Retry-After"), time.time())
        if delay is None:
            return response  # RetryMiddleware retries it at once, as usual
        self.crawler.stats.inc_value("mtwatch/retry_after")
        tries = int(request.meta.get(_TRIES, 0))
        if delay > self.max_wait or tries + 1 >= self.max_tries:
            raise RetryAfterTooLong(
                f"HTTP {response.status} Retry-After {delay:.0f} s: left to a later run", delay)
        retry = request.replace(dont_filter=True)
        retry.meta[_TRIES] = tries + 1
        self.waiting += 1
        call_later(delay, self._resume, retry)
        logger.info("HTTP %s with Retry-After %.0f s: %s asked again then", response.status,
                    delay, request.url)
        raise RetryScheduled(f"retry after {delay:.0f} s")

    def _resume(self, request: Request) -> None:
        self.waiting -= 1
        if self.crawler.engine is not None and self.crawler.engine.spider is not None:
            self.crawler.engine.crawl(request)

    def spider_idle(self) -> None:
        if self.waiting:
            raise DontCloseSpider("requests are waiting for their Retry-After")

    def _slow_down(self, request: Request) -> None:
        downloader = getattr(self.crawler.engine, "downloader", None)
        slot = downloader.slots.get(request.meta.get("download_slot")) if downloader else None
        if self.backoff and slot is not None:
            slot.delay = min(max(slot.delay * 2, 1.0), self.max_delay)


__all__ = [
    "ConditionalGetMiddleware",
    "OriginLockMiddleware",
    "RetryAfterMiddleware",
    "RetryAfterTooLong",
    "RetryScheduled",
    "retry_after_seconds",
]


#: the most bytes 4,096 characters take in UTF-8, after a byte-order mark
_REFRESH_BYTES = 4 * 4096 + 3


class MetaRefreshMiddleware(_MetaRefresh):
    """Scrapy's meta-refresh redirects, a page whose first 4,096 characters never say
    "refresh" let through at once: Scrapy reads a refresh only from a ``<meta>`` tag in those
    characters whose attributes say it, and first resolves the page's base URL, for every
    HTML page (a quarter of a millisecond of the crawl's process per article page)."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        """(``spider``: the signature of Scrapy's own, whose deprecated argument it is; never
        passed, since it is optional.)"""
        if isinstance(response, HtmlResponse) and not _may_refresh(response):
            return response
        return super().process_response(request, response)


def _may_refresh(response: HtmlResponse) -> bool:
    """Whether the page's first 4,096 characters may say "refresh" (in any case). A UTF-8
    page is asked in its bytes, never decoded (65 KB decoded for the word, a twentieth of a
    millisecond): those characters lie in its first ``_REFRESH_BYTES`` bytes, an ASCII letter
    is the same byte in UTF-8 and inside no other character's bytes, and no other character
    is lowercased to one of the word's letters. A longer window only lets a page through to
    Scrapy's own reading. Other encodings are asked through the page's text."""
    if response.encoding == "utf-8":
        return b"refresh" in response.body[:_REFRESH_BYTES].lower()
    return "refresh" in response.text[:4096].lower()
