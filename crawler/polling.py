"""Adaptive polling: how long to wait before polling a feed again, learned per feed.

A pure core (no clock, no I/O): the caller passes the time of the poll, what the poll
brought and the feed's previous :class:`FeedSchedule`, and gets the next one. The policy
follows the approach of Media Cloud's rss-fetcher:

* a poll whose items are mostly new (fewer than ``busy_below`` of them already seen) means
  items may be slipping past between polls: the interval shrinks by ``step``, or drops
  straight back to ``default`` when it had grown beyond it, never below ``minimum``;
* a poll that brings nothing new (a 304, an unchanged document, only items already seen)
  lengthens the interval by ``step``, or by ``quiet_step`` when the feed has had nothing new
  for ``quiet_after`` seconds, never above ``maximum``;
* anything in between keeps the interval;
* a failed poll leaves the learned interval alone and backs off linearly: the wait is the
  interval times the failures counted so far (hard failures count 1, soft ones
  ``soft_weight``, temporary ones ``temporary_weight``), capped at ``max_backoff``; a longer
  ``Retry-After`` from the server wins, capped at ``max_retry_after``. A success clears the
  failures.

Polls that ran early (before the interval minus ``tolerance``) do not lengthen the interval
and polls that ran late (after the interval plus ``tolerance``) do not shorten it: an early
poll naturally finds nothing and a late one naturally finds much.

All durations are seconds (floats); times are POSIX seconds. The crawl feeds it through
``crawler.spiders.schedules``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any


class PollResult(enum.Enum):
    """What one poll of a feed came to."""

    OK = "ok"  #: the feed was read (200 or 304); see ``new_items`` / ``seen_items``
    HARD_FAILURE = "hard"  #: a failure that will not go away by itself (bad URL, 410, …)
    SOFT_FAILURE = "soft"  #: may be transient (timeouts, 5xx, 404, 429, connection errors)
    TEMPORARY_FAILURE = "temporary"  #: surely transient (DNS "try again")


@dataclass(frozen=True)
class Poll:
    """One poll's outcome. ``not_modified`` is a 304 or an unchanged document."""

    result: PollResult
    new_items: int = 0
    seen_items: int = 0
    not_modified: bool = False
    retry_after: float | None = None

    def __post_init__(self) -> None:
        if self.new_items < 0 or self.seen_items < 0:
            raise ValueError("item counts cannot be negative")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after cannot be negative")


@dataclass(frozen=True)
class PollingPolicy:
    """The bounds and steps of the learning (from the site's configuration)."""

    minimum: float = 5 * 60
    default: float = 30 * 60
    maximum: float = 24 * 60 * 60
    step: float = 5 * 60
    quiet_step: float = 60 * 60
    quiet_after: float = 3 * 24 * 60 * 60
    #: fraction of already-seen items under which a poll counts as busy
    busy_below: float = 0.5
    tolerance: float = 5 * 60
    max_backoff: float = 48 * 60 * 60
    max_retry_after: float = 24 * 60 * 60
    soft_weight: float = 0.5
    temporary_weight: float = 0.25

    def __post_init__(self) -> None:
        if not 0 < self.minimum <= self.default <= self.maximum <= self.max_backoff:
            raise ValueError(
                "polling bounds must satisfy 0 < minimum <= default <= maximum <= max_backoff"
            )
        if self.step <= 0 or self.quiet_step < self.step:
            raise ValueError("polling steps must satisfy 0 < step <= quiet_step")
        if not 0 < self.busy_below <= 1:
            raise ValueError("busy_below must be in (0, 1]")
        if self.tolerance < 0 or self.quiet_after < 0 or self.max_retry_after < 0:
            raise ValueError("tolerance, quiet_after and max_retry_after cannot be negative")
        if not 0 <= self.temporary_weight <= self.soft_weight <= 1:
            raise ValueError("failure weights must satisfy 0 <= temporary <= soft <= 1")


@dataclass(frozen=True)
class FeedSchedule:
    """What is learned about one feed; JSON-serialisable through :meth:`to_dict`."""

    interval: float
    next_poll_at: float
    failures: float = 0.0
    last_success_at: float | None = None
    last_new_items_at: float | None = None
    created_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "interval": self.interval,
            "next_poll_at": self.next_poll_at,
            "failures": self.failures,
            "last_success_at": self.last_success_at,
            "last_new_items_at": self.last_new_items_at,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeedSchedule:
        def opt(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else float(value)

        return cls(
            interval=float(data["interval"]),
            next_poll_at=float(data["next_poll_at"]),
            failures=float(data.get("failures", 0.0)),
            last_success_at=opt("last_success_at"),
            last_new_items_at=opt("last_new_items_at"),
            created_at=float(data.get("created_at", 0.0)),
        )


def first_schedule(now: float, policy: PollingPolicy) -> FeedSchedule:
    """A feed never polled: poll it now, then every ``default`` until it has learned."""
    return FeedSchedule(interval=policy.default, next_poll_at=now, created_at=now)


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _failure_weight(result: PollResult, policy: PollingPolicy) -> float:
    if result is PollResult.HARD_FAILURE:
        return 1.0
    if result is PollResult.SOFT_FAILURE:
        return policy.soft_weight
    return policy.temporary_weight


def _shorter(interval: float, policy: PollingPolicy) -> float:
    if interval > policy.default:
        return policy.default
    return max(interval - policy.step, policy.minimum)


def _longer(schedule: FeedSchedule, now: float, policy: PollingPolicy) -> float:
    last_news = schedule.last_new_items_at
    quiet_since = schedule.created_at if last_news is None else last_news
    step = policy.quiet_step if now - quiet_since > policy.quiet_after else policy.step
    return min(schedule.interval + step, policy.maximum)


def _learned_interval(
    schedule: FeedSchedule, poll: Poll, now: float, policy: PollingPolicy
) -> float:
    interval = _clamp(schedule.interval, policy.minimum, policy.maximum)
    if schedule.last_success_at is None:
        return interval  # one poll says nothing about the feed's rhythm yet
    elapsed = now - schedule.last_success_at
    total = poll.new_items + poll.seen_items
    if poll.not_modified or poll.new_items == 0:
        if elapsed < interval - policy.tolerance:
            return interval  # polled early: finding nothing is expected
        return _longer(replace(schedule, interval=interval), now, policy)
    if poll.seen_items < policy.busy_below * total:
        if elapsed > interval + policy.tolerance:
            return interval  # polled late: finding much is expected
        return _shorter(interval, policy)
    return interval


def next_schedule(
    schedule: FeedSchedule, poll: Poll, now: float, policy: PollingPolicy
) -> FeedSchedule:
    """The feed's schedule after a poll that ended at ``now``."""
    if poll.result is PollResult.OK:
        interval = _learned_interval(schedule, poll, now, policy)
        got_news = poll.new_items > 0 and not poll.not_modified
        return FeedSchedule(
            interval=interval,
            next_poll_at=now + interval,
            failures=0.0,
            last_success_at=now,
            last_new_items_at=now if got_news else schedule.last_new_items_at,
            created_at=schedule.created_at,
        )
    interval = _clamp(schedule.interval, policy.minimum, policy.maximum)
    failures = schedule.failures + _failure_weight(poll.result, policy)
    wait = interval * failures if failures >= 1 else interval
    wait = _clamp(wait, interval, policy.max_backoff)
    if poll.retry_after is not None:
        wait = max(wait, min(poll.retry_after, policy.max_retry_after))
    return replace(schedule, interval=interval, failures=failures, next_poll_at=now + wait)
