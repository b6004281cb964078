"""What one run reads: which monthly sitemaps, did a feed overflow, where backfill starts, which
months of unfinished backfills are still to walk. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from crawler.pages.discovery import FeedEntry, MonthlySitemap
from pipelines.storage.backfills import Backfill, month_key
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
    #: months of unfinished backfills not walked yet ("YYYY-MM"): read on every run until done
    pending: frozenset[str] = frozenset()
    #: the earliest first day of those backfills
    horizon_since: date | None = None

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

    def follow(self, horizons: Sequence[Backfill]) -> None:
        """Read what the store's unfinished backfills still need (after each change to them)."""
        open_ = [h for h in horizons if not h.finished]
        self.pending = frozenset(m for h in open_ for m in h.left)
        self.horizon_since = min((h.since for h in open_), default=None)

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
        chosen = [m for m in months if month_key(m.year, m.month) in self.pending]
        if self.since is not None:
            chosen += [m for m in months if (m.year, m.month) >= _month(self.since)]
            return sorted(set(chosen), reverse=True)
        chosen += months[: self.sitemap_months]
        floor = self.floor()
        if floor is not None:
            chosen += [m for m in months if (m.year, m.month) >= _month(floor)]
        for m in months:
            # the index says the file changed since an earlier run read it
            known = sources.get(m.url)
            if known is not None and known.lastmod and m.lastmod and known.lastmod != m.lastmod:
                chosen.append(m)
        return sorted(set(chosen), reverse=True)

    def unlisted(self, months: Sequence[MonthlySitemap]) -> list[tuple[int, int]]:
        """Backfill months the index skips although it lists older and newer ones: asked for
        by their URL pattern (a damaged index must not end a backfill early)."""
        listed = {month_key(m.year, m.month) for m in months}
        if not listed:
            return []
        oldest, newest = min(listed), max(listed)
        return [(int(key[:4]), int(key[5:])) for key in sorted(self.pending, reverse=True)
                if oldest < key < newest and key not in listed]

    def guessed_months(self, today: date) -> list[tuple[int, int]]:
        """Months to try by URL pattern when the index cannot be read."""
        return sorted(set(self._guessed(today)) | {(int(k[:4]), int(k[5:])) for k in self.pending},
                      reverse=True)

    def _guessed(self, today: date) -> list[tuple[int, int]]:
        if self.since is not None:
            return month_range(self.since, today)
        floor = self.floor()
        start = floor.astimezone(UTC).date() if floor is not None else today
        found = month_range(start, today)
        return found if len(found) >= self.sitemap_months else month_range(
            _shift(today, -max(self.sitemap_months - 1, 0)), today)

    def keeps(self, day: date | None) -> bool:
        """Is an article of this URL date in range (``--since``, or an earlier unfinished
        backfill whose months this run also reads)?"""
        if self.since is None or day is None:
            return True
        return day >= min(self.since, self.horizon_since or self.since)

    def listing_continues(self, oldest_day: date | None) -> bool:
        """Walk the listing further while its items are newer than the backfill start."""
        start = self.backfill_from.date() if self.backfill_from is not None else None
        if start is None or oldest_day is None:
            return False
        return oldest_day >= start


def _shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
