"""The run's bookkeeping: the funnel per discovery source, every article outcome in the store."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pipelines.storage import Store
from pipelines.storage.articles import FETCH_DECISIONS, Candidate, FrontierPolicy, numeric_id

logger = logging.getLogger(__name__)

#: failure text → reason, checked in order (Scrapy reports several causes only in messages)
_MESSAGE_REASONS = (
    ("robots.txt", "robots"),
    ("offsite", "offsite"),
    ("max redirections", "redirects"),
    ("max size", "maxsize"),
    ("DOWNLOAD_MAXSIZE", "maxsize"),
    ("certificate", "tls"),
    ("VerificationError", "tls"),  # service_identity: the certificate is for another name
    ("SSL", "tls"),
    ("TLS", "tls"),
)
_TYPE_REASONS = {
    "TimeoutError": "timeout", "DownloadTimeoutError": "timeout", "TCPTimedOutError": "timeout",
    "DNSLookupError": "dns", "CannotResolveHostError": "dns",
    "ConnectionRefusedError": "refused", "DownloadConnectionRefusedError": "refused",
    "ResponseDataLossError": "data_loss", "PotentialDataLoss": "data_loss",
    "ResponseFailed": "data_loss", "ConnectionLost": "connection_lost",
    "ConnectionDone": "connection_lost", "ResponseNeverReceived": "connection_lost",
    "RetryAfterTooLong": "retry_after",
}


def failure_reason(exc: BaseException) -> str:
    """A short, stable reason for a failed request: ``http_503``, ``timeout``, ``maxsize``, …"""
    if type(exc).__name__ == "RobotsBlocked":  # crawler.robots: a policy, whatever it says
        return "robots"
    response = getattr(exc, "response", None)
    status = getattr(response, "status", None)
    if type(exc).__name__ == "HttpError" and isinstance(status, int):
        return f"http_{status}"
    text = f"{exc} {getattr(exc, 'reasons', '')}"
    for needle, reason in _MESSAGE_REASONS:
        if needle in text:
            return reason
    return _TYPE_REASONS.get(type(exc).__name__, type(exc).__name__.lower())


_TWISTED_FAILURE = re.compile(r"\[?<twisted\.python\.failure\.Failure ([\w.]+): (.{0,300}?)>\]?")


def failure_summary(exc: BaseException) -> str:
    """``reason: message`` for a log line or a run's reason; Twisted's wrappers unwrapped."""
    message = _TWISTED_FAILURE.sub(r"\1: \2", str(exc)) or type(exc).__name__
    if len(message) > 300:
        message = message[:299] + "…"
    return f"{failure_reason(exc)}: {message}"


def exception_of(failure: Any) -> BaseException:
    """The exception inside a Twisted failure (always an exception, for failure_reason)."""
    value = failure.value
    return value if isinstance(value, BaseException) else RuntimeError(str(value))


def _now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """Counts the funnel (discovered → new → fetched → extracted → evaluated → matched) per source
    and writes each article's state to the store, so a crash or a failure loses nothing.

    Articles are named by their key within the site (a numeric ID as text, or a canonical URL:
    ``Candidate.article_key``)."""

    def __init__(self, store: Store, crawler: Any, policy: FrontierPolicy, site: str) -> None:
        self.store = store
        #: the site whose articles this ledger writes
        self.site = site
        self.crawler = crawler
        self.policy = policy
        #: which source brought each requested article (first one wins)
        self.source_of: dict[str, str] = {}
        self._seen: set[str] = set()
        self._skipped: set[str] = set()
        #: (article key, URL, last error) given up in this run: possible misses, each reported
        self.given_up: list[tuple[str, str, str]] = []
        #: articles the last ``discovered`` call saw for the first time
        self.first_seen = 0

    @property
    def stats(self) -> Any:
        # the crawler's stats exist only once the crawl starts
        return self.crawler.stats

    def _inc(self, key: str, source: str | None = None, count: int = 1) -> None:
        self.stats.inc_value(f"mtwatch/{key}", count)
        if source:
            self.stats.inc_value(f"mtwatch/{key}/{source}", count)

    def requested(self, key: str) -> bool:
        return key in self.source_of

    def pending(self, articles: Iterable[tuple[str, str]], source: str) -> list[str]:
        """Articles the store still owes an evaluation (crash, failed fetch): fetch them again."""
        out = []
        for key, _url in articles:
            if key in self.source_of:
                continue
            self._seen.add(key)
            self.source_of[key] = source
            self._inc("discovered", source)
            self._inc("new", source)
            out.append(key)
        return out

    def discovered(self, found: Sequence[Candidate], source: str) -> list[Candidate]:
        """Record what a discovery document lists; the candidates this run must fetch
        (``first_seen`` then says how many of them were never seen before)."""
        self.first_seen = 0
        if not found:
            return []
        decisions = self.store.discover_keys(found, source=source, now=_now(),
                                             policy=self.policy, site=self.site)
        fetch: list[Candidate] = []
        for key, cand in {c.article_key: c for c in found}.items():
            self.stats.inc_value(f"mtwatch/discovered/{source}")
            if key not in self._seen:
                self._seen.add(key)
                self.stats.inc_value("mtwatch/discovered")
            decision = decisions.get(key, "known")
            if decision == "new":  # never seen before (the discovery monitor counts these)
                self.stats.inc_value("mtwatch/first_seen")
                self.first_seen += 1
            if decision in FETCH_DECISIONS:
                if key not in self.source_of:
                    self.source_of[key] = source
                    self._inc("new", source)
                    fetch.append(cand)
            elif key not in self.source_of and key not in self._skipped:
                self._skipped.add(key)
                self.stats.inc_value(f"mtwatch/skipped/{decision}")
                if decision == "known":
                    self.stats.inc_value("mtwatch/skipped_known")
        return fetch

    def source(self, key: str) -> str:
        return self.source_of.get(key, "other")

    def fetched(self, key: str) -> None:
        self._inc("fetched", self.source(key))

    def soft_404(self, key: str, url: str) -> None:
        hits = self.store.record_soft_404(numeric_id(key), url, now=_now(), site=self.site,
                                          key=key)
        self._inc("soft_404")
        logger.warning("soft 404 (HTTP 200 'Oops!' page, seen %d time(s)): %s", hits, url)

    def alias(self, asked: str, key: str, url: str) -> None:
        """The page asked for as ``asked`` says it is article ``key`` (its canonical URL):
        the row discovered under the other spelling goes, and the article is read as ``key``."""
        self.source_of.setdefault(key, self.source(asked))
        self.store.forget_discovered(asked, site=self.site)
        self.stats.inc_value("mtwatch/alias")
        logger.info("article %s is %s (its canonical URL): %s", asked, key, url)

    def failed(self, key: str, url: str, reason: str, detail: str, *,
               state: str = "discovered", retry_after: float | None = None) -> None:
        """One failed attempt: counted by reason, and retried by a later run (bounded)."""
        source = self.source(key)
        if reason == "robots":
            # a policy, not a failure: the article stays queued, uncounted, for a later run
            self.stats.inc_value("mtwatch/skipped/robots")
            logger.info("article %s not fetched (robots.txt): %s", key, url)
            return
        self._inc("fetch_failed")
        self.stats.inc_value(f"mtwatch/fetch_failed/{reason}")
        self.stats.inc_value(f"mtwatch/failed/{source}")
        logger.error("article %s failed (fetch_failed:%s): %s: %s", key, reason, url, detail)
        delay = timedelta(seconds=retry_after) if retry_after else None
        failures = self.store.article_failed(numeric_id(key), state=state,
                                             error=f"{reason}: {detail}", now=_now(),
                                             retry_after=delay, site=self.site, key=key)
        if failures >= self.policy.max_failures:
            self.given_up.append((key, url, f"{reason}: {detail}"))
            self.stats.inc_value("mtwatch/gave_up")
            logger.error("article %s given up after %d failures: %s", key, failures, url)

    def item_done(self, item: Any, ok: bool) -> None:
        """After the pipelines: per-source extracted/evaluated/matched (item_scraped/dropped)."""
        source = self.source(item.key)
        if item.extraction != "pending":
            self._inc("extracted", source)
        if item.verdicts and ok:
            self.stats.inc_value(f"mtwatch/evaluated/{source}")
            if any(v.matched for v in item.verdicts):
                self.stats.inc_value(f"mtwatch/matched/{source}")
