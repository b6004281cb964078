"""What one run reads: which monthly sitemaps, did a feed overflow, where backfill starts. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from crawler.pages.discovery import FeedEntry, MonthlySitemap
from pipelines.storage.sources import SourceState

#: publication times are not strictly ordered (late drafts): look a day further back
MARGIN = timedelta(days=1)


def _month(value: date | datetime) -> tuple[int, int]:
    return value.year, value.month


def month_range(start: date, end: date) -> list[tuple[int, int]]:
    """Every (year, month) from ``start``'s month to ``end``'s, newest first."""
    out: list[tuple[int, int]] = []
    year, month = _month(start)
    while (year, month) <= _month(end):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out[::-1]


@dataclass
class DiscoveryPlan:
    """The reading plan of one run, refined as the feeds come in."""

    #: ``--since`` / ``--backfill-days``: every month from there, every article from that day
    since: date | None
    #: the newest N monthly sitemaps are read on every run
    sitemap_months: int
    #: per feed URL, the newest item earlier runs saw (site clock)
    marks: dict[str, datetime] = field(default_factory=dict)
    #: set when a feed window overflowed: backfill everything published since then
    backfill_from: datetime | None = None
    reasons: list[str] = field(default_factory=list)

    @classmethod
    def from_sources(cls, since: date | None, sitemap_months: int,
                     sources: Mapping[str, SourceState]) -> DiscoveryPlan:
        marks = {url: s.newest_item for url, s in sources.items()
                 if s.kind == "feed" and s.newest_item is not None}
        return cls(since, sitemap_months, marks)

    def read_feed(self, url: str, entries: Sequence[FeedEntry]) -> datetime | None:
        """Note a freshly read feed; its new high-water mark (None if it has no dates)."""
        dates = [e.published for e in entries if e.published is not None]
        if not dates:
            return self.marks.get(url)
        previous = self.marks.get(url)
        oldest, newest = min(dates), max(dates)
        if previous is not None and oldest > previous:
            # items between the previous mark and the oldest item now listed were never seen
            start = previous - MARGIN
            self.backfill_from = min(self.backfill_from or start, start)
            self.reasons.append(f"{url}: oldest item {oldest:%Y-%m-%d %H:%M} is newer than "
                                f"the newest one seen before ({previous:%Y-%m-%d %H:%M})")
        return max(newest, previous) if previous is not None else newest

    @property
    def backfilling(self) -> bool:
        return self.backfill_from is not None

    def floor(self) -> datetime | None:
        """Every month from this instant on is read (None: only the newest months)."""
        candidates = []
        if self.marks:
            candidates.append(max(self.marks.values()) - MARGIN)
        if self.backfill_from is not None:
            candidates.append(self.backfill_from)
        return min(candidates) if candidates else None

    def months_to_read(self, months: Sequence[MonthlySitemap],
                       sources: Mapping[str, SourceState]) -> list[MonthlySitemap]:
        """The monthly sitemaps this run reads, newest first."""
        if self.since is not None:
            return [m for m in months if (m.year, m.month) >= _month(self.since)]
        chosen = list(months[: self.sitemap_months])
        floor = self.floor()
        if floor is not None:
            chosen += [m for m in months if (m.year, m.month) >= _month(floor)]
        for m in months:
            # the index says the file changed since an earlier run read it
            known = sources.get(m.url)
            if known is not None and known.lastmod and m.lastmod and known.lastmod != m.lastmod:
                chosen.append(m)
        return sorted(set(chosen), reverse=True)

    def guessed_months(self, today: date) -> list[tuple[int, int]]:
        """Months to try by URL pattern when the index cannot be read."""
        if self.since is not None:
            return month_range(self.since, today)
        floor = self.floor()
        start = floor.astimezone(UTC).date() if floor is not None else today
        found = month_range(start, today)
        return found if len(found) >= self.sitemap_months else month_range(
            _shift(today, -max(self.sitemap_months - 1, 0)), today)

    def keeps(self, day: date | None) -> bool:
        """Is an article of this URL date in range (``--since``)?"""
        return self.since is None or day is None or day >= self.since

    def listing_continues(self, oldest_day: date | None) -> bool:
        """Walk the listing further while its items are newer than the backfill start."""
        start = self.backfill_from.date() if self.backfill_from is not None else None
        if start is None or oldest_day is None:
            return False
        return oldest_day >= start


def _shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
