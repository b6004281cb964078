"""The Trends page: matches per week per topic and per site, over the runs' coverage."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from crawler.web import weekly
from crawler.web.text import clip
from pipelines.storage import Store
from pipelines.storage.desk_stats import match_points, run_points

DEFAULT_WEEKS = 26
MAX_WEEKS = 260
CHARTS = ("topics", "sites", "coverage")


@dataclass(frozen=True)
class Window:
    """The weeks shown: ``weeks`` weeks up to the week of ``until``."""

    until: date
    weeks: int
    errors: tuple[str, ...] = ()

    @property
    def params(self) -> dict[str, str]:
        return {"until": self.until.isoformat(), "weeks": str(self.weeks)}


def parse(params: Mapping[str, str], today: date) -> Window:
    errors = []
    until, weeks = today, DEFAULT_WEEKS
    raw_until, raw_weeks = str(params.get("until", "")), str(params.get("weeks", ""))
    if raw_until:
        try:
            until = date.fromisoformat(raw_until)
        except ValueError:
            errors.append(f"until: expected a day like 2026-06-23, got {clip(raw_until, 40)!r}")
    if raw_weeks:
        if raw_weeks.isdigit() and 1 <= int(raw_weeks) <= MAX_WEEKS:
            weeks = int(raw_weeks)
        else:
            errors.append(f"weeks: expected 1 to {MAX_WEEKS}, got {clip(raw_weeks, 40)!r}")
    return Window(until, weeks, tuple(errors))


def weeks(store: Store, window: Window) -> list[weekly.Week]:
    starts, begin, end = weekly.window(window.until, window.weeks)
    with store.read("desk_trends") as conn:
        found = match_points(conn, begin, end)
        runs = run_points(conn, begin, end)
    return weekly.weeks_of(starts, found, runs)


def chart(name: str, table: list[weekly.Week]) -> str:
    """One chart's SVG (pygal): ``topics``, ``sites`` or ``coverage``."""
    if name == "topics":
        return weekly.per_key_chart("Matches per week, by topic", table, "by_topic")
    if name == "sites":
        return weekly.per_key_chart("Matches per week, by site", table, "by_site")
    return weekly.coverage_chart(table)


class WeekCache:
    """The weekly table of a window, reused for ``ttl`` seconds: a Trends page and the three
    charts it shows ask for the same figures within a second."""

    def __init__(self, store: Store, ttl: float = 30, size: int = 16) -> None:
        self.store, self.ttl, self.size = store, ttl, size
        self._found: dict[Window, tuple[float, list[weekly.Week]]] = {}
        self._lock = threading.Lock()

    def get(self, window: Window) -> list[weekly.Week]:
        now = time.monotonic()
        with self._lock:
            hit = self._found.get(window)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        table = weeks(self.store, window)
        with self._lock:
            if len(self._found) >= self.size:
                self._found.clear()
            self._found[window] = (now, table)
        return table


def context(store: Store, window: Window, table: list[weekly.Week] | None = None
            ) -> dict[str, Any]:
    table = weeks(store, window) if table is None else table
    return {"window": window, "weeks": list(reversed(table)), "charts": CHARTS,
            "totals": weekly.totals(table), "errors": list(window.errors),
            "week": timedelta(days=6)}
