"""Per-host token buckets in Redis: many threads never get more than burst + rate × elapsed
grants for one host, whatever the interleaving; time is driven step by step through ``now``."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from crawler.cluster.politeness import HostBuckets, HostRate
from tests.helpers.redisdb import RedisForTest, redis_for_test

__all__ = ["redis_for_test"]

THREADS = 6
ATTEMPTS_PER_STEP = 4
STEP = 0.25  # logical seconds between steps


def buckets(env: RedisForTest, rate: HostRate, **per_host: HostRate) -> HostBuckets:
    # a client per thread would also work; redis-py's pool makes one client thread-safe
    return HostBuckets(env.client, default=rate, per_host=per_host,
                       prefix=f"{env.prefix}bucket:")


def hammer(hb: HostBuckets, host: str, steps: int) -> list[int]:
    """THREADS threads each try ATTEMPTS_PER_STEP acquisitions at every logical step; the
    barrier keeps every thread on the same step. Returns grants per step."""
    grants = [0] * steps
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker() -> None:
        for step in range(steps):
            barrier.wait()
            now = 1_000.0 + step * STEP
            mine = sum(hb.acquire(host, now=now) == 0.0 for _ in range(ATTEMPTS_PER_STEP))
            with lock:
                grants[step] += mine
            barrier.wait()

    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(worker) for _ in range(THREADS)]:
            future.result(timeout=60)
    return grants


@pytest.mark.parametrize(("rate", "burst"), [(2.0, 1), (4.0, 5), (0.5, 3)])
def test_threads_never_exceed_rate_plus_burst(redis_for_test: RedisForTest, rate: float,
                                              burst: int) -> None:
    steps = 40
    grants = hammer(buckets(redis_for_test, HostRate(rate, burst)), "example.org", steps)
    # every window [i, j] of steps: at most burst + rate × (j - i) × STEP grants
    for i in range(steps):
        total = 0
        for j in range(i, steps):
            total += grants[j]
            assert total <= burst + rate * (j - i) * STEP + 1e-9, (i, j, grants)
    # and the bucket is not simply closed: over the whole run it hands out what it may
    allowed = burst + rate * (steps - 1) * STEP
    assert sum(grants) >= allowed - 1, grants
    assert grants[0] == burst


def test_hosts_have_their_own_buckets_and_rates(redis_for_test: RedisForTest) -> None:
    hb = buckets(redis_for_test, HostRate(1.0, 1), **{"slow.example": HostRate(0.1, 1)})
    assert hb.acquire("a.example", now=10.0) == 0.0
    assert hb.acquire("b.example", now=10.0) == 0.0
    assert hb.acquire("A.Example.", now=10.0) == pytest.approx(1.0)  # same host, normalised
    assert hb.acquire("slow.example", now=10.0) == 0.0
    assert hb.acquire("slow.example", now=12.0) == pytest.approx(8.0)
    assert hb.acquire("slow.example", now=20.0) == 0.0


def test_wait_is_the_time_until_the_next_token(redis_for_test: RedisForTest) -> None:
    hb = buckets(redis_for_test, HostRate(2.0, 2))
    assert [hb.acquire("h.example", now=0.0) for _ in range(2)] == [0.0, 0.0]
    assert hb.acquire("h.example", now=0.0) == pytest.approx(0.5)
    assert hb.acquire("h.example", now=0.25) == pytest.approx(0.25)  # refusals take nothing
    assert hb.acquire("h.example", now=0.5) == 0.0
    assert hb.acquire("h.example", now=0.5) == pytest.approx(0.5)
    # a clock that goes backwards (another machine's) never mints tokens
    assert hb.acquire("h.example", now=-100.0) == pytest.approx(0.5)


def test_default_clock_is_the_redis_servers(redis_for_test: RedisForTest) -> None:
    hb = buckets(redis_for_test, HostRate(0.001, 1))
    assert hb.acquire("t.example") == 0.0
    assert hb.acquire("t.example") > 900.0
    assert redis_for_test.client.ttl(hb.key_for("t.example")) > 0  # buckets expire when idle


@pytest.mark.parametrize("host", ["", " ", "a b", "x" * 300, "evil\nhost", "tab\there"])
def test_bad_host_names_are_refused(redis_for_test: RedisForTest, host: str) -> None:
    with pytest.raises(ValueError, match="not a host name"):
        buckets(redis_for_test, HostRate(1.0)).acquire(host, now=0.0)


@pytest.mark.parametrize(("rate", "burst"), [(0.0, 1), (-1.0, 1), (float("inf"), 1), (1.0, 0)])
def test_bad_rates_are_refused(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match=r"rate|burst"):
        HostRate(rate, burst)


def test_unreachable_redis_is_an_error_not_a_grant() -> None:
    client = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1,
                         retry=Retry(NoBackoff(), 0))
    hb = HostBuckets(client, default=HostRate(1.0))
    with pytest.raises(redis.ConnectionError):
        hb.acquire("example.org", now=0.0)
