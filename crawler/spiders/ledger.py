"""The run's bookkeeping: the funnel per discovery source, every article outcome in the store."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pipelines.storage import Store
from pipelines.storage.articles import FETCH_DECISIONS, Candidate, FrontierPolicy

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
    and writes each article's state to the store, so a crash or a failure loses nothing."""

    def __init__(self, store: Store, crawler: Any, policy: FrontierPolicy, site: str) -> None:
        self.store = store
        #: the site whose articles this ledger writes
        self.site = site
        self.crawler = crawler
        self.policy = policy
        #: which source brought each requested article (first one wins)
        self.source_of: dict[int, str] = {}
        self._seen: set[int] = set()
        self._skipped: set[int] = set()
        #: (article ID, URL, last error) given up in this run: possible misses, each reported
        self.given_up: list[tuple[int, str, str]] = []

    @property
    def stats(self) -> Any:
        # the crawler's stats exist only once the crawl starts
        return self.crawler.stats

    def _inc(self, key: str, source: str | None = None, count: int = 1) -> None:
        self.stats.inc_value(f"mtwatch/{key}", count)
        if source:
            self.stats.inc_value(f"mtwatch/{key}/{source}", count)

    def requested(self, article_id: int) -> bool:
        return article_id in self.source_of

    def pending(self, articles: Iterable[tuple[int, str]], source: str) -> list[int]:
        """Articles the store still owes an evaluation (crash, failed fetch): fetch them again."""
        out = []
        for article_id, _url in articles:
            if article_id in self.source_of:
                continue
            self._seen.add(article_id)
            self.source_of[article_id] = source
            self._inc("discovered", source)
            self._inc("new", source)
            out.append(article_id)
        return out

    def discovered(self, found: Sequence[Candidate], source: str) -> list[Candidate]:
        """Record what a discovery document lists; the candidates this run must fetch."""
        if not found:
            return []
        decisions = self.store.discover_articles(found, source=source, now=_now(),
                                                 policy=self.policy, site=self.site)
        fetch: list[Candidate] = []
        for cand in {c.article_id: c for c in found}.values():
            self.stats.inc_value(f"mtwatch/discovered/{source}")
            if cand.article_id not in self._seen:
                self._seen.add(cand.article_id)
                self.stats.inc_value("mtwatch/discovered")
            decision = decisions.get(cand.article_id, "known")
            if decision == "new":  # never seen before (the discovery monitor counts these)
                self.stats.inc_value("mtwatch/first_seen")
            if decision in FETCH_DECISIONS:
                if cand.article_id not in self.source_of:
                    self.source_of[cand.article_id] = source
                    self._inc("new", source)
                    fetch.append(cand)
            elif cand.article_id not in self.source_of and cand.article_id not in self._skipped:
                self._skipped.add(cand.article_id)
                self.stats.inc_value(f"mtwatch/skipped/{decision}")
                if decision == "known":
                    self.stats.inc_value("mtwatch/skipped_known")
        return fetch

    def source(self, article_id: int) -> str:
        return self.source_of.get(article_id, "other")

    def fetched(self, article_id: int) -> None:
        self._inc("fetched", self.source(article_id))

    def soft_404(self, article_id: int, url: str) -> None:
        hits = self.store.record_soft_404(article_id, url, now=_now(), site=self.site)
        self._inc("soft_404")
        logger.warning("soft 404 (HTTP 200 'Oops!' page, seen %d time(s)): %s", hits, url)

    def failed(self, article_id: int, url: str, reason: str, detail: str, *,
               state: str = "discovered", retry_after: float | None = None) -> None:
        """One failed attempt: counted by reason, and retried by a later run (bounded)."""
        source = self.source(article_id)
        if reason == "robots":
            # a policy, not a failure: the article stays queued, uncounted, for a later run
            self.stats.inc_value("mtwatch/skipped/robots")
            logger.info("article %s not fetched (robots.txt): %s", article_id, url)
            return
        self._inc("fetch_failed")
        self.stats.inc_value(f"mtwatch/fetch_failed/{reason}")
        self.stats.inc_value(f"mtwatch/failed/{source}")
        logger.error("article %s failed (fetch_failed:%s): %s: %s", article_id, reason, url,
                     detail)
        delay = timedelta(seconds=retry_after) if retry_after else None
        failures = self.store.article_failed(article_id, state=state, error=f"{reason}: {detail}",
                                             now=_now(), retry_after=delay, site=self.site)
        if failures >= self.policy.max_failures:
            self.given_up.append((article_id, url, f"{reason}: {detail}"))
            self.stats.inc_value("mtwatch/gave_up")
            logger.error("article %s given up after %d failures: %s", article_id, failures, url)

    def item_done(self, item: Any, ok: bool) -> None:
        """After the pipelines: per-source extracted/evaluated/matched (item_scraped/dropped)."""
        source = self.source(item.fields.article_id)
        if item.extraction != "pending":
            self._inc("extracted", source)
        if item.verdicts and ok:
            self.stats.inc_value(f"mtwatch/evaluated/{source}")
            if any(v.matched for v in item.verdicts):
                self.stats.inc_value(f"mtwatch/matched/{source}")
