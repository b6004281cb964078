"""robots.txt, strictly: a server error or no answer means "disallow all" (RFC 9309 §2.3.1.4).

Scrapy's own RobotsTxtMiddleware fails open (a download error allows everything, a 5xx body is
parsed as rules). This one, in its place:

* 2xx: the rules; the copy is kept in the store and reused for ``robots_cache_hours`` (≤ 24 h)
  without asking again, then revalidated with a conditional GET;
* 4xx: no rules (allow all), as RFC 9309 says for "unavailable";
* 5xx (after the usual retries): nothing is fetched from that host this run; the run is
  marked degraded and the next run asks again;
* no answer (refused, DNS, TLS, timeout): nothing is fetched; the run fails as unreachable,
  in plain words ("DNS lookup failed for www.themoscowtimes.com (no network?)"): a host that
  does not answer has no rules to obey or to disobey.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred

from crawler.context import CrawlContext, crawl_context
from crawler.health.storeguard import STORE_FAILURES, note_store_error, stop_crawl
from crawler.middlewares import VALIDATORS
from crawler.spiders.ledger import failure_reason, failure_summary
from pipelines.storage import Store
from pipelines.storage.sources import SourceState

logger = logging.getLogger(__name__)

#: RFC 9309 §2.5: parse at least 500 KiB; anything bigger is not a robots.txt
ROBOTS_MAXSIZE = 512 * 1024


class RobotsBlocked(IgnoreRequest):
    """Nothing is fetched from this host this run; ``unreachable``: it did not answer at all."""

    def __init__(self, reason: str, *, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreachable = unreachable


@dataclass(frozen=True)
class RobotsRules:
    """One host's rules: a parser (None: allow all), or a reason to fetch nothing."""

    parser: Any | None = None
    blocked: str = ""
    #: the host did not answer at all (``blocked`` says how, in plain words)
    unreachable: bool = False


def unreachable_reason(url: str, exc: BaseException) -> str:
    """Why a host did not answer, as a person would say it."""
    parts = urlparse_cached(Request(url))
    host = parts.hostname or url
    reason = failure_reason(exc)
    if reason == "dns":
        return f"DNS lookup failed for {host} (no network?)"
    if reason == "refused":
        return f"connection refused by {host}:{parts.port or _DEFAULT_PORTS.get(parts.scheme)}"
    if reason == "timeout":
        return f"no answer from {host} (timed out)"
    if reason == "tls":
        return f"TLS failed for {host} ({failure_summary(exc)})"
    return f"{host} did not answer ({failure_summary(exc)})"


_DEFAULT_PORTS = {"http": 80, "https": 443}


class RobotsPolicyMiddleware:
    """Obey robots.txt with the documented policy above (replaces Scrapy's middleware)."""

    def __init__(self, crawler: Any, store_url: str, cache: timedelta) -> None:
        self.crawler = crawler
        self.store_url = store_url
        self.cache = cache
        settings = crawler.settings
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.parser_class = load_object(settings.get("ROBOTSTXT_PARSER"))
        self._hosts: dict[str, RobotsRules] = {}
        self._waiting: dict[str, list[Deferred[RobotsRules]]] = {}
        self._store: Store | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsPolicyMiddleware:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("ROBOTSTXT_OBEY is off")
        config = crawl_context(crawler).config
        return cls(crawler, config.store_url, timedelta(hours=config.crawl.robots_cache_hours))

    def spider_closed(self) -> None:
        if self._store is not None:
            self._store.close()

    @property
    def store(self) -> Store:
        """The crawl context's store (crawler.context); a bare crawler gets one of its own."""
        context = getattr(self.crawler, "mtwatch", None)
        if isinstance(context, CrawlContext):
            return context.store
        if self._store is None:
            self._store = Store(self.store_url)
        return self._store

    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        rules = await self._rules(request)
        if rules.unreachable:
            raise RobotsBlocked(rules.blocked, unreachable=True)
        if rules.blocked:
            self.crawler.stats.inc_value("robotstxt/forbidden")
            raise RobotsBlocked(f"robots.txt: {rules.blocked}")
        if rules.parser is not None and not rules.parser.allowed(request.url, self.user_agent):
            self.crawler.stats.inc_value("robotstxt/forbidden")
            logger.debug("Forbidden by robots.txt: %s", request.url)
            raise IgnoreRequest("Forbidden by robots.txt")

    async def _rules(self, request: Request) -> RobotsRules:
        parts = urlparse_cached(request)
        origin = f"{parts.scheme}://{parts.netloc}"
        found = self._hosts.get(origin)
        if found is not None:
            return found
        if origin in self._waiting:  # another request is fetching it: wait for the same answer
            waiter: Deferred[RobotsRules] = Deferred()
            self._waiting[origin].append(waiter)
            result: RobotsRules = await maybe_deferred_to_future(waiter)
            return result
        self._waiting[origin] = []
        try:
            rules = await self._load(f"{origin}/robots.txt")
        except Exception as exc:  # a bug, never a hang: every request waiting fails with it
            for waiter in self._waiting.pop(origin):
                waiter.errback(exc)
            raise
        self._hosts[origin] = rules
        for waiter in self._waiting.pop(origin):
            waiter.callback(rules)
        return rules

    async def _load(self, url: str) -> RobotsRules:
        now = datetime.now(UTC)
        known = self.store.discovery_source(url)
        if known is not None and known.body is not None and now - known.checked_at < self.cache:
            self.crawler.stats.inc_value("mtwatch/robots/cached")
            return self._parse(known.body)
        validators = (known.etag, known.last_modified) if known and known.body is not None else None
        request = Request(url, priority=1000, callback=NO_CALLBACK, dont_filter=True, meta={
            "dont_obey_robotstxt": True, "download_maxsize": ROBOTS_MAXSIZE,
            VALIDATORS: validators})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # any failure to get an answer means "unreachable"
            reason = unreachable_reason(url, exc)
            self.crawler.stats.set_value("mtwatch/robots/unreachable", reason)
            logger.error("site unreachable: %s: nothing fetched from this host (%s)", reason,
                         failure_summary(exc))
            return RobotsRules(blocked=reason, unreachable=True)
        return self._answer(url, response, known, now)

    def _answer(self, url: str, response: Response, known: SourceState | None,
                now: datetime) -> RobotsRules:
        status = response.status
        self.crawler.stats.inc_value(f"robotstxt/response_status_count/{status}")
        if status == 304 and known is not None and known.body is not None:
            self._keep(replace(known, checked_at=now))
            return self._parse(known.body)
        if 200 <= status < 300:
            body = response.body.decode("utf-8-sig", errors="replace")
            self._save(url, body, response, now, now)
            return self._parse(body)
        if 400 <= status < 500:
            self._save(url, "", response, now, now)  # "unavailable": no rules
            return RobotsRules()
        reason = f"{url} answered HTTP {status}: disallow all this run (RFC 9309)"
        self.crawler.stats.set_value("mtwatch/robots/unavailable", status)
        logger.error("robots.txt: %s", reason)
        return RobotsRules(blocked=reason)

    def _parse(self, body: str) -> RobotsRules:
        if not body.strip():
            return RobotsRules()
        return RobotsRules(build_from_crawler(self.parser_class, self.crawler,
                                              body.encode("utf-8")))

    def _save(self, url: str, body: str, response: Response, now: datetime,
              changed: datetime) -> None:
        header = response.headers.get
        self._keep(SourceState(
            url=url, kind="robots", checked_at=now, changed_at=changed, body=body,
            etag=_text(header(b"ETag")), last_modified=_text(header(b"Last-Modified"))))

    def _keep(self, state: SourceState) -> None:
        try:
            self.store.save_source(state)
        except STORE_FAILURES as exc:  # the rules still hold for this run; the crawl stops
            note_store_error(self.crawler.stats, "robots.txt copy", exc)
            stop_crawl(self.crawler)


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
