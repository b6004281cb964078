"""Trends: matches per week per topic and per site, and the runs' coverage of each week, so
a week without matches can be told apart from a week the crawler was down."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pygal
from pygal.style import Style

from pipelines.storage.desk_stats import MatchPoint, RunPoint

SUCCESS = ("ok", "degraded")
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1f2933",
    foreground_strong="#1f2933", foreground_subtle="#8a96a3", opacity=".9",
    opacity_hover="1", font_family="system-ui, sans-serif", label_font_size=11,
    major_label_font_size=11, legend_font_size=12, title_font_size=14, no_data_font_size=18,
    colors=("#1d6fb8", "#d9822b", "#2b9e6b", "#b8323d", "#7a5cc0", "#6b7a89"),
)  # fmt: skip
#: run statuses in the coverage chart, and their colours
RUN_SERIES = (("ok", "#2b9e6b"), ("degraded", "#d9b22b"), ("failed", "#b8323d"),
              ("skipped / missed", "#8a96a3"))  # fmt: skip


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def window(until: date, weeks: int) -> tuple[list[date], datetime, datetime]:
    """The Mondays of the ``weeks`` weeks ending with the week of ``until``; [start, end)."""
    last = monday(until)
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    begin = datetime.combine(starts[0], time(), tzinfo=UTC)
    return starts, begin, datetime.combine(last + timedelta(weeks=1), time(), tzinfo=UTC)


@dataclass
class Week:
    """One week (Monday, UTC) of matches and crawling."""

    start: date
    matches: int = 0
    by_topic: Counter[str] = field(default_factory=Counter)
    by_site: Counter[str] = field(default_factory=Counter)
    runs: Counter[str] = field(default_factory=Counter)
    evaluated: int = 0

    @property
    def coverage(self) -> str:
        """How well the crawler covered the week: "covered", "partial" (some runs failed or
        were missed), "outage" (runs, none successful) or "no runs"."""
        if not self.runs:
            return "no runs"
        good = sum(self.runs[s] for s in SUCCESS)
        if not good:
            return "outage"
        return "partial" if good < sum(self.runs.values()) else "covered"


def weeks_of(starts: Sequence[date], matches: Sequence[MatchPoint], runs: Sequence[RunPoint]
             ) -> list[Week]:
    table = {start: Week(start) for start in starts}
    for m in matches:
        week = table.get(monday(m.day))
        if week is not None:
            week.matches += m.count
            week.by_topic[m.topic] += m.count
            week.by_site[m.site] += m.count
    for r in runs:
        week = table.get(monday(r.day))
        if week is not None:
            status = r.status if r.status in ("ok", "degraded", "failed") else "skipped / missed"
            week.runs[status] += r.count
            week.evaluated += r.evaluated
    return [table[start] for start in starts]


def _chart(kind: type[pygal.graph.graph.Graph], title: str, weeks: Sequence[Week],
           **options: object) -> pygal.graph.graph.Graph:
    chart = kind(style=STYLE, js=[], width=960, height=300, explicit_size=True, title=title,
                 x_label_rotation=40,
                 show_minor_x_labels=False, x_labels_major_every=max(1, len(weeks) // 13),
                 legend_at_bottom=True, margin=12, print_zeroes=False, **options)
    chart.x_labels = [w.start.strftime("%Y-%m-%d") for w in weeks]
    return chart


def _counts_axis(chart: pygal.graph.graph.Graph, highest: int) -> None:
    """Whole-number ticks: counts have no tenths."""
    step = max(1, math.ceil(highest / 8))
    chart.y_labels = list(range(0, max(highest, 1) + step, step))


def per_key_chart(title: str, weeks: Sequence[Week], attr: str) -> str:
    """Matches per week, one line per topic (``by_topic``) or per site (``by_site``)."""
    keys = sorted({k for w in weeks for k in getattr(w, attr)})
    chart = _chart(pygal.Line, title, weeks, fill=False, show_dots=True, dots_size=2,
                   y_title="matches", no_data_text="no matches in these weeks")
    for key in keys:
        chart.add(key, [getattr(w, attr)[key] for w in weeks])
    if keys:  # no series: pygal shows no_data_text (and cannot take y_labels)
        _counts_axis(chart, max(max(getattr(w, attr).values(), default=0) for w in weeks))
    return str(chart.render(is_unicode=True))


def coverage_chart(weeks: Sequence[Week]) -> str:
    """Runs per week by outcome (stacked), with the articles evaluated on a second axis."""
    colors = (*(c for _, c in RUN_SERIES), "#1d6fb8")
    style = Style(**{**STYLE.to_dict(), "colors": colors})
    chart = _chart(pygal.StackedBar, "Crawler coverage: runs per week (articles evaluated →)",
                   weeks, y_title="runs", no_data_text="no runs in these weeks")
    chart.config.style = style
    for status, _ in RUN_SERIES:
        chart.add(status, [w.runs[status] for w in weeks])
    chart.add("articles evaluated", [w.evaluated for w in weeks], secondary=True)
    _counts_axis(chart, max((sum(w.runs.values()) for w in weeks), default=0))
    return str(chart.render(is_unicode=True))


def totals(weeks: Sequence[Week]) -> dict[str, int]:
    found: dict[str, int] = defaultdict(int)
    for w in weeks:
        found["matches"] += w.matches
        found["runs"] += sum(w.runs.values())
        found[w.coverage] += 1
    return dict(found)
