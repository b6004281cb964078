"""Which workers are alive: a registry in Redis with heartbeats and expiry, for ``mtwatch status``.

Each worker has a hash (host, pid, started, last heartbeat, in-flight count) and a score in one
sorted set keyed by its last heartbeat. A worker that stops heart-beating drops out of
``workers(now)`` once ``expiry`` seconds have passed, and its hash expires on its own; its URL
leases in PostgreSQL then run out and the leader re-enqueues them.

Times are seconds since the epoch, passed in by the caller (tests drive them step by step).
"""

from __future__ import annotations

import math
import os
import socket
from dataclasses import dataclass

import redis
from redis.typing import EncodableT, FieldT

#: what is kept of a host name read back from Redis (anyone who can write there can lie)
MAX_FIELD = 255


@dataclass(frozen=True)
class WorkerStatus:
    """One row of ``mtwatch status``'s worker list."""

    worker_id: str
    host: str
    pid: int
    started: float
    last_heartbeat: float
    in_flight: int
    #: nothing to do at the last heartbeat: no request queued, downloading or being parsed
    idle: bool = False

    def age(self, now: float) -> float:
        """Seconds since the last heartbeat."""
        return max(0.0, now - self.last_heartbeat)


class WorkerRegistry:
    """Workers registered under one Redis prefix (one cluster)."""

    def __init__(self, client: redis.Redis, *, expiry: float,
                 prefix: str = "mtwatch:workers:") -> None:
        if not (math.isfinite(expiry) and expiry > 0):
            raise ValueError(f"expiry must be a positive number of seconds: {expiry!r}")
        self._client = client
        self._expiry = expiry
        self._prefix = prefix
        self._index = f"{prefix}index"

    def register(self, now: float, *, host: str | None = None, pid: int | None = None) -> str:
        """Add this process (or the given host/pid) and return its worker id."""
        host = host if host is not None else socket.gethostname()
        pid = pid if pid is not None else os.getpid()
        worker_id = f"{_field(host)}:{pid}:{now:.6f}"
        fields: dict[FieldT, EncodableT] = {"host": _field(host), "pid": pid,
                                            "started": repr(now), "heartbeat": repr(now),
                                            "in_flight": 0}
        self._write(worker_id, fields, now)
        return worker_id

    def register_as(self, worker_id: str, now: float, in_flight: int = 0, *,
                    host: str | None = None, pid: int | None = None) -> None:
        """Add (or add again) a worker under the id it already has: one that dropped out of
        the registry keeps its id, under which it holds its URL leases."""
        fields: dict[FieldT, EncodableT] = {
            "host": _field(host if host is not None else socket.gethostname()),
            "pid": pid if pid is not None else os.getpid(),
            "started": repr(now), "heartbeat": repr(now), "in_flight": in_flight}
        self._write(worker_id, fields, now)

    def heartbeat(self, worker_id: str, now: float, in_flight: int, *,
                  idle: bool = False) -> bool:
        """Refresh ``worker_id``; False if it had already expired (the caller must register
        again: its leases may have gone to other workers)."""
        if in_flight < 0:
            raise ValueError(f"in_flight cannot be negative: {in_flight}")
        score = self._client.zscore(self._index, worker_id)
        if score is None or now - float(score) > self._expiry:
            return False
        fields: dict[FieldT, EncodableT] = {"heartbeat": repr(now), "in_flight": in_flight,
                                            "idle": int(idle)}
        self._write(worker_id, fields, now)
        return True

    def unregister(self, worker_id: str) -> None:
        with self._client.pipeline(transaction=True) as pipe:
            pipe.zrem(self._index, worker_id)
            pipe.delete(self._key(worker_id))
            pipe.execute()

    def workers(self, now: float) -> list[WorkerStatus]:
        """Live workers (heart-beat within ``expiry``), oldest first; the dead are pruned."""
        self.prune(now)
        ids = [_text(raw) for raw in self._client.zrangebyscore(
            self._index, now - self._expiry, "+inf")]
        with self._client.pipeline(transaction=False) as pipe:
            for worker_id in ids:
                pipe.hgetall(self._key(worker_id))
            rows = pipe.execute()
        found = [_status(worker_id, row) for worker_id, row in zip(ids, rows, strict=True)]
        return sorted((s for s in found if s is not None), key=lambda s: (s.started, s.worker_id))

    def prune(self, now: float) -> list[str]:
        """Forget workers whose last heartbeat is older than ``expiry``; their ids."""
        cutoff = now - self._expiry
        dead = [_text(raw) for raw in self._client.zrangebyscore(
            self._index, "-inf", f"({cutoff!r}")]
        if dead:
            with self._client.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(self._index, "-inf", f"({cutoff!r}")
                pipe.delete(*(self._key(w) for w in dead))
                pipe.execute()
        return dead

    def _write(self, worker_id: str, fields: dict[FieldT, EncodableT], now: float) -> None:
        key = self._key(worker_id)
        with self._client.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.expire(key, math.ceil(self._expiry) * 2)
            pipe.zadd(self._index, {worker_id: now})
            pipe.execute()

    def _key(self, worker_id: str) -> str:
        return f"{self._prefix}w:{worker_id}"


def _text(raw: object) -> str:
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    if isinstance(raw, str):
        return raw
    raise TypeError(f"unexpected reply from Redis: {type(raw).__name__}")


def _field(value: str) -> str:
    """A bounded, single-line version of ``value`` (host names end up in a terminal)."""
    clean = "".join(c if c.isprintable() and not c.isspace() else "?" for c in value)
    return clean[:MAX_FIELD] or "?"


def _status(worker_id: str, row: dict[bytes | str, bytes | str]) -> WorkerStatus | None:
    """A row read back from Redis, or None if it is gone (expired between the two reads) or
    malformed."""
    fields = {_text(k): _text(v) for k, v in row.items()}
    try:
        return WorkerStatus(
            worker_id=_field(worker_id),
            host=_field(fields["host"]),
            pid=int(fields["pid"]),
            started=float(fields["started"]),
            last_heartbeat=float(fields["heartbeat"]),
            in_flight=int(fields["in_flight"]),
            idle=fields.get("idle") == "1",
        )
    except (KeyError, ValueError):
        return None
