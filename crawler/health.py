"""The verdict of one crawl (ok / degraded / failed) from its counters: never a quiet-day lie."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: counters shown in the run summary, in funnel order
FUNNEL = (
    ("discovered", "mtwatch/discovered"),
    ("skipped (already stored)", "mtwatch/skipped_known"),
    ("fetched", "mtwatch/fetched"),
    ("soft 404", "mtwatch/soft_404"),
    ("fetch failed", "mtwatch/fetch_failed"),
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
_SOURCES = ("feed", "sitemap_index", "sitemap")


@dataclass(frozen=True)
class Verdict:
    """How a run went, why, and its funnel counts."""

    status: str
    reason: str
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason, "counts": self.counts}


def funnel(stats: Mapping[str, Any]) -> dict[str, int]:
    return {label: int(stats.get(key, 0) or 0) for label, key in FUNNEL}


def judge(stats: Mapping[str, Any], finish_reason: str, source_errors: Sequence[str]) -> Verdict:
    """Failed when the site or the store failed; degraded when some pages or alerts failed."""
    counts = funnel(stats)
    sources_ok = sum(int(stats.get(f"mtwatch/sources/{kind}/ok", 0) or 0) for kind in _SOURCES)
    if sources_ok == 0:
        first = source_errors[0] if source_errors else "no feed or sitemap could be read"
        return Verdict("failed", f"site unreachable: {first}", counts)
    if stats.get("mtwatch/store_errors"):
        return Verdict("failed", f"store: {stats['mtwatch/store_errors']} write(s) failed", counts)
    if finish_reason != "finished":
        return Verdict("failed", f"crawl stopped early: {finish_reason}", counts)
    problems = []
    if source_errors:
        problems.append(f"{len(source_errors)} feed/sitemap fetch(es) failed")
    if counts["fetch failed"]:
        problems.append(f"{counts['fetch failed']} article fetch(es) failed")
    if counts["alerts failed"] or counts["alerts dead"]:
        undelivered = counts["alerts failed"] + counts["alerts dead"]
        problems.append(f"{undelivered} alert(s) not delivered")
    if problems:
        return Verdict("degraded", "; ".join(problems), counts)
    return Verdict("ok", "", counts)
