"""The funnel of one crawl: its counts, read from the crawl's stats.

The run summary, the ``runs`` table, ``mtwatch status``, the desk's health page and the
coverage monitors all read a run through these counts; ``crawler.health.verdict`` judges them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: counters shown in the run summary, in funnel order
FUNNEL = (
    ("discovered", "mtwatch/discovered"),
    ("new", "mtwatch/new"),
    ("skipped (already stored)", "mtwatch/skipped_known"),
    ("fetched", "mtwatch/fetched"),
    ("soft 404", "mtwatch/soft_404"),
    ("not an article", "mtwatch/not_article"),
    ("fetch failed", "mtwatch/fetch_failed"),
    ("given up", "mtwatch/gave_up"),
    ("extracted", "mtwatch/extracted"),
    ("evaluated", "mtwatch/evaluated"),
    ("no body", "mtwatch/no_body"),
    ("stored new", "mtwatch/stored/inserted"),
    ("stored updated", "mtwatch/stored/updated"),
    ("matched", "mtwatch/matched"),
    ("new matches", "mtwatch/new_matches"),
    ("alerts sent", "mtwatch/alerts/sent"),
    ("alerts failed", "mtwatch/alerts/failed"),
    ("alerts dead", "mtwatch/alerts/dead"),
)
#: the coverage funnel, counted per discovery source as ``<stage>/<source>``
STAGES = ("discovered", "new", "fetched", "extracted", "evaluated", "matched")
SOURCES = ("retry", "feed", "sitemap", "newsmap", "listing", "other")
DOCUMENTS = ("feed", "sitemap_index", "sitemap", "newsmap_index", "newsmap", "listing")


def to_int(value: Any) -> int:
    """A stat as a count: 0 when it is missing or not a number."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def funnel(stats: Mapping[str, Any]) -> dict[str, int]:
    """Flat counts: the labels above, ``<stage>/<source>``, ``failed/<reason>``,
    ``skipped/<why>`` and ``documents/<kind>/<ok|unchanged|failed>``."""
    counts = {label: to_int(stats.get(key)) for label, key in FUNNEL}
    for stage in STAGES:
        for source in SOURCES:
            if value := to_int(stats.get(f"mtwatch/{stage}/{source}")):
                counts[f"{stage}/{source}"] = value
    for prefix, label in (("mtwatch/fetch_failed/", "failed/"), ("mtwatch/skipped/", "skipped/")):
        for key, value in stats.items():
            if key.startswith(prefix) and to_int(value):
                counts[label + key.removeprefix(prefix)] = to_int(value)
    for kind in DOCUMENTS:
        for outcome in ("ok", "unchanged", "failed"):
            if value := to_int(stats.get(f"mtwatch/sources/{kind}/{outcome}")):
                counts[f"documents/{kind}/{outcome}"] = value
    # the scheduled feeds and sitemaps: polled this run, or left until they are due
    for key, label in (("mtwatch/sources_polled", "sources polled"),
                       ("mtwatch/sources_not_due", "sources not due")):
        if key in stats:
            counts[label] = to_int(stats.get(key))
    if stats.get("mtwatch/backfill_from"):
        counts["backfill"] = 1
    counts.update(_coverage_counts(stats, counts))
    return counts


def _coverage_counts(stats: Mapping[str, Any], counts: Mapping[str, int]) -> dict[str, int]:
    """What the coverage monitors read of a run (``crawler.health.monitors``), kept in its stats."""
    out = {"first seen": to_int(stats.get("mtwatch/first_seen")),
           "median body chars": to_int(stats.get("mtwatch/body_median")),
           "fetches/tried": counts["fetched"] + counts["fetch failed"],
           "zone/missing": to_int(stats.get("mtwatch/zone_missing"))}
    for key, value in stats.items():
        if key.startswith("mtwatch/extraction/") and to_int(value):
            out["extraction/" + key.removeprefix("mtwatch/extraction/")] = to_int(value)
        elif key.startswith("mtwatch/sources/") and key.endswith("/empty") and to_int(value):
            out["documents/" + key.removeprefix("mtwatch/sources/")] = to_int(value)
    return {k: v for k, v in out.items() if v}
