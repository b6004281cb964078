"""Concurrency slots per host across workers: never more than the limit held at once, a slot
given back is free again, a slot of a dead worker frees itself when it expires."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.cluster.politeness import HostSlots
from tests.helpers.redisdb import RedisForTest, redis_for_test

__all__ = ["redis_for_test"]


def slots(r: RedisForTest, limit: int = 2, **per_host: int) -> HostSlots:
    return HostSlots(r.client, default=limit, ttl=30.0, per_host=per_host,
                     prefix=f"{r.prefix}slots:")


def test_at_most_the_limit_is_held_and_a_given_slot_is_free_again(
        redis_for_test: RedisForTest) -> None:
    hs = slots(redis_for_test, limit=2)
    assert hs.take("a.test", "w1:1", now=100.0)
    assert hs.take("a.test", "w2:1", now=100.0)
    assert not hs.take("a.test", "w3:1", now=100.0)
    assert hs.take("a.test", "w1:1", now=100.0)  # already this token's: still held, once
    assert hs.held("a.test") == 2
    assert hs.take("b.test", "w3:1", now=100.0)  # another host has slots of its own
    hs.give("a.test", "w2:1")
    assert hs.take("a.test", "w3:2", now=100.0)


def test_a_dead_workers_slot_expires(redis_for_test: RedisForTest) -> None:
    hs = slots(redis_for_test, limit=1)
    assert hs.take("a.test", "dead:1", now=100.0)
    assert not hs.take("a.test", "live:1", now=129.0)
    assert hs.take("a.test", "live:1", now=130.5)


def test_per_host_limits_and_bad_values(redis_for_test: RedisForTest) -> None:
    hs = slots(redis_for_test, limit=1, **{"Slow.Test.": 3})
    assert hs.limit("slow.test") == 3
    assert hs.limit("other.test") == 1
    with pytest.raises(ValueError, match="at least 1"):
        slots(redis_for_test, limit=0)
    with pytest.raises(ValueError, match="not a host"):
        hs.take("bad host", "t")


def test_racing_threads_never_hold_more_than_the_limit(redis_for_test: RedisForTest) -> None:
    hs = slots(redis_for_test, limit=3)

    def attempt(i: int) -> bool:
        return hs.take("race.test", f"t{i}", now=100.0)

    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(attempt, range(64)))
    assert sum(taken) == 3
    assert hs.held("race.test") == 3


def test_after_the_slots_are_lost_none_is_granted_until_the_holders_are_back(
        redis_for_test: RedisForTest) -> None:
    hs = HostSlots(redis_for_test.client, default=1, ttl=30.0, grace=5.0,
                   prefix=f"{redis_for_test.prefix}slots:")
    assert not hs.take("a.test", "w1:1", now=100.0)  # a new (or restarted) Redis: grace first
    assert hs.take("a.test", "w1:1", now=105.0)
    keys = list(redis_for_test.client.scan_iter(match=f"{redis_for_test.prefix}slots:*"))
    redis_for_test.client.delete(*keys)  # what a restart without persistence does
    assert not hs.take("a.test", "w2:1", now=106.0)
    hs.refresh({"w1:1": "a.test"})  # the holder's heartbeat holds its slot again
    assert hs.held("a.test") == 1
    assert not hs.take("a.test", "w2:1", now=111.5)  # grace over, and the slot is w1's
