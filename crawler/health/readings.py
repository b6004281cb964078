"""What a coverage monitor reads and what it returns. Pure.

A monitor reads plain data — its thresholds (``Limits``), this run (``RunFacts``) and earlier
runs as the ``runs`` table holds them (``PastRun``) — and returns a ``Reading``: tripped,
healthy, or not judged. A cron run every 15 minutes fetches an article or two, so the per-page
monitors judge a ``Window``: this run and as many earlier ones as it takes to see
``min_pages`` pages. The monitors themselves are in ``crawler.health.monitors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, islice
from typing import Any

#: a monitor that tripped in a run is marked in that run's counts (``tripped/<name>``)
TRIPPED = "tripped/"
_DAY = timedelta(days=1)


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


def count(counts: Mapping[str, Any], key: str) -> int:
    """A count of a run (0 when missing or not a number)."""
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


def healthy(run: PastRun, monitor: str) -> bool:
    """An earlier run that went ok or degraded and did not trip ``monitor``."""
    return run.status in ("ok", "degraded") and not count(run.counts, TRIPPED + monitor)


@dataclass(frozen=True)
class Day:
    """The earlier runs that finished in one 24 h span (``History.days``)."""

    runs: int
    #: their "first seen" counts summed, backfills left out
    first_seen: int
    #: when the earliest of them started
    started: datetime | None


class History:
    """Earlier runs, newest first, as the monitors read them: held in a list here; the
    store's (``crawler.health.coverage.StoredHistory``) reads only what the monitors ask for:
    the counts of a few runs, not of every run of the last days."""

    def __init__(self, runs: Iterable[PastRun] = ()) -> None:
        self._runs = list(runs)

    def __iter__(self) -> Iterator[PastRun]:
        return iter(self._runs)

    def with_bodies(self, start: int, monitor: str, limit: int) -> list[Mapping[str, Any]]:
        """The counts of the first ``limit`` runs from the ``start``-th on that are
        ``healthy`` for ``monitor`` and evaluated articles."""
        return [r.counts for r in islice(self, start, None)
                if healthy(r, monitor) and count(r.counts, "evaluated")][:limit]

    def days(self, end: datetime, days: int) -> list[Day]:
        """Per span k (0..``days``) the runs that finished in (end - (k+1) days,
        end - k days]."""
        spans: list[list[PastRun]] = [[] for _ in range(days + 1)]
        for r in self:
            for k in range(days + 1):
                if end - (k + 1) * _DAY < r.finished <= end - k * _DAY:
                    spans[k].append(r)
        return [Day(len(rs), sum(count(r.counts, "first seen") for r in rs
                                 if not count(r.counts, "backfill")),
                    min((r.started for r in rs), default=None)) for rs in spans]


def as_history(history: Iterable[PastRun] | History) -> History:
    return history if isinstance(history, History) else History(history)


def window(run: RunFacts, history: Iterable[PastRun], limits: Limits, pages: str) -> Window:
    """Sum the counts of this run and the earlier ones (newest first) until ``pages``
    reaches ``min_pages``; at most ``history_runs`` runs. Reads the history only as far as
    it needs."""
    total: dict[str, int] = {}
    members: list[Mapping[str, Any]] = []
    reach = 0
    for index, past in enumerate(chain([None], history)):
        if len(members) >= max(limits.history_runs, 1) or total.get(pages, 0) >= limits.min_pages:
            break
        reach = index
        if past is not None and past.status not in ("ok", "degraded"):
            continue
        counts = run.counts if past is None else past.counts
        members.append(counts)
        for key, value in counts.items():
            if isinstance(value, int) and not key.startswith(TRIPPED):
                total[key] = total.get(key, 0) + value
    return Window(total, len(members), total.get(pages, 0), tuple(members), reach)


def too_few(monitor: str, seen: Window, limits: Limits, what: str) -> Reading:
    return Reading(monitor, None, value=f"{seen.pages} {what} in {seen.span}, fewer than "
                   f"{limits.min_pages}")
