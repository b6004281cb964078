"""Coverage monitors (Spidermon-style): judge one run, and it against earlier runs. Pure.

Each monitor reads plain data (this run's funnel counts, earlier runs' counts, see
``crawler.health.readings``) and returns a ``Reading``: tripped, healthy, or not judged (too
little data: its state stays as it was).
``crawler.health.monitor_state`` turns readings into the state kept across runs, and
``crawler.health.coverage`` stores it and tells the operator once when a monitor trips and once
when it recovers; ``crawler.health.verdict`` puts the reasons into the run's verdict.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from crawler.health.readings import (
    History,
    Limits,
    PastRun,
    Reading,
    RunFacts,
    as_history,
    count,
    too_few,
    window,
)

#: per-run counts of how bodies were read (``pipelines.extraction.paths``) in the funnel
ZONE_PATHS = ("zone", "zone:blocks")
NO_ZONE_PATHS = ("generic", "generic:small_zone", "raw")
_DAY = timedelta(days=1)
#: earlier runs, newest first: a list, or a ``History`` (the store's reads them as needed)
Runs = Sequence[PastRun] | History
_EMPTY_KINDS = ("feed", "sitemap", "newsmap_index")
#: how the zone monitor names the paths bodies took without the zone
_USED = {"generic": "generic extraction used", "generic:small_zone": "generic extraction used",
         "raw": "raw page text used", "no_body": "no body found"}
_MONTH_SITEMAP = re.compile(r"/(\d{4})-(\d{1,2})\.xml(?:\.gz)?$")


def zone(run: RunFacts, history: Runs, limits: Limits) -> Reading:
    """Share of recent article bodies read from the site's article zone."""
    if not limits.zone_min_share:
        return Reading("zone", None, value="off")
    seen = window(run, history, limits, "extracted")
    c, read = seen.counts, seen.pages
    if read < limits.min_pages:
        return too_few("zone", seen, limits, "article page(s)")
    missing, small = count(c, "zone/missing"), count(c, "extraction/generic:small_zone")
    without = missing + small
    value = f"{read - without} of {read} article pages had a usable article zone"
    if without <= (1 - limits.zone_min_share) * read:
        return Reading("zone", False, value=f"{value} ({seen.span})")
    used: dict[str, int] = {}
    for path, label in _USED.items():
        used[label] = used.get(label, 0) + count(c, f"extraction/{path}")
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
    return [(count(c, "median body chars"), count(c, "evaluated"))
            for c in runs if count(c, "evaluated")]


def body_length(run: RunFacts, history: Runs, limits: Limits) -> Reading:
    """The median body of recent runs against that of earlier healthy runs."""
    if not (limits.body_min_ratio or limits.body_max_ratio):
        return Reading("body_length", None, value="off")
    seen = window(run, history, limits, "evaluated")
    if seen.pages < limits.min_pages:
        return too_few("body_length", seen, limits, "article(s) evaluated")
    earlier = as_history(history).with_bodies(seen.reach, "body_length", limits.history_runs)
    if sum(count(c, "evaluated") for c in earlier) < limits.history_min_runs * limits.min_pages:
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


def discovery(run: RunFacts, history: Runs, limits: Limits) -> Reading:
    """New articles found in the last 24 h against the daily count of earlier days."""
    if not limits.discovery_min_ratio:
        return Reading("discovery", None, value="off")
    end = run.finished
    spans = as_history(history).days(end, limits.history_days)
    earliest = min([run.started, *([spans[0].started] if spans[0].started is not None else [])])
    if end - earliest < _DAY * 0.75:
        return Reading("discovery", None, value="less than 18 h of runs in the last 24 h")
    days = [day.first_seen for day in spans[1:] if day.runs]
    if len(days) < limits.history_min_days:
        return Reading("discovery", None, value=f"{len(days)} earlier day(s) of runs")
    this = 0 if count(run.counts, "backfill") else count(run.counts, "first seen")
    recent, usual = spans[0].first_seen + this, statistics.median(days)
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
    read = {kind: count(run.counts, f"documents/{kind}/ok") for kind in _EMPTY_KINDS}
    full = sum(read[kind] - count(run.counts, f"documents/{kind}/unchanged") for kind in read)
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


def soft_404s(run: RunFacts, history: Runs, limits: Limits) -> Reading:
    """Recent runs where every article page was the site's HTTP 200 "not found" page."""
    seen = window(run, history, limits, "fetched")
    if seen.pages < limits.min_pages:
        return too_few("soft_404", seen, limits, "article page(s) fetched")
    soft = count(seen.counts, "soft 404")
    value = f"{soft} of {seen.pages} article pages were 'not found' pages ({seen.span})"
    if soft >= seen.pages:
        return Reading("soft_404", True, f"every article page was a 'not found' page: "
                       f"{value} (site broken, or a wall serving an error page?)", value)
    return Reading("soft_404", False, value=value)


def fetch_failures(run: RunFacts, history: Runs, limits: Limits) -> Reading:
    """Share of recent article fetches that failed (a bot wall: 403 for every article)."""
    if not limits.fetch_failed_max_share:
        return Reading("fetch_failures", None, value="off")
    seen = window(run, history, limits, "fetches/tried")
    c = seen.counts
    if seen.pages < limits.min_pages:
        return too_few("fetch_failures", seen, limits, "article fetch(es)")
    failed = count(c, "fetch failed")
    value = f"{failed} of {seen.pages} article fetches failed ({seen.span})"
    if failed < limits.fetch_failed_max_share * seen.pages:
        return Reading("fetch_failures", False, value=value)
    reasons = sorted(((k.removeprefix("failed/"), count(c, k)) for k in c
                      if k.startswith("failed/")), key=lambda kv: -kv[1])
    top = ", ".join(f"{n} {why}" for why, n in reasons[:3])
    wall = " (a bot wall or a block?)" if reasons and reasons[0][0] in (
        "http_401", "http_403", "http_429") else ""
    return Reading("fetch_failures", True, f"article fetches failing: {value}: {top}{wall}",
                   value)


def judge(run: RunFacts, history: Runs, limits: Limits) -> list[Reading]:
    """Every coverage monitor on one run; ``history``: earlier runs, newest first."""
    return [zone(run, history, limits), body_length(run, history, limits),
            discovery(run, history, limits), empty_sources(run),
            soft_404s(run, history, limits), fetch_failures(run, history, limits)]
