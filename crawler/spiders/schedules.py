"""Adaptive polling wired to a crawl: which of a site's feeds and sitemaps are due this run,
and each one's schedule learned again from what its poll brought (crawler.polling).

The scheduled sources are the documents a run starts from: the site's feeds and its
top-level sitemaps (the sitemap index of The Moscow Times, the sitemaps a generic site
lists). What they lead to (monthly sitemaps, a sitemap index's sitemaps) is read when they
are. Each source's schedule lives in the store beside its poll record.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from crawler.polling import (
    FeedSchedule,
    Poll,
    PollingPolicy,
    PollResult,
    first_schedule,
    next_schedule,
)

#: test hook: the polling clock (POSIX seconds) instead of the wall clock, so that tests can
#: run a crawl "hours later" without waiting; only the schedules read it
CLOCK_VARIABLE = "MTWATCH_POLL_NOW"
#: HTTP statuses after which polling again will not help by itself
_HARD = ("http_400", "http_401", "http_403", "http_410", "http_451")


def poll_clock() -> float:
    """Now, for the schedules: ``$MTWATCH_POLL_NOW`` if set, else the wall clock."""
    given = os.environ.get(CLOCK_VARIABLE)
    return float(given) if given else time.time()


class ScheduleStore(Protocol):
    def poll_schedules(self, *, site: str) -> dict[str, dict[str, Any]]: ...

    def save_poll_schedule(self, url: str, schedule: dict[str, Any],
                           next_poll_at: datetime) -> None: ...


def failure_kind(reason: str) -> PollResult:
    """How lasting a failed poll is, from its reason ("http_410: Gone", "dns: ...")."""
    if reason.startswith(_HARD):
        return PollResult.HARD_FAILURE
    if reason.startswith("dns"):
        return PollResult.TEMPORARY_FAILURE
    return PollResult.SOFT_FAILURE


def retry_after_seconds(value: bytes | str | None, now: float) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from ``now``; None if absent
    or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when.timestamp() - now, 0.0)


def failure_retry_after(exc: BaseException | None, now: float) -> float | None:
    """The pause a failed request's server asked for: the one a Retry-After too long for the
    run carried (crawler.middlewares.RetryAfterTooLong), else its response's header."""
    carried = getattr(exc, "retry_after", None)
    if isinstance(carried, int | float):
        return float(carried)
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    return retry_after_seconds(headers.get(b"Retry-After") if headers else None, now)


class SourceSchedules:
    """One site's source schedules for one run.

    ``everything``: this run polls every source whatever its schedule (``--refresh``, a
    backfill, adaptive polling off); a site none of whose sources has a schedule yet (its
    first run) is polled whole too. Every poll still teaches the schedule.
    """

    def __init__(self, store: ScheduleStore, site: str, policy: PollingPolicy, *,
                 adaptive: bool = True, clock: Callable[[], float] = poll_clock) -> None:
        self.store = store
        self.site = site
        self.policy = policy
        self.adaptive = adaptive
        self.clock = clock
        self.known = {url: FeedSchedule.from_dict(data)
                      for url, data in store.poll_schedules(site=site).items()}
        #: the sources this run polls (requested) and those it leaves for later
        self.polled: list[str] = []
        self.not_due: list[str] = []
        #: each polled source's schedule before this run's poll: a second verdict on the
        #: same poll (a 304 whose copy lists nothing) is learned from it again, not stacked
        self._before: dict[str, FeedSchedule] = {}

    @property
    def first_run(self) -> bool:
        return not self.known

    def due(self, urls: Iterable[str], *, everything: bool = False) -> list[str]:
        """Those of ``urls`` this run polls (counted as polled; the others as not due)."""
        now = self.clock()
        poll_all = everything or not self.adaptive or self.first_run
        chosen = []
        for url in urls:
            known = self.known.get(url)
            if poll_all or known is None or known.next_poll_at <= now:
                chosen.append(url)
                self.polled.append(url)
            else:
                self.not_due.append(url)
        return chosen

    def tracks(self, url: str) -> bool:
        return url in self.polled

    def learn(self, url: str, poll: Poll) -> FeedSchedule | None:
        """The source's next schedule after ``poll``, kept in the store (None: not a
        scheduled source of this run)."""
        if url not in self.polled:
            return None
        now = self.clock()
        before = self._before.setdefault(
            url, self.known.get(url) or first_schedule(now, self.policy))
        after = next_schedule(before, poll, now, self.policy)
        self.known[url] = after
        self.store.save_poll_schedule(url, after.to_dict(),
                                      datetime.fromtimestamp(after.next_poll_at, UTC))
        return after

    def brought(self, url: str, new_items: int, items: int) -> FeedSchedule | None:
        """A read (200) listing ``items`` items, ``new_items`` of them never seen before."""
        return self.learn(url, Poll(PollResult.OK, new_items=new_items,
                                    seen_items=max(items - new_items, 0)))

    def unchanged(self, url: str) -> FeedSchedule | None:
        """A 304 (or a read that listed only what was seen)."""
        return self.learn(url, Poll(PollResult.OK, not_modified=True))

    def failed(self, url: str, reason: str, retry_after: float | None = None
               ) -> FeedSchedule | None:
        return self.learn(url, Poll(failure_kind(reason), retry_after=retry_after))
