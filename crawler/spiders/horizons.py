"""The run's side of backfill horizons: open one before any sitemap is read, mark months walked,
and keep the run's stats saying how far every unfinished one got (read by the run verdict).

Every crawl — ``mtwatch run``, the daemon, a manual ``scrapy crawl`` — continues the unfinished
horizons it finds in the store; the crawl lock makes this process their only writer.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any

from pipelines.storage import Store
from pipelines.storage.backfills import Backfill

logger = logging.getLogger(__name__)

#: stats the verdict reads: the unfinished horizons' progress (text) and their month counts
UNFINISHED = "mtwatch/backfill/unfinished"
MONTHS = "mtwatch/backfill/months"
WALKED = "mtwatch/backfill/walked"


def _now() -> datetime:
    return datetime.now(UTC)


class Horizons:
    """The store's unfinished backfills, as this run walks them."""

    def __init__(self, store: Store, site: str) -> None:
        self.store = store
        #: the site whose backfills these are
        self.site = site
        #: set by the spider's from_crawler; its stats exist once the crawl starts
        self.crawler: Any = None
        #: the unfinished horizons, read by :meth:`load` once the crawl holds the crawl lock
        self.open: list[Backfill] = []
        #: the horizon this run opened for a feed overflow (a later feed may widen it)
        self._auto: Backfill | None = None

    def load(self) -> list[Backfill]:
        """Read the unfinished horizons (call once the crawl lock is held)."""
        self.open = self.store.unfinished_backfills(site=self.site)
        self.publish()
        return self.open

    def begin(self, since: date, backfill_days: str | None = None) -> Backfill:
        """``--since`` / ``--backfill-days``: record the horizon now, before any sitemap is read;
        an unfinished one with the same first day is continued instead."""
        trigger, reason = (("backfill_days", f"--backfill-days {backfill_days}") if backfill_days
                           else ("since", f"--since {since.isoformat()}"))
        for horizon in self.open:
            if horizon.since == since:
                logger.info("continuing %s (%s)", horizon.progress(), horizon.reason)
                return horizon
        now = _now()
        horizon = Backfill.start(trigger, since, reason, today=now.date(), now=now)
        return self._save(horizon, "backfill since %s recorded: %d months to walk")

    def overflowed(self, start: datetime, reason: str) -> Backfill:
        """A feed window overflowed: everything since ``start`` must be walked (before the feed's
        new high-water mark is saved, so a kill in between cannot forget the gap)."""
        since, now = start.astimezone(UTC).date(), _now()
        if self._auto is not None:
            self._auto = self._save(self._auto.widen(since, reason, now))
        else:
            horizon = Backfill.start("auto", since, reason, today=now.date(), now=now)
            self._auto = self._save(horizon, "automatic backfill since %s recorded: %d months")
        return self._auto

    def listed(self, months: Collection[str]) -> None:
        """The sitemap index lists ``months``: none exists before the first or after the last."""
        now = _now()
        for horizon in list(self.open):
            fitted = horizon.fit(months, now)
            if fitted != horizon:
                self._save(fitted)

    def walked(self, month: str) -> None:
        """``month``'s sitemap was read and everything it lists is in the store."""
        now = _now()
        for horizon in list(self.open):
            done = horizon.walk(month, now)
            if done != horizon:
                self._save(done)
                if done.finished:
                    logger.warning("%s (%s)", done.progress(), done.reason)

    def _save(self, horizon: Backfill, message: str = "") -> Backfill:
        saved = self.store.save_backfill(horizon, site=self.site)
        if message:
            logger.warning(message, saved.since.isoformat(), len(saved.months))
        self.open = [h for h in self.open if h.id != saved.id]
        if not saved.finished:
            self.open.append(saved)
        if self._auto is not None and self._auto.id == saved.id:
            self._auto = saved
        self.publish()
        return saved

    def publish(self) -> None:
        """Put the unfinished horizons' progress in the run's stats (the verdict reads it)."""
        if self.crawler is None:
            return
        stats = self.crawler.stats
        stats.set_value(UNFINISHED, "; ".join(h.progress() for h in self.open))
        stats.set_value(MONTHS, sum(len(h.months) for h in self.open))
        stats.set_value(WALKED, sum(len(h.months) - len(h.left) for h in self.open))

