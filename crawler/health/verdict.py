"""The verdict of one crawl (ok / degraded / failed) from its counters: never a quiet-day lie."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.health.funnel import DOCUMENTS, funnel, to_int

#: article failures that mean "the site did not answer" (as opposed to "this page is odd")
_OUTAGE = ("timeout", "dns", "refused", "connection_lost", "tls", "data_loss")


@dataclass(frozen=True)
class RunVerdict:
    """How a run went, why, and its funnel counts."""

    status: str
    reason: str
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason, "counts": self.counts}


def _site_down(counts: Mapping[str, int]) -> str:
    """Why no article page could be fetched at all, or "" if some could (or none was due)."""
    reasons = {k.removeprefix("failed/"): v for k, v in counts.items() if k.startswith("failed/")}
    outage = all(k in _OUTAGE or k.startswith("http_5") for k in reasons)
    if counts["new"] == 0 or counts["fetched"] > 0 or not reasons or not outage:
        return ""
    detail = ", ".join(f"{v} {k}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1]))
    return f"site unreachable: no article page could be fetched ({detail})"


def judge(stats: Mapping[str, Any], finish_reason: str,
          source_errors: Sequence[str]) -> RunVerdict:
    """Failed when the site or the store failed; degraded when some pages or alerts failed."""
    counts = funnel(stats)
    sources_ok = sum(to_int(stats.get(f"mtwatch/sources/{kind}/ok")) for kind in DOCUMENTS)
    robots_down = stats.get("mtwatch/robots/unavailable")
    robots_note = (f"robots.txt answered HTTP {robots_down}: nothing was fetched from that host "
                   "(RFC 9309: a server error means disallow all); the next run tries again")
    if errors := to_int(stats.get("mtwatch/store_errors")):  # the cause, whatever else failed
        first = stats.get("mtwatch/store_error")
        detail = f" (first: {first})" if first else ""
        return RunVerdict("failed", f"store: {errors} write(s) failed{detail}", counts)
    # sources left until they are due are no failure, but a run that read none says so
    not_due = to_int(stats.get("mtwatch/sources_not_due"))
    none_due = sources_ok == 0 and not source_errors and not_due > 0
    note = (f"no feed or sitemap was due ({not_due} not due, "
            f"{to_int(stats.get('mtwatch/sources_polled'))} polled)" if none_due else "")
    if sources_ok == 0 and not none_due:
        if robots_down:
            return RunVerdict("degraded", robots_note, counts)
        first = source_errors[0] if source_errors else "no feed or sitemap could be read"
        return RunVerdict("failed", f"site unreachable: {first}", counts)
    if finish_reason != "finished":
        return RunVerdict("failed", f"crawl stopped early: {finish_reason}", counts)
    if down := _site_down(counts):
        return RunVerdict("failed", down, counts)
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
        return RunVerdict("degraded", "; ".join([*problems, note] if note else problems), counts)
    return RunVerdict("ok", note, counts)


def with_coverage(verdict: RunVerdict, reasons: Sequence[str],
                  tripped: Sequence[str]) -> RunVerdict:
    """The verdict with the coverage monitors' reasons (``crawler.health.coverage``): a tripped
    monitor makes an ok run degraded; the run's counts mark which ones were tripped."""
    counts = {**verdict.counts, **{f"tripped/{name}": 1 for name in tripped}}
    if not reasons:
        return RunVerdict(verdict.status, verdict.reason, counts)
    reason = "; ".join(r for r in (verdict.reason, *reasons) if r)
    status = "degraded" if verdict.status == "ok" else verdict.status
    return RunVerdict(status, reason, counts)


def with_backfill(verdict: RunVerdict, stats: Mapping[str, Any]) -> RunVerdict:
    """A run that leaves a backfill unfinished is never ``ok``: some months of its horizon were
    not walked, so articles may be missing yet. Degraded, saying how far it got."""
    unfinished = stats.get("mtwatch/backfill/unfinished")
    if not unfinished:
        return verdict
    note = f"{unfinished}; the next run continues it"
    counts = {**verdict.counts, "backfill/months": to_int(stats.get("mtwatch/backfill/months")),
              "backfill/walked": to_int(stats.get("mtwatch/backfill/walked"))}
    status = "degraded" if verdict.status == "ok" else verdict.status
    return RunVerdict(status, f"{verdict.reason}; {note}" if verdict.reason else note, counts)
