"""Per-host politeness across every worker: one token bucket per host, kept in Redis.

Scrapy's download slots are per process, so N workers would make N times the per-host rate.
Each worker asks ``HostBuckets.acquire(host)`` before a request to that host goes out; the
answer is how long to wait (0.0: go now, one token taken). The bucket's arithmetic runs as one
Lua script, so concurrent workers on any number of machines never see a half-updated bucket.

The clock is an argument of the script: by default the Redis server's ``TIME`` (one clock for
every machine, no skew between workers); tests pass ``now`` to drive time step by step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import redis

#: KEYS[1] the host's bucket (a hash: tokens, ts)
#: ARGV rate (tokens per second), burst (capacity), now (seconds, or "" for Redis TIME)
#: returns the wait in seconds as a string (Lua numbers would come back truncated to integers)
_ACQUIRE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate)
  ts = now
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens),
           'ts', string.format('%.17g', ts))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst / rate) * 1000) + 60000)
return string.format('%.17g', wait)
"""

#: hostnames are at most 253 characters; anything longer is not a host
MAX_HOST = 253


@dataclass(frozen=True)
class HostRate:
    """At most ``burst`` requests at once, then ``rate`` requests per second, per host."""

    rate: float
    burst: int = 1

    def __post_init__(self) -> None:
        if not (math.isfinite(self.rate) and self.rate > 0):
            raise ValueError(f"rate must be a positive number of requests per second: "
                             f"{self.rate!r}")
        if self.burst < 1:
            raise ValueError(f"burst must be at least 1: {self.burst!r}")


class HostBuckets:
    """Token buckets per host, shared by every process that uses the same Redis and prefix."""

    def __init__(self, client: redis.Redis, *, default: HostRate,
                 per_host: Mapping[str, HostRate] | None = None,
                 prefix: str = "mtwatch:politeness:") -> None:
        self._client = client
        self._default = default
        self._per_host = {_host_key(host): rate for host, rate in (per_host or {}).items()}
        self._prefix = prefix
        self._acquire = client.register_script(_ACQUIRE)

    def rate_for(self, host: str) -> HostRate:
        return self._per_host.get(_host_key(host), self._default)

    def key_for(self, host: str) -> str:
        return f"{self._prefix}{_host_key(host)}"

    def acquire(self, host: str, now: float | None = None) -> float:
        """Take one token for ``host``: 0.0 if the request may go now, else the seconds to
        wait before asking again (no token is taken then). ``now`` defaults to Redis's clock."""
        rate = self.rate_for(host)
        clock = "" if now is None else repr(float(now))
        answer = self._acquire(keys=[self.key_for(host)],
                               args=[repr(float(rate.rate)), rate.burst, clock])
        text = answer.decode("ascii") if isinstance(answer, bytes) else str(answer)
        return max(0.0, float(text))


def _host_key(host: str) -> str:
    key = host.strip().lower().rstrip(".")
    if not key or len(key) > MAX_HOST or any(c.isspace() or not c.isprintable() for c in key):
        raise ValueError(f"not a host name: {host[:80]!r}")
    return key
