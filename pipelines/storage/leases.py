"""URL leases in the store: which worker may fetch a URL, until when (issue 16).

PostgreSQL (or SQLite, on one machine) stays the record of every URL's state; Redis only
carries work in motion. A worker ``claim``s a URL before fetching it and ``complete``s it
after storing the article; a worker that dies stops extending its leases, and once a lease has
run out ``expired`` hands the URL to the leader to queue again. A URL may then be fetched
twice, never claimed by two workers at once.

States: ``queued`` (the leader pushed it; ``lease_until`` is when to push it again if nobody
claimed it, e.g. after a Redis restart), ``claimed`` (``claimed_by`` holds it until
``lease_until``), ``done``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from pipelines.storage.database import writer
from pipelines.storage.dialects import dialect_insert
from pipelines.storage.schema import LEASE_STATES, MAX_LEASE_WORKER, url_leases

__all__ = ["LEASE_STATES", "MAX_URL_BYTES", "Lease", "Leases", "url_leases"]

#: PostgreSQL's btree entries stop near 2.7 kB; URLs longer than this are refused, not leased
MAX_URL_BYTES = 2048
MAX_WORKER = MAX_LEASE_WORKER


@dataclass(frozen=True)
class Lease:
    """A URL's row: who holds it (if anyone) and until when."""

    url: str
    state: str
    claimed_by: str | None
    lease_until: datetime | None
    attempts: int


class Leases:
    """URL leases on ``engine`` (the store's database, SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    def enqueued(self, urls: Iterable[str], now: datetime, ttl: timedelta, *,
                 reopen: bool = False) -> list[str]:
        """Mark ``urls`` as queued (the leader, just before pushing them to Redis); returns
        those to push: new URLs and URLs whose lease or queue mark ran out. URLs held by a
        live lease are left alone, and so are URLs done unless ``reopen`` (the store asks
        for them again: a retry that is due, an article that changed)."""
        marked: list[str] = []
        with writer(self._engine).begin() as conn:
            for url in dict.fromkeys(urls):
                _check_url(url)
                if self._insert(conn, url, "queued", None, now + ttl, 0, now):
                    marked.append(url)
                    continue
                done = conn.execute(
                    update(url_leases)
                    .where(url_leases.c.url == url, _requeueable(now, reopen))
                    .values(state="queued", claimed_by=None, lease_until=now + ttl, updated=now))
                if done.rowcount == 1:
                    marked.append(url)
        return marked

    def claim(self, url: str, worker: str, now: datetime, ttl: timedelta) -> Lease | None:
        """Take ``url`` for ``worker`` until ``now + ttl``; None if another worker holds a live
        lease on it, or it is done. Atomic: of two workers racing, at most one gets it."""
        _check_url(url)
        _check_worker(worker)
        until = now + ttl
        with writer(self._engine).begin() as conn:
            if self._insert(conn, url, "claimed", worker, until, 1, now):
                return Lease(url, "claimed", worker, until, 1)
            claimable = and_(url_leases.c.url == url, _claimable(now))
            if self._postgres:
                row = conn.execute(select(url_leases.c.attempts).where(claimable)
                                   .with_for_update(skip_locked=True)).first()
                if row is None:
                    return None
                claimable = url_leases.c.url == url  # the row is ours until commit
            result = conn.execute(
                update(url_leases).where(claimable)
                .values(state="claimed", claimed_by=worker, lease_until=until,
                        attempts=url_leases.c.attempts + 1, updated=now)
                .returning(url_leases.c.attempts))
            attempts = result.scalar()
            if attempts is None:
                return None
            return Lease(url, "claimed", worker, until, int(attempts))

    def extend(self, url: str, worker: str, now: datetime, ttl: timedelta) -> bool:
        """Push ``worker``'s live lease on ``url`` to ``now + ttl``; False if it is not
        ``worker``'s or has already run out (another worker may have it by now)."""
        with writer(self._engine).begin() as conn:
            result = conn.execute(update(url_leases)
                                  .where(url_leases.c.url == url, _held(worker, now))
                                  .values(lease_until=now + ttl, updated=now))
            return result.rowcount == 1

    def extend_all(self, worker: str, now: datetime, ttl: timedelta) -> int:
        """The worker's heartbeat: extend every live lease it holds; how many."""
        with writer(self._engine).begin() as conn:
            result = conn.execute(update(url_leases).where(_held(worker, now))
                                  .values(lease_until=now + ttl, updated=now))
            return int(result.rowcount)

    def complete(self, url: str, worker: str, now: datetime) -> bool:
        """``worker`` stored ``url``: done. False if it no longer holds it."""
        return self._finish(url, worker, now, state="done")

    def release(self, url: str, worker: str, now: datetime) -> bool:
        """``worker`` gives ``url`` back without finishing it (e.g. a fetch error it will not
        retry): it is due to be queued again at once."""
        return self._finish(url, worker, now, state="queued")

    def expired(self, now: datetime, limit: int = 1000) -> list[Lease]:
        """URLs to queue again: leases and queue marks that ran out, oldest first."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(url_leases)
                .where(url_leases.c.state.in_(("queued", "claimed")),
                       url_leases.c.lease_until <= now)
                .order_by(url_leases.c.lease_until, url_leases.c.url)
                .limit(limit)).all()
        return [Lease(r.url, r.state, r.claimed_by, r.lease_until, r.attempts) for r in rows]

    def get(self, url: str) -> Lease | None:
        with self._engine.connect() as conn:
            r = conn.execute(select(url_leases).where(url_leases.c.url == url)).first()
        return None if r is None else Lease(r.url, r.state, r.claimed_by, r.lease_until,
                                            r.attempts)

    def _finish(self, url: str, worker: str, now: datetime, *, state: str) -> bool:
        # a lease that ran out but was not taken by anyone is still this worker's to finish
        with writer(self._engine).begin() as conn:
            result = conn.execute(
                update(url_leases)
                .where(url_leases.c.url == url, url_leases.c.state == "claimed",
                       url_leases.c.claimed_by == worker)
                .values(state=state, claimed_by=None,
                        lease_until=now if state == "queued" else None, updated=now))
            return result.rowcount == 1

    def _insert(self, conn: Connection, url: str, state: str, worker: str | None,
                until: datetime, attempts: int, now: datetime) -> bool:
        """Insert a new row unless ``url`` has one already; True if inserted."""
        stmt = (dialect_insert(conn, url_leases)
                .values(url=url, state=state, claimed_by=worker, lease_until=until,
                        attempts=attempts, updated=now)
                .on_conflict_do_nothing(index_elements=["url"])
                .returning(url_leases.c.url))
        return conn.execute(stmt).first() is not None


def _requeueable(now: datetime, reopen: bool) -> ColumnElement[bool]:
    lapsed = and_(url_leases.c.state != "done", url_leases.c.lease_until <= now)
    return or_(lapsed, url_leases.c.state == "done") if reopen else lapsed


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(url_leases.c.state == "queued",
               and_(url_leases.c.state == "claimed", url_leases.c.lease_until <= now))


def _held(worker: str, now: datetime) -> ColumnElement[bool]:
    return and_(url_leases.c.state == "claimed", url_leases.c.claimed_by == worker,
                url_leases.c.lease_until > now)


def _check_url(url: str) -> None:
    if not url or len(url.encode("utf-8", "surrogatepass")) > MAX_URL_BYTES:
        raise ValueError(f"a leased URL must be 1 to {MAX_URL_BYTES} bytes: {url[:80]!r}…")


def _check_worker(worker: str) -> None:
    if not worker or len(worker) > MAX_WORKER:
        raise ValueError(f"a worker id must be 1 to {MAX_WORKER} characters: {worker[:80]!r}")
