"""Adaptive feed polling (crawler/polling.py): bounds, reactions, back-off, determinism."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.polling import (
    FeedSchedule,
    Poll,
    PollingPolicy,
    PollResult,
    first_schedule,
    next_schedule,
)

MIN = 60.0
POLICY = PollingPolicy(
    minimum=5 * MIN,
    default=30 * MIN,
    maximum=6 * 60 * MIN,
    step=5 * MIN,
    quiet_step=30 * MIN,
    quiet_after=24 * 60 * MIN,
    tolerance=2 * MIN,
    max_backoff=12 * 60 * MIN,
    max_retry_after=24 * 60 * MIN,
)

BUSY = Poll(PollResult.OK, new_items=10, seen_items=2)
QUIET = Poll(PollResult.OK, new_items=0, seen_items=12)
NOT_MODIFIED = Poll(PollResult.OK, not_modified=True)
HARD = Poll(PollResult.HARD_FAILURE)
SOFT = Poll(PollResult.SOFT_FAILURE)


def on_time(schedule: FeedSchedule, poll: Poll) -> FeedSchedule:
    """Poll exactly when the schedule says."""
    return next_schedule(schedule, poll, schedule.next_poll_at, POLICY)


def learned(start: float = 0.0) -> FeedSchedule:
    """A feed that has had one successful poll (so the next one can teach something)."""
    return on_time(first_schedule(start, POLICY), BUSY)


def test_a_new_feed_is_polled_at_once_then_at_the_default() -> None:
    first = first_schedule(1000.0, POLICY)
    assert first.next_poll_at == 1000.0
    after = on_time(first, QUIET)
    assert after.interval == POLICY.default
    assert after.next_poll_at == 1000.0 + POLICY.default


def test_busy_polls_shorten_the_interval_step_by_step_down_to_the_minimum() -> None:
    schedule = learned()
    seen = []
    for _ in range(10):
        schedule = on_time(schedule, BUSY)
        seen.append(schedule.interval / MIN)
    assert seen == [25, 20, 15, 10, 5, 5, 5, 5, 5, 5]


def test_quiet_polls_lengthen_the_interval_up_to_the_maximum() -> None:
    schedule = learned()
    for poll in (QUIET, NOT_MODIFIED, QUIET):
        before = schedule.interval
        schedule = on_time(schedule, poll)
        assert schedule.interval == before + POLICY.step
    for _ in range(200):
        schedule = on_time(schedule, NOT_MODIFIED)
    assert schedule.interval == POLICY.maximum


def test_a_feed_quiet_for_long_lengthens_by_the_larger_step() -> None:
    schedule = learned()
    while schedule.next_poll_at - (schedule.last_new_items_at or 0) <= POLICY.quiet_after:
        schedule = on_time(schedule, QUIET)
    before = schedule.interval
    schedule = on_time(schedule, QUIET)
    assert schedule.interval == min(before + POLICY.quiet_step, POLICY.maximum)


def test_a_busy_poll_after_a_long_interval_drops_back_to_the_default() -> None:
    schedule = learned()
    for _ in range(30):
        schedule = on_time(schedule, QUIET)
    assert schedule.interval > POLICY.default
    assert on_time(schedule, BUSY).interval == POLICY.default


def test_a_mixed_poll_keeps_the_interval() -> None:
    schedule = on_time(learned(), QUIET)
    mixed = Poll(PollResult.OK, new_items=3, seen_items=9)
    assert on_time(schedule, mixed).interval == schedule.interval


def test_early_polls_do_not_lengthen_and_late_polls_do_not_shorten() -> None:
    schedule = learned()
    early = next_schedule(schedule, QUIET, schedule.next_poll_at - 10 * MIN, POLICY)
    assert early.interval == schedule.interval
    late = next_schedule(schedule, BUSY, schedule.next_poll_at + 10 * MIN, POLICY)
    assert late.interval == schedule.interval


def test_failures_back_off_linearly_and_a_success_clears_them() -> None:
    schedule = learned()
    interval = schedule.interval
    now = schedule.next_poll_at
    waits = []
    for _ in range(4):
        schedule = next_schedule(schedule, HARD, now, POLICY)
        waits.append((schedule.next_poll_at - now) / interval)
        now = schedule.next_poll_at
        assert schedule.interval == interval  # the learned interval is kept
    assert waits == [1, 2, 3, 4]
    recovered = next_schedule(schedule, QUIET, now, POLICY)
    assert recovered.failures == 0
    assert recovered.next_poll_at - now == recovered.interval


def test_soft_failures_count_half() -> None:
    schedule = learned()
    now = schedule.next_poll_at
    for expected in (0.5, 1.0, 1.5):
        schedule = next_schedule(schedule, SOFT, now, POLICY)
        assert schedule.failures == expected
    assert schedule.next_poll_at - now == pytest.approx(1.5 * schedule.interval)


def test_back_off_is_capped_and_a_longer_retry_after_wins() -> None:
    schedule = learned()
    for _ in range(100):
        schedule = next_schedule(schedule, HARD, 0.0, POLICY)
    assert schedule.next_poll_at == POLICY.max_backoff
    fresh = learned()
    told = Poll(PollResult.SOFT_FAILURE, retry_after=3 * 60 * MIN)
    assert next_schedule(fresh, told, 0.0, POLICY).next_poll_at == 3 * 60 * MIN
    greedy = Poll(PollResult.SOFT_FAILURE, retry_after=10**9)
    assert next_schedule(fresh, greedy, 0.0, POLICY).next_poll_at == POLICY.max_retry_after


def test_schedule_round_trips_through_json() -> None:
    schedule = next_schedule(learned(), HARD, 5000.0, POLICY)
    again = FeedSchedule.from_dict(json.loads(json.dumps(schedule.to_dict())))
    assert again == schedule


@pytest.mark.parametrize(
    "kwargs",
    [
        {"minimum": 0},
        {"minimum": 100, "default": 50},
        {"maximum": 10, "default": 20, "minimum": 5},
        {"max_backoff": 60},
        {"step": 0},
        {"busy_below": 0},
        {"soft_weight": 2},
    ],
)
def test_policy_rejects_inconsistent_bounds(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"must|cannot"):
        PollingPolicy(**kwargs)


def test_poll_rejects_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        Poll(PollResult.OK, new_items=-1)


# --- properties ------------------------------------------------------------------------

polls = st.one_of(
    st.builds(
        Poll,
        result=st.just(PollResult.OK),
        new_items=st.integers(0, 50),
        seen_items=st.integers(0, 50),
        not_modified=st.booleans(),
    ),
    st.builds(
        Poll,
        result=st.sampled_from(
            [PollResult.HARD_FAILURE, PollResult.SOFT_FAILURE, PollResult.TEMPORARY_FAILURE]
        ),
        retry_after=st.none() | st.floats(0, 10**7),
    ),
)
#: how far from the scheduled time each poll really ran (seconds)
jitters = st.floats(-3600, 3 * 3600, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(history=st.lists(st.tuples(polls, jitters), max_size=40))
def test_interval_and_wait_always_stay_within_bounds(
    history: list[tuple[Poll, float]],
) -> None:
    schedule = first_schedule(0.0, POLICY)
    now = 0.0
    for poll, jitter in history:
        now = max(now, schedule.next_poll_at + jitter)
        schedule = next_schedule(schedule, poll, now, POLICY)
        assert POLICY.minimum <= schedule.interval <= POLICY.maximum
        wait = schedule.next_poll_at - now  # float time stamps: allow rounding
        low, high = POLICY.minimum, max(POLICY.max_backoff, POLICY.max_retry_after)
        assert low - 1e-6 <= wait <= high + 1e-6


@settings(max_examples=300, deadline=None)
@given(
    history=st.lists(st.tuples(polls, jitters), max_size=30),
    poll=polls,
    jitter=jitters,
)
def test_reactions_are_monotone(
    history: list[tuple[Poll, float]], poll: Poll, jitter: float
) -> None:
    schedule = first_schedule(0.0, POLICY)
    now = 0.0
    for past, past_jitter in history:
        now = max(now, schedule.next_poll_at + past_jitter)
        schedule = next_schedule(schedule, past, now, POLICY)
    now = max(now, schedule.next_poll_at + jitter)
    after = next_schedule(schedule, poll, now, POLICY)
    if poll.result is not PollResult.OK:
        # a failure never polls sooner than the learned interval and never unlearns it
        assert after.interval == max(min(schedule.interval, POLICY.maximum), POLICY.minimum)
        assert after.next_poll_at - now >= after.interval - 1e-6
        assert after.failures > schedule.failures or after.failures == schedule.failures == 0
        return
    if poll.not_modified or poll.new_items == 0:
        assert after.interval >= schedule.interval  # nothing new never shortens
    else:
        assert after.interval <= schedule.interval or after.interval == POLICY.minimum
    # one more new item (the same number seen) never makes the interval longer
    more = Poll(PollResult.OK, new_items=poll.new_items + 1, seen_items=poll.seen_items)
    assert next_schedule(schedule, more, now, POLICY).interval <= after.interval


@settings(max_examples=100, deadline=None)
@given(history=st.lists(st.tuples(polls, jitters), max_size=30))
def test_same_history_same_schedule(history: list[tuple[Poll, float]]) -> None:
    def replay() -> FeedSchedule:
        schedule = first_schedule(0.0, POLICY)
        now = 0.0
        for poll, jitter in history:
            now = max(now, schedule.next_poll_at + jitter)
            schedule = next_schedule(schedule, poll, now, POLICY)
        return schedule

    assert replay() == replay()
