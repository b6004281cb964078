"""The worker registry: register, heartbeat, expiry, and the list ``mtwatch status`` shows."""

from __future__ import annotations

import pytest

from crawler.cluster.workers import WorkerRegistry, WorkerStatus
from tests.helpers.redisdb import RedisForTest, redis_for_test

__all__ = ["redis_for_test"]

EXPIRY = 30.0


def registry(env: RedisForTest) -> WorkerRegistry:
    return WorkerRegistry(env.client, expiry=EXPIRY, prefix=f"{env.prefix}workers:")


def test_registered_workers_are_listed_with_heartbeat_and_in_flight(
        redis_for_test: RedisForTest) -> None:
    reg = registry(redis_for_test)
    a = reg.register(100.0, host="alpha", pid=11)
    b = reg.register(105.0, host="beta", pid=22)
    assert reg.heartbeat(a, 110.0, in_flight=7)
    assert reg.workers(112.0) == [
        WorkerStatus(a, "alpha", 11, 100.0, 110.0, 7),
        WorkerStatus(b, "beta", 22, 105.0, 105.0, 0),
    ]
    assert reg.workers(112.0)[0].age(112.0) == pytest.approx(2.0)


def test_a_silent_worker_expires_and_must_register_again(redis_for_test: RedisForTest) -> None:
    reg = registry(redis_for_test)
    alive = reg.register(0.0, host="alive", pid=1)
    silent = reg.register(0.0, host="silent", pid=2)
    for now in (10.0, 20.0, 30.0):
        assert reg.heartbeat(alive, now, in_flight=1)
    assert [w.host for w in reg.workers(EXPIRY)] == ["alive", "silent"]  # exactly at expiry
    assert [w.host for w in reg.workers(EXPIRY + 0.5)] == ["alive"]
    assert not reg.heartbeat(silent, EXPIRY + 1.0, in_flight=0)  # too late: not revived
    assert [w.host for w in reg.workers(EXPIRY + 1.0)] == ["alive"]
    assert not redis_for_test.client.exists(f"{redis_for_test.prefix}workers:w:{silent}")
    again = reg.register(EXPIRY + 1.0, host="silent", pid=2)
    assert again != silent
    assert {w.worker_id for w in reg.workers(EXPIRY + 1.0)} == {alive, again}


def test_prune_without_listing_returns_the_dead(redis_for_test: RedisForTest) -> None:
    reg = registry(redis_for_test)
    dead = reg.register(0.0, host="h", pid=1)
    live = reg.register(50.0, host="h", pid=2)
    assert reg.prune(60.0) == [dead]
    assert reg.prune(60.0) == []
    assert [w.worker_id for w in reg.workers(60.0)] == [live]


def test_unregister_and_hostile_fields(redis_for_test: RedisForTest) -> None:
    reg = registry(redis_for_test)
    w = reg.register(0.0, host="evil\x1b[31mhost\nname" + "x" * 400, pid=3)
    (status,) = reg.workers(1.0)
    assert "\x1b" not in status.host
    assert "\n" not in status.host
    assert len(status.host) <= 255
    # a record mangled in Redis is skipped, not a crash
    redis_for_test.client.hset(f"{redis_for_test.prefix}workers:w:{w}", "pid", "not a pid")
    assert reg.workers(1.0) == []
    reg.unregister(w)
    assert not reg.heartbeat(w, 2.0, in_flight=0)
    with pytest.raises(ValueError, match="negative"):
        reg.heartbeat(reg.register(3.0, host="h", pid=4), 3.0, in_flight=-1)


def test_default_identity_is_this_process(redis_for_test: RedisForTest) -> None:
    import os
    import socket

    reg = registry(redis_for_test)
    reg.register(0.0)
    (status,) = reg.workers(0.0)
    assert (status.pid, status.host) == (os.getpid(), socket.gethostname()[:255])


@pytest.mark.parametrize("expiry", [0.0, -1.0, float("nan")])
def test_bad_expiry_is_refused(redis_for_test: RedisForTest, expiry: float) -> None:
    with pytest.raises(ValueError, match="expiry"):
        WorkerRegistry(redis_for_test.client, expiry=expiry)
