"""Coverage monitors (Spidermon-style): judge one run, and it against earlier runs. Pure.

Each monitor reads plain data (this run's funnel counts, earlier runs' counts) and returns a
``Reading``: tripped, healthy, or not judged (too little data: its state stays as it was).
A cron run every 15 minutes fetches an article or two, so the per-page monitors judge a
window: this run and as many earlier ones as it takes to see ``min_pages`` pages.
``crawler.monitor_state`` turns readings into the state kept across runs, and
``crawler.coverage`` stores it and tells the operator once when a monitor trips and once
when it recovers; ``crawler.health`` puts the reasons into the run's verdict.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

#: per-run counts of how bodies were read (``pipelines.extraction.paths``) in the funnel
ZONE_PATHS = ("zone", "zone:blocks")
NO_ZONE_PATHS = ("generic", "generic:small_zone", "raw")
#: a monitor that tripped in a run is marked in that run's counts (``tripped/<name>``)
TRIPPED = "tripped/"
_DAY = timedelta(days=1)
_EMPTY_KINDS = ("feed", "sitemap", "newsmap_index")
#: how the zone monitor names the paths bodies took without the zone
_USED = {"generic": "generic extraction used", "generic:small_zone": "generic extraction used",
         "raw": "raw page text used", "no_body": "no body found"}
_MONTH_SITEMAP = re.compile(r"/(\d{4})-(\d{1,2})\.xml(?:\.gz)?$")


@dataclass(frozen=True)
class Limits:
    """Thresholds (config ``[monitors]``); a share or ratio of 0 turns its monitor off."""

    min_pages: int = 5
    zone_min_share: float = 0.5
    body_min_ratio: float = 0.5
    body_max_ratio: float = 3.0
    history_runs: int = 20
    history_min_runs: int = 3
    discovery_min_ratio: float = 0.25
    history_days: int = 14
    history_min_days: int = 3
    fetch_failed_max_share: float = 0.5


@dataclass(frozen=True)
class PastRun:
    """An earlier run as the ``runs`` table holds it."""

    started: datetime
    finished: datetime
    status: str
    counts: Mapping[str, Any]


@dataclass(frozen=True)
class RunFacts:
    """This run: its funnel counts and what the spider saw of its discovery documents."""

    started: datetime
    finished: datetime
    counts: Mapping[str, Any]
    #: "<kind> <url>" of each feed or sitemap that answered 200 and listed nothing
    empty_sources: Sequence[str] = ()


@dataclass(frozen=True)
class Reading:
    """One monitor's verdict on one run; ``tripped`` None: not judged (``value`` says why)."""

    monitor: str
    tripped: bool | None
    reason: str = ""
    value: str = ""


def _n(counts: Mapping[str, Any], key: str) -> int:
    try:
        return int(counts.get(key) or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class Window:
    """This run plus as many earlier runs as it takes to see ``min_pages`` pages: a cron run
    every 15 minutes fetches an article or two, too few to judge on its own."""

    counts: dict[str, int]
    runs: int
    pages: int
    #: the runs whose counts were summed (this run first)
    members: tuple[Mapping[str, Any], ...] = ()
    #: how many entries of the history the window reached into
    reach: int = 0

    @property
    def span(self) -> str:
        return "this run" if self.runs == 1 else f"the last {self.runs} runs"


def window(run: RunFacts, history: Sequence[PastRun], limits: Limits, pages: str) -> Window:
    """Sum the counts of this run and the earlier ones (newest first) until ``pages``
    reaches ``min_pages``; at most ``history_runs`` runs."""
    total: dict[str, int] = {}
    members: list[Mapping[str, Any]] = []
    reach = 0
    for index, counts in enumerate([run.counts, *(r.counts for r in history)]):
        if len(members) >= max(limits.history_runs, 1) or total.get(pages, 0) >= limits.min_pages:
            break
        reach = index
        if index and history[index - 1].status not in ("ok", "degraded"):
            continue
        members.append(counts)
        for key, value in counts.items():
            if isinstance(value, int) and not key.startswith(TRIPPED):
                total[key] = total.get(key, 0) + value
    return Window(total, len(members), total.get(pages, 0), tuple(members), reach)


def _too_few(monitor: str, seen: Window, limits: Limits, what: str) -> Reading:
    return Reading(monitor, None, value=f"{seen.pages} {what} in {seen.span}, fewer than "
                   f"{limits.min_pages}")


def zone(run: RunFacts, history: Sequence[PastRun], limits: Limits) -> Reading:
    """Share of recent article bodies read from the site's article zone."""
    if not limits.zone_min_share:
        return Reading("zone", None, value="off")
    seen = window(run, history, limits, "extracted")
    c, read = seen.counts, seen.pages
    if read < limits.min_pages:
        return _too_few("zone", seen, limits, "article page(s)")
    missing, small = _n(c, "zone/missing"), _n(c, "extraction/generic:small_zone")
    without = missing + small
    value = f"{read - without} of {read} article pages had a usable article zone"
    if without <= (1 - limits.zone_min_share) * read:
        return Reading("zone", False, value=f"{value} ({seen.span})")
    used: dict[str, int] = {}
    for path, label in _USED.items():
        used[label] = used.get(label, 0) + _n(c, f"extraction/{path}")
    how = ", ".join(f"{label} for {n}" for label, n in used.items() if n)
    what = (f"{missing} of {read} article pages had no article zone" if not small else
            f"{small} of {read} article pages had an article zone too small for their text"
            if not missing else f"{without} of {read} article pages had no usable article "
            f"zone ({missing} none, {small} too small)")
    return Reading("zone", True, f"layout changed? {what} ({seen.span}); {how}", value)


def _weighted_median(pairs: Sequence[tuple[int, int]]) -> float:
    """Median of values given with weights (each run's median body, by articles)."""
    ordered = sorted((v, w) for v, w in pairs if w > 0)
    half, seen = sum(w for _, w in ordered) / 2, 0
    for value, weight in ordered:
        seen += weight
        if seen >= half:
            return float(value)
    return 0.0


def _medians(runs: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    return [(_n(c, "median body chars"), _n(c, "evaluated")) for c in runs if _n(c, "evaluated")]


def body_length(run: RunFacts, history: Sequence[PastRun], limits: Limits) -> Reading:
    """The median body of recent runs against that of earlier healthy runs."""
    if not (limits.body_min_ratio or limits.body_max_ratio):
        return Reading("body_length", None, value="off")
    seen = window(run, history, limits, "evaluated")
    if seen.pages < limits.min_pages:
        return _too_few("body_length", seen, limits, "article(s) evaluated")
    earlier = [r.counts for r in history[seen.reach:] if _healthy(r, "body_length")
               and _n(r.counts, "evaluated")][:limits.history_runs]
    if sum(_n(c, "evaluated") for c in earlier) < limits.history_min_runs * limits.min_pages:
        return Reading("body_length", None, value="too few earlier articles to compare with")
    now, usual = _weighted_median(_medians(seen.members)), _weighted_median(_medians(earlier))
    value = (f"median body {now:,.0f} characters in {seen.span}; {usual:,.0f} in the "
             f"{len(earlier)} runs before")
    if limits.body_min_ratio and now < limits.body_min_ratio * usual:
        return Reading("body_length", True, f"bodies shrank: {value}", value)
    if limits.body_max_ratio and now > limits.body_max_ratio * usual:
        return Reading("body_length", True, f"bodies grew: {value} (widgets read as text?)",
                       value)
    return Reading("body_length", False, value=value)


def _healthy(run: PastRun, monitor: str) -> bool:
    return run.status in ("ok", "degraded") and not _n(run.counts, TRIPPED + monitor)


def _first_seen(runs: Sequence[PastRun | RunFacts], start: datetime, end: datetime) -> int:
    return sum(_n(r.counts, "first seen") for r in runs
               if start < r.finished <= end and not _n(r.counts, "backfill"))


def discovery(run: RunFacts, history: Sequence[PastRun], limits: Limits) -> Reading:
    """New articles found in the last 24 h against the daily count of earlier days."""
    if not limits.discovery_min_ratio:
        return Reading("discovery", None, value="off")
    end = run.finished
    recent_runs = [r for r in history if end - _DAY < r.finished <= end]
    earliest = min([run.started, *(r.started for r in recent_runs)])
    if end - earliest < _DAY * 0.75:
        return Reading("discovery", None, value="less than 18 h of runs in the last 24 h")
    days = []
    for k in range(1, limits.history_days + 1):
        start, stop = end - (k + 1) * _DAY, end - k * _DAY
        if any(start < r.finished <= stop for r in history):
            days.append(_first_seen(history, start, stop))
    if len(days) < limits.history_min_days:
        return Reading("discovery", None, value=f"{len(days)} earlier day(s) of runs")
    recent, usual = _first_seen([*recent_runs, run], end - _DAY, end), statistics.median(days)
    value = (f"{recent} new article(s) in the last 24 h; {usual:.0f} a day over the "
             f"previous {len(days)} days")
    if usual >= limits.min_pages and recent < limits.discovery_min_ratio * usual:
        return Reading("discovery", True, f"discovery dropped: {value} (feeds or sitemaps "
                       "no longer list new articles?)", value)
    return Reading("discovery", False, value=value)


def _expected_to_list(source: str, now: datetime) -> bool:
    """A monthly sitemap of the current month may be empty for its first two days."""
    match = _MONTH_SITEMAP.search(source)
    if match is None:
        return True
    this_month = (int(match[1]), int(match[2])) == (now.year, now.month)
    return not (this_month and now.day <= 2)


def empty_sources(run: RunFacts) -> Reading:
    """Feeds that answered 200 and listed nothing; monthly sitemaps when every one this run
    read (in full or as 304 "unchanged") listed nothing: a sparse month may be empty on a
    small site, not all of them."""
    empty = [s for s in run.empty_sources if _expected_to_list(s, run.finished)]
    read = {kind: _n(run.counts, f"documents/{kind}/ok") for kind in _EMPTY_KINDS}
    full = sum(read[kind] - _n(run.counts, f"documents/{kind}/unchanged") for kind in read)
    bad = [s for s in empty if not s.startswith("sitemap ")]
    sitemaps = [s for s in empty if s.startswith("sitemap ")]
    if sitemaps and len(sitemaps) >= read["sitemap"]:
        bad += sitemaps
    if bad:
        shown = "; ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
        return Reading("empty_sources", True, f"{len(bad)} feed/sitemap(s) answered but "
                       f"listed no articles: {shown}", value=shown)
    if not full and not empty:
        return Reading("empty_sources", None, value="no feed or sitemap answered in full")
    return Reading("empty_sources", False, value=", ".join(
        f"{n} {kind}(s) read" for kind, n in read.items() if n))


def soft_404s(run: RunFacts, history: Sequence[PastRun], limits: Limits) -> Reading:
    """Recent runs where every article page was the site's HTTP 200 "not found" page."""
    seen = window(run, history, limits, "fetched")
    if seen.pages < limits.min_pages:
        return _too_few("soft_404", seen, limits, "article page(s) fetched")
    soft = _n(seen.counts, "soft 404")
    value = f"{soft} of {seen.pages} article pages were 'not found' pages ({seen.span})"
    if soft >= seen.pages:
        return Reading("soft_404", True, f"every article page was a 'not found' page: "
                       f"{value} (site broken, or a wall serving an error page?)", value)
    return Reading("soft_404", False, value=value)


def fetch_failures(run: RunFacts, history: Sequence[PastRun], limits: Limits) -> Reading:
    """Share of recent article fetches that failed (a bot wall: 403 for every article)."""
    if not limits.fetch_failed_max_share:
        return Reading("fetch_failures", None, value="off")
    seen = window(run, history, limits, "fetches/tried")
    c = seen.counts
    if seen.pages < limits.min_pages:
        return _too_few("fetch_failures", seen, limits, "article fetch(es)")
    failed = _n(c, "fetch failed")
    value = f"{failed} of {seen.pages} article fetches failed ({seen.span})"
    if failed < limits.fetch_failed_max_share * seen.pages:
        return Reading("fetch_failures", False, value=value)
    reasons = sorted(((k.removeprefix("failed/"), _n(c, k)) for k in c
                      if k.startswith("failed/")), key=lambda kv: -kv[1])
    top = ", ".join(f"{n} {why}" for why, n in reasons[:3])
    wall = " (a bot wall or a block?)" if reasons and reasons[0][0] in (
        "http_401", "http_403", "http_429") else ""
    return Reading("fetch_failures", True, f"article fetches failing: {value}: {top}{wall}",
                   value)


def judge(run: RunFacts, history: Sequence[PastRun], limits: Limits) -> list[Reading]:
    """Every coverage monitor on one run; ``history``: earlier runs, newest first."""
    return [zone(run, history, limits), body_length(run, history, limits),
            discovery(run, history, limits), empty_sources(run),
            soft_404s(run, history, limits), fetch_failures(run, history, limits)]
