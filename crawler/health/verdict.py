"""The verdict of one crawl (ok / degraded / failed) from its counters: never a quiet-day lie."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
#: article failures that mean "the site did not answer" (as opposed to "this page is odd")
_OUTAGE = ("timeout", "dns", "refused", "connection_lost", "tls", "data_loss")


@dataclass(frozen=True)
class Verdict:
    """How a run went, why, and its funnel counts."""

    status: str
    reason: str
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason, "counts": self.counts}


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def funnel(stats: Mapping[str, Any]) -> dict[str, int]:
    """Flat counts: the labels above, ``<stage>/<source>``, ``failed/<reason>``,
    ``skipped/<why>`` and ``documents/<kind>/<ok|unchanged|failed>``."""
    counts = {label: _int(stats.get(key)) for label, key in FUNNEL}
    for stage in STAGES:
        for source in SOURCES:
            if value := _int(stats.get(f"mtwatch/{stage}/{source}")):
                counts[f"{stage}/{source}"] = value
    for prefix, label in (("mtwatch/fetch_failed/", "failed/"), ("mtwatch/skipped/", "skipped/")):
        for key, value in stats.items():
            if key.startswith(prefix) and _int(value):
                counts[label + key.removeprefix(prefix)] = _int(value)
    for kind in DOCUMENTS:
        for outcome in ("ok", "unchanged", "failed"):
            if value := _int(stats.get(f"mtwatch/sources/{kind}/{outcome}")):
                counts[f"documents/{kind}/{outcome}"] = value
    if stats.get("mtwatch/backfill_from"):
        counts["backfill"] = 1
    counts.update(_coverage_counts(stats, counts))
    return counts


def _coverage_counts(stats: Mapping[str, Any], counts: Mapping[str, int]) -> dict[str, int]:
    """What the coverage monitors read of a run (``crawler.health.monitors``), kept in its stats."""
    out = {"first seen": _int(stats.get("mtwatch/first_seen")),
           "median body chars": _int(stats.get("mtwatch/body_median")),
           "fetches/tried": counts["fetched"] + counts["fetch failed"],
           "zone/missing": _int(stats.get("mtwatch/zone_missing"))}
    for key, value in stats.items():
        if key.startswith("mtwatch/extraction/") and _int(value):
            out["extraction/" + key.removeprefix("mtwatch/extraction/")] = _int(value)
        elif key.startswith("mtwatch/sources/") and key.endswith("/empty") and _int(value):
            out["documents/" + key.removeprefix("mtwatch/sources/")] = _int(value)
    return {k: v for k, v in out.items() if v}


def _site_down(counts: Mapping[str, int]) -> str:
    """Why no article page could be fetched at all, or "" if some could (or none was due)."""
    reasons = {k.removeprefix("failed/"): v for k, v in counts.items() if k.startswith("failed/")}
    outage = all(k in _OUTAGE or k.startswith("http_5") for k in reasons)
    if counts["new"] == 0 or counts["fetched"] > 0 or not reasons or not outage:
        return ""
    detail = ", ".join(f"{v} {k}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1]))
    return f"site unreachable: no article page could be fetched ({detail})"


def judge(stats: Mapping[str, Any], finish_reason: str, source_errors: Sequence[str]) -> Verdict:
    """Failed when the site or the store failed; degraded when some pages or alerts failed."""
    counts = funnel(stats)
    sources_ok = sum(_int(stats.get(f"mtwatch/sources/{kind}/ok")) for kind in DOCUMENTS)
    robots_down = stats.get("mtwatch/robots/unavailable")
    robots_note = (f"robots.txt answered HTTP {robots_down}: nothing was fetched from that host "
                   "(RFC 9309: a server error means disallow all); the next run tries again")
    if errors := _int(stats.get("mtwatch/store_errors")):  # the cause, whatever else failed
        first = stats.get("mtwatch/store_error")
        detail = f" (first: {first})" if first else ""
        return Verdict("failed", f"store: {errors} write(s) failed{detail}", counts)
    if sources_ok == 0:
        if robots_down:
            return Verdict("degraded", robots_note, counts)
        first = source_errors[0] if source_errors else "no feed or sitemap could be read"
        return Verdict("failed", f"site unreachable: {first}", counts)
    if finish_reason != "finished":
        return Verdict("failed", f"crawl stopped early: {finish_reason}", counts)
    if down := _site_down(counts):
        return Verdict("failed", down, counts)
    problems = [robots_note] if robots_down else []
    if source_errors:
        problems.append(f"{len(source_errors)} feed/sitemap fetch(es) failed")
    if counts["fetch failed"]:
        problems.append(f"{counts['fetch failed']} article fetch(es) failed (retried next run)")
    if counts["given up"]:
        problems.append(f"{counts['given up']} article(s) given up after repeated failures")
    if counts["alerts failed"] or counts["alerts dead"]:
        undelivered = counts["alerts failed"] + counts["alerts dead"]
        problems.append(f"{undelivered} alert(s) not delivered")
    if held := stats.get("mtwatch/alerts/held_reason"):  # a misconfigured channel waits
        problems.append(str(held))
    if problems:
        return Verdict("degraded", "; ".join(problems), counts)
    return Verdict("ok", "", counts)


def with_coverage(verdict: Verdict, reasons: Sequence[str], tripped: Sequence[str]) -> Verdict:
    """The verdict with the coverage monitors' reasons (``crawler.health.coverage``): a tripped
    monitor makes an ok run degraded; the run's counts mark which ones were tripped."""
    counts = {**verdict.counts, **{f"tripped/{name}": 1 for name in tripped}}
    if not reasons:
        return Verdict(verdict.status, verdict.reason, counts)
    reason = "; ".join(r for r in (verdict.reason, *reasons) if r)
    status = "degraded" if verdict.status == "ok" else verdict.status
    return Verdict(status, reason, counts)


def with_backfill(verdict: Verdict, stats: Mapping[str, Any]) -> Verdict:
    """A run that leaves a backfill unfinished is never ``ok``: some months of its horizon were
    not walked, so articles may be missing yet. Degraded, saying how far it got."""
    unfinished = stats.get("mtwatch/backfill/unfinished")
    if not unfinished:
        return verdict
    note = f"{unfinished}; the next run continues it"
    counts = {**verdict.counts, "backfill/months": _int(stats.get("mtwatch/backfill/months")),
              "backfill/walked": _int(stats.get("mtwatch/backfill/walked"))}
    status = "degraded" if verdict.status == "ok" else verdict.status
    return Verdict(status, f"{verdict.reason}; {note}" if verdict.reason else note, counts)
