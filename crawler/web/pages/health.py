"""The Health page: runs with their funnels, the discovery documents (feeds, sitemaps) and
their 304 rate and failures, per kind and per document of every site, backfill progress, and
the alert outbox with retry buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawler.cli.status import failing_first, poll_interval, unchanged_rate
from crawler.health.funnel import DOCUMENTS, STAGES
from pipelines.storage import RunRow, Store
from pipelines.storage.desk_stats import (
    article_counts,
    headline_of,
    outbox_counts,
    outbox_waiting,
)

RUNS_SHOWN = 30
#: runs read for the per-kind document figures (304 rate, last failure)
RUNS_FOR_DOCUMENTS = 100
ALERTS_SHOWN = 50
STATUSES = ("pending", "sending", "sent", "dead")


@dataclass(frozen=True)
class DocumentKind:
    """What the recent runs say about one kind of discovery document."""

    kind: str
    read: int
    unchanged: int
    failed: int
    last_failure: RunRow | None

    @property
    def requests(self) -> int:
        return self.read + self.unchanged + self.failed

    @property
    def unchanged_rate(self) -> str:
        return f"{100 * self.unchanged / self.requests:.0f} %" if self.requests else "—"


def _count(run: RunRow, kind: str, outcome: str) -> int:
    return int(run.stats.get(f"documents/{kind}/{outcome}") or 0)


def document_kinds(runs: Sequence[RunRow]) -> list[DocumentKind]:
    """Per kind of document read by ``runs`` (newest first): 200s, 304s, failures."""
    found = []
    for kind in DOCUMENTS:
        failures = [run for run in runs if _count(run, kind, "failed")]
        read, same, failed = (sum(_count(run, kind, outcome) for run in runs)
                              for outcome in ("ok", "unchanged", "failed"))
        item = DocumentKind(kind, read, same, failed, failures[0] if failures else None)
        if item.requests:
            found.append(item)
    return found


def _funnel(run: RunRow) -> list[tuple[str, int]]:
    return [(stage, int(run.stats.get(stage) or 0)) for stage in STAGES]


def _failures(run: RunRow) -> str:
    parts = [f"{key.removeprefix('failed/')} {value}" for key, value in run.stats.items()
             if key.startswith("failed/") and value]
    return ", ".join(parts)


def _daemon(store: Store, now: datetime) -> dict[str, Any] | None:
    from crawler.cli.status import daemon_alive
    from crawler.daemon.bookkeeping import DAEMON_KEY

    state = store.get_state(DAEMON_KEY)
    if not state:
        return None
    return {"state": state, "alive": daemon_alive(state, now)}


def context(store: Store, now: datetime) -> dict[str, Any]:
    recent = store.last_runs(RUNS_FOR_DOCUMENTS)
    with store.read("desk_health") as conn:
        counts = outbox_counts(conn)
        waiting = outbox_waiting(conn, ALERTS_SHOWN)
        articles = article_counts(conn)
        about = headline_of(conn, [a.match_id for a in waiting if a.match_id is not None])
    channels = sorted({channel for channel, _ in counts})
    backfills = [run for run in recent if run.stats.get("backfill")]
    return {
        "runs": [{"run": r, "funnel": _funnel(r), "failures": _failures(r)}
                 for r in recent[:RUNS_SHOWN]],
        "last_success": store.last_success(), "daemon": _daemon(store, now),
        "kinds": document_kinds(recent),
        # every site's feeds and sitemaps, failing ones first
        "sources": [{"h": h, "rate": unchanged_rate(h), "interval": poll_interval(h)}
                    for h in failing_first(store.source_health())],
        "articles": articles,
        "waiting_articles": sum(n for state, n in articles.items() if state != "evaluated"),
        "last_backfill": backfills[0] if backfills else None,
        "statuses": STATUSES, "channels": channels,
        "outbox": {(c, s): counts.get((c, s), 0) for c in channels for s in STATUSES},
        "outbox_totals": {s: sum(n for (_, st), n in counts.items() if st == s)
                          for s in STATUSES},
        "waiting": [{"alert": a, "about": about.get(a.match_id or 0)} for a in waiting],
        "disabled": store.disabled_channels(), "now": now,
    }  # fmt: skip
