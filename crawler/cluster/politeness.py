"""Per-host politeness across every worker: a token bucket and concurrency slots per host, in
Redis.

Scrapy's download slots are per process, so N workers would make N times the per-host rate.
Each worker asks ``HostBuckets.acquire(host)`` before a request to that host goes out; the
answer is how long to wait (0.0: go now, one token taken). The bucket's arithmetic runs as one
Lua script, so concurrent workers on any number of machines never see a half-updated bucket.

``HostSlots`` bounds how many requests to a host are in flight at once, whichever workers send
them: ``take(host, token)`` succeeds while fewer than the host's limit are held; ``give(host,
token)`` frees one when its response (or error) is in. The holder's heartbeat ``refresh``es
its slots; one held by a worker killed with -9 is freed by its expiry, never by anyone's
goodwill. After a Redis restart (the slots are gone) no slot is granted for a grace period of
two heartbeats, in which the live holders hold theirs again: the limit holds across it too.

The clock is an argument of the scripts: by default the Redis server's ``TIME`` (one clock for
every machine, no skew between workers); tests pass ``now`` to drive time step by step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import redis


def _clock(arg: int) -> str:
    """Lua: ``now`` from ARGV[arg] (tests drive it), else the Redis server's clock."""
    return f"""local now = tonumber(ARGV[{arg}])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end"""


#: KEYS[1] the host's bucket (a hash: tokens, ts)
#: ARGV rate (tokens per second), burst (capacity), now (seconds, or "" for Redis TIME)
#: returns the wait in seconds as a string (Lua numbers would come back truncated to integers)
_ACQUIRE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
""" + _clock(3) + """
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

#: KEYS[1] the host's slots (a sorted set: token -> expiry), KEYS[2] the slots' epoch
#: ARGV limit, ttl (seconds), token, now (seconds, or "" for Redis TIME), grace (seconds)
#: returns 1 if the slot was taken (or is already this token's), else 0
_TAKE = """
local limit = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
""" + _clock(4) + """
local epoch = tonumber(redis.call('GET', KEYS[2]))
if epoch == nil then
  epoch = now + tonumber(ARGV[5])
  redis.call('SET', KEYS[2], string.format('%.17g', epoch))
end
if now < epoch then
  return 0
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.17g', now))
if redis.call('ZSCORE', KEYS[1], ARGV[3]) == false and
   redis.call('ZCARD', KEYS[1]) >= limit then
  return 0
end
redis.call('ZADD', KEYS[1], string.format('%.17g', now + ttl), ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(ttl * 1000) + 60000)
return 1
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


class HostSlots:
    """At most ``limit(host)`` requests in flight per host, across every worker sharing the
    Redis server and prefix; a slot not given back expires after ``ttl`` seconds."""

    def __init__(self, client: redis.Redis, *, default: int, ttl: float,
                 per_host: Mapping[str, int] | None = None,
                 prefix: str = "mtwatch:slots:", grace: float = 0.0) -> None:
        if default < 1 or any(n < 1 for n in (per_host or {}).values()):
            raise ValueError("a host's concurrency must be at least 1")
        if not (math.isfinite(ttl) and ttl > 0):
            raise ValueError(f"ttl must be a positive number of seconds: {ttl!r}")
        self._client = client
        self._default = default
        self._ttl = ttl
        self._per_host = {_host_key(host): n for host, n in (per_host or {}).items()}
        self._prefix = prefix
        #: no slot is granted for this long after the slots were lost (a Redis restart), so
        #: that the requests still in flight get their slots back first (``refresh``)
        self._grace = grace
        self._epoch = f"{prefix}epoch"
        self._take = client.register_script(_TAKE)

    def limit(self, host: str) -> int:
        return self._per_host.get(_host_key(host), self._default)

    def key_for(self, host: str) -> str:
        return f"{self._prefix}{_host_key(host)}"

    def take(self, host: str, token: str, now: float | None = None) -> bool:
        """Hold one of ``host``'s slots under ``token``; False if all are held."""
        clock = "" if now is None else repr(float(now))
        taken = self._take(keys=[self.key_for(host), self._epoch],
                           args=[self.limit(host), repr(float(self._ttl)), token, clock,
                                 repr(float(self._grace))])
        return int(taken) == 1

    def refresh(self, held: Mapping[str, str]) -> None:
        """Push the expiry of the slots still held (token → host): the holder's heartbeat.
        A slot a restarted Redis forgot is held again (the grace period keeps it free)."""
        if not held:
            return
        now = self._client.time()
        until = float(now[0]) + float(now[1]) / 1e6 + self._ttl
        with self._client.pipeline(transaction=False) as pipe:
            for token, host in held.items():
                pipe.zadd(self.key_for(host), {token: until})
                pipe.pexpire(self.key_for(host), math.ceil(self._ttl * 1000) + 60000)
            pipe.execute()

    def give(self, host: str, token: str) -> None:
        """Free the slot held under ``token`` (nothing if it has expired meanwhile)."""
        self._client.zrem(self.key_for(host), token)

    def held(self, host: str) -> int:
        """Slots held now (expired ones included until the next ``take`` prunes them)."""
        return int(self._client.zcard(self.key_for(host)))
