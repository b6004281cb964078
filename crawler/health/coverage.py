"""The coverage review at the end of a run: judge the monitors and canaries, keep their state,
and queue the operator notices (one when a monitor trips, one when it recovers, one per
article given up), all in one store transaction. The judging itself is pure
(``crawler.health.monitors``, ``crawler.health.canaries``,
``crawler.health.monitor_state``)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from crawler.config import DEFAULT_SITE, Config
from crawler.health import canaries, monitors
from crawler.health.canaries import shown
from crawler.health.monitor_state import Advance, Change, advance, when
from crawler.health.readings import (
    TRIPPED,
    Day,
    History,
    Limits,
    PastRun,
    RunFacts,
    count,
    healthy,
)
from pipelines.storage import Store
from pipelines.storage.outbox import NewAlert
from pipelines.storage.records import RunRow

logger = logging.getLogger(__name__)

STATE_KEY = "monitors"
#: what each monitor is about, for the notice's title
TITLES = {
    "zone": "layout changed? article pages without their article zone",
    "body_length": "article bodies changed length",
    "discovery": "fewer new articles found than usual",
    "empty_sources": "feeds or sitemaps list nothing",
    "soft_404": "every article page is a 'not found' page",
    "fetch_failures": "article pages cannot be fetched",
}
ADVICE = ("Matches may be missed while this lasts. `mtwatch status` shows every monitor; the "
          "run log (<data dir>/logs/last-crawl.log) has the details. You will get one more "
          "message when it recovers.")


@dataclass(frozen=True)
class Review:
    """What the review adds to the run's verdict."""

    reasons: list[str]
    tripped: list[str]
    notices: int


def limits(config: Config) -> Limits:
    m = config.monitors
    return Limits(
        min_pages=m.min_pages, zone_min_share=m.zone_min_share, body_min_ratio=m.body_min_ratio,
        body_max_ratio=m.body_max_ratio, history_runs=m.history_runs,
        discovery_min_ratio=m.discovery_min_ratio, history_days=m.history_days,
        fetch_failed_max_share=m.fetch_failed_max_share)


def notice_channel(config: Config) -> str | None:
    """Coverage notices go to the first operator channel, else the first alert channel."""
    return next(iter([*config.alerts.operator, *config.alerts.channels]), None)


def canary_urls(config: Config, names: Iterable[str]) -> list[str]:
    """The canaries of these sites, as absolute URLs: each made absolute by its own site's
    URL rules, as the crawl does when it checks them (crawler.spiders.canary)."""
    from crawler.sites import build_site

    urls: list[str] = []
    for name in names:
        site = config.sites[name]
        if site.canaries:
            rules = build_site(name, site).urls
            urls += [rules.absolute(u) for u in site.canaries]
    return urls


def review(store: Store, config: Config, run: RunFacts,
           canary_results: Sequence[canaries.CanaryResult],
           given_up: Sequence[tuple[str, str, str]], site: str | None = None) -> Review:
    """Judge the run of ``site`` (default: the run's main site), store the new state and
    queue the notices (``given_up``: the site's articles given up, as (article key, URL, last
    error)); the reasons for the verdict."""
    rules = limits(config)
    since = run.finished - timedelta(days=rules.history_days + 1)
    name = site or next(n for n, s in config.sites.items() if s is config.site)
    history = StoredHistory(store, since, name, run.finished, rules.history_days)
    urls = canary_urls(config, [name])
    kept = set(canary_urls(config, config.sites))  # other sites' canaries keep their state
    canary_state = dict(store.get_state(canaries.STATE_KEY) or {})
    state_key = STATE_KEY if name == DEFAULT_SITE else f"{STATE_KEY}/{name}"  # per site
    readings = [*monitors.judge(run, history, rules),
                *canaries.readings(urls, canary_results, canary_state)]
    moved = advance(store.get_state(state_key) or {}, readings, run.finished)
    canary_state = {url: state for url, state in canary_state.items() if url in kept}
    canary_state.update({r.url: r.as_state() for r in canary_results})
    notices = _notices(config, store, moved, name, given_up, run.finished)
    queued = store.record_coverage({state_key: moved.state, canaries.STATE_KEY: canary_state},
                                   notices, now=run.finished)
    for change in moved.changes:
        logger.warning("coverage monitor %s %s: %s", change.monitor,
                       "tripped" if change.tripped else "recovered", change.reason)
    return Review(moved.reasons(), moved.tripped, queued)


class StoredHistory(History):
    """The site's runs that finished after ``since``, newest first, read from the store as
    the monitors ask: a page of the newest runs with their counts (the windows of this run
    and those before it rarely reach further), the discovery monitor's per-day sums summed
    by the store, the body-length monitor's earlier runs with only the two counts it reads.
    What it reads stays bounded however many runs the history holds; the monitors judge as
    they would on the whole list (``History``)."""

    #: runs per page of full rows
    PAGE = 50

    def __init__(self, store: Store, since: datetime, site: str, end: datetime,
                 days: int) -> None:
        self._store, self._since, self._site = store, since, site
        self._asked = (end, days)
        page, by_day = store.coverage_history(since, limit=self.PAGE, site=site, end=end,
                                              days=days)
        self._by_day = None if by_day is None else [
            Day(d.runs, d.first_seen, d.started) for d in by_day]
        super().__init__()
        self._last: RunRow | None = None
        self._complete = False
        self._add(page)

    def _add(self, page: Sequence[RunRow]) -> None:
        self._runs += [PastRun(r.started_at, r.finished_at, r.status, r.stats)
                       for r in page if r.finished_at is not None]
        self._last = page[-1] if page else self._last
        self._complete = len(page) < self.PAGE

    def _after_last(self) -> tuple[datetime, int] | None:
        last = self._last
        return None if last is None or last.finished_at is None else (last.finished_at, last.id)

    def __iter__(self) -> Iterator[PastRun]:
        index = 0
        while True:
            while index < len(self._runs):
                yield self._runs[index]
                index += 1
            if self._complete:
                return
            self._add(self._store.runs_finished_since(self._since, limit=self.PAGE,
                                                      site=self._site,
                                                      before=self._after_last()))

    def with_bodies(self, start: int, monitor: str, limit: int) -> list[Mapping[str, Any]]:
        found = [r.counts for r in self._runs[start:] if healthy(r, monitor)
                 and count(r.counts, "evaluated")][:limit]
        if len(found) >= limit or self._complete:
            return found
        # the runs not read yet (the windows read every run up to ``start``)
        rest = self._store.runs_with_bodies(self._since, site=self._site,
                                            before=self._after_last(),
                                            tripped=TRIPPED + monitor, limit=limit - len(found))
        return [*found, *(r.stats for r in rest)]

    def days(self, end: datetime, days: int) -> list[Day]:
        if self._by_day is not None and (end, days) == self._asked:
            return self._by_day
        return super().days(end, days)


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]


def _notices(config: Config, store: Store, moved: Advance, site: str,
             given_up: Sequence[tuple[str, str, str]], now: datetime) -> list[NewAlert]:
    channel = notice_channel(config)
    events = [change_payload(c, now) for c in moved.changes]
    events += [given_up_payload(key, url, _headline(store, site, key), error, now, site=site)
               for key, url, error in given_up]
    if events and channel is None:
        logger.error("coverage: %d notice(s) and no alert channel to send them through "
                     "(alerts.operator, alerts.channels)", len(events))
        return []
    return [NewAlert(channel=str(channel), key=str(e.pop("key")), kind="notice", payload=e)
            for e in events]


def _headline(store: Store, site: str, key: str) -> str:
    """The headline the store has for article ``key`` of ``site`` (an article fetched
    before, now failing), else "". By its key: the store's ID of the row is another number."""
    record = store.find_article(key, site=site)
    return record.headline if record is not None else ""


def change_payload(change: Change, now: datetime) -> dict[str, Any]:
    """The notice for a monitor that tripped or recovered (``key``: its idempotency key)."""
    about = TITLES.get(change.monitor) or (
        f"{change.monitor} no longer extracts and matches" if change.monitor.startswith("canary")
        else change.monitor)
    state = "tripped" if change.tripped else "recovered"
    text = change.reason if change.tripped else (
        f"recovered at {when(now.isoformat())}; it had tripped at {when(change.since)}: "
        f"{change.reason}")
    return {"kind": "notice", "event": "coverage", "monitor": change.monitor, "state": state,
            "title": f"{about} ({state})" if not change.tripped else about,
            "error": text[:1000], "advice": ADVICE if change.tripped else "",
            "at": now.isoformat(), "key": _key("coverage", change.monitor, change.since, state)}


def headline_from_url(url: str) -> str:
    """A readable headline from an article URL's slug (``…/mend-syria-turkey-ties-a81087``)."""
    slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    words = slug.rsplit("-a", 1)[0].replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else url


def given_up_payload(article: str | int, url: str, headline: str, error: str,
                     now: datetime, *, site: str = DEFAULT_SITE) -> dict[str, Any]:
    """The notice for an article given up after repeated failures: a possible miss.

    Its key names the article by its site and its key there (a generic site's articles have
    no numeric ID); the default site's keep the key they always had (its numeric ID)."""
    about = (article,) if site == DEFAULT_SITE else (site, article)
    return {"kind": "notice", "event": "gave_up", "title": "possible miss: article given up",
            "headline": shown(headline or headline_from_url(url)), "url": shown(url, 2000),
            "error": shown(error, 500),
            "advice": "mtwatch stopped fetching this article after repeated failures, so it "
                      "was never matched: read it at the link (`mtwatch run --refresh` tries "
                      "it again).", "at": now.isoformat(),
            "key": _key("gave_up", *about, now.date().isoformat())}
