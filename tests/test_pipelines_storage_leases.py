"""URL leases on SQLite and PostgreSQL: two workers racing on the same URLs never both hold one;
an expired lease is claimable again; only the holder extends, completes or releases."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from pipelines.storage.database import open_engine, parse_url
from pipelines.storage.leases import Lease, Leases
from pipelines.storage.migrate import upgrade

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=5)
URLS = [f"https://site{i % 4}.example/news/{i}?utm=x&id={i}" for i in range(40)]


@pytest.fixture
def engine(migrated_store_url: str) -> Iterator[Engine]:
    """An engine on the shared store URL (each backend), migrated like a store (the lease
    table's own migration: test_0012_downgrades_and_upgrades_again)."""
    eng = open_engine(parse_url(migrated_store_url))
    with eng.begin() as conn:
        upgrade(conn)  # the store's migrations, 0012_leases among them
    try:
        yield eng
    finally:
        eng.dispose()


def race(engine: Engine, workers: list[str], now: datetime) -> dict[str, list[str]]:
    """Each worker (own thread, own connection) claims every URL in turn; a barrier before
    each URL makes them try it at the same moment. Returns the URLs each one got."""
    barrier = threading.Barrier(len(workers))
    leases = Leases(engine)

    def run(worker: str) -> list[str]:
        got = []
        for url in URLS:
            barrier.wait(timeout=30)
            if leases.claim(url, worker, now, TTL) is not None:
                got.append(url)
        return got

    with ThreadPoolExecutor(len(workers)) as pool:
        futures = {w: pool.submit(run, w) for w in workers}
        return {w: f.result(timeout=120) for w, f in futures.items()}


def assert_each_url_held_once(engine: Engine, got: dict[str, list[str]], now: datetime) -> None:
    won = [url for urls in got.values() for url in urls]
    assert sorted(won) == sorted(URLS), "every URL claimed exactly once"
    leases = Leases(engine)
    for worker, urls in got.items():
        for url in urls:
            lease = leases.get(url)
            assert lease is not None
            assert (lease.state, lease.claimed_by, lease.lease_until) == \
                ("claimed", worker, now + TTL)


def test_racing_workers_never_both_hold_a_new_url(engine: Engine) -> None:
    got = race(engine, ["w1", "w2"], T0)
    assert_each_url_held_once(engine, got, T0)


def test_racing_workers_never_both_take_an_expired_lease(engine: Engine) -> None:
    leases = Leases(engine)
    for url in URLS:
        assert leases.claim(url, "dead", T0, TTL) is not None
    later = T0 + TTL + timedelta(seconds=1)
    assert {lease.url for lease in leases.expired(later)} == set(URLS)
    got = race(engine, ["w1", "w2", "w3"], later)
    assert_each_url_held_once(engine, got, later)
    assert {leases.get(url).attempts for url in URLS} == {2}  # type: ignore[union-attr]
    assert leases.expired(later) == []


def test_live_lease_blocks_and_expired_lease_is_claimable_again(engine: Engine) -> None:
    leases = Leases(engine)
    url = URLS[0]
    assert leases.claim(url, "w1", T0, TTL) == Lease(url, "claimed", "w1", T0 + TTL, 1)
    assert leases.claim(url, "w2", T0 + TTL - timedelta(microseconds=1), TTL) is None
    assert leases.claim(url, "w1", T0, TTL) is None  # not twice by the same worker either
    assert leases.expired(T0 + TTL - timedelta(seconds=1)) == []
    assert [x.url for x in leases.expired(T0 + TTL)] == [url]
    again = leases.claim(url, "w2", T0 + TTL, TTL)
    assert again == Lease(url, "claimed", "w2", T0 + 2 * TTL, 2)
    assert not leases.complete(url, "w1", T0 + TTL)  # the old holder lost it
    assert leases.complete(url, "w2", T0 + TTL)
    assert leases.claim(url, "w3", T0 + 10 * TTL, TTL) is None  # done stays done
    assert leases.expired(T0 + 10 * TTL) == []


def test_heartbeat_extends_only_live_leases_of_the_holder(engine: Engine) -> None:
    leases = Leases(engine)
    a, b, c = URLS[:3]
    for url in (a, b):
        leases.claim(url, "w1", T0, TTL)
    leases.claim(c, "w2", T0, TTL)
    assert leases.extend_all("w1", T0 + timedelta(minutes=4), TTL) == 2
    assert leases.get(a).lease_until == T0 + timedelta(minutes=9)  # type: ignore[union-attr]
    assert not leases.extend(c, "w1", T0, TTL)
    assert leases.extend(c, "w2", T0 + timedelta(minutes=1), TTL)
    late = T0 + timedelta(minutes=10)
    assert not leases.extend(a, "w1", late, TTL)  # ran out: extending would steal it back
    assert leases.extend_all("w1", late, TTL) == 0


def test_release_makes_a_url_due_and_enqueued_pushes_each_url_once(engine: Engine) -> None:
    leases = Leases(engine)
    a, b, c = URLS[:3]
    assert leases.enqueued([a, b, a], T0, TTL) == [a, b]
    assert leases.enqueued([a, b], T0 + timedelta(minutes=1), TTL) == []  # already queued
    assert leases.claim(a, "w1", T0, TTL) is not None  # queued → claimable at once
    assert leases.release(a, "w1", T0 + timedelta(minutes=1))
    assert not leases.release(a, "w1", T0 + timedelta(minutes=1))
    due = T0 + timedelta(minutes=1)
    assert [x.url for x in leases.expired(due)] == [a]
    # b's queue mark runs out (e.g. Redis lost it): due again; c is new
    later = T0 + TTL
    assert {x.url for x in leases.expired(later)} == {a, b}
    assert leases.enqueued([a, b, c], later, TTL) == [a, b, c]
    assert leases.claim(c, "w1", later, TTL) is not None
    assert leases.enqueued([c], later, TTL) == []  # held by a live lease


@pytest.mark.parametrize(("url", "worker"), [("", "w"), ("https://x/" + "a" * 3000, "w"),
                                             ("https://x/", ""), ("https://x/", "w" * 300)])
def test_bad_urls_and_workers_are_refused(url: str, worker: str) -> None:
    engine = create_engine("sqlite://")  # refused before any SQL runs
    with pytest.raises(ValueError, match=r"URL|worker"):
        Leases(engine).claim(url, worker, T0, TTL)


def test_hostile_urls_are_stored_verbatim(engine: Engine) -> None:
    leases = Leases(engine)
    for url in ("https://x/?q=' OR 1=1 --", "https://x/ü?a=%00&b=\u202e", "https://x/\"\\;"):
        assert leases.claim(url, "w", T0, TTL) is not None
        assert leases.get(url) == Lease(url, "claimed", "w", T0 + TTL, 1)


def test_0012_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from pipelines.storage.migrate import alembic_config

    eng = open_engine(parse_url(f"sqlite:///{tmp_path / 'm.db'}"))
    try:
        with eng.begin() as conn:
            upgrade(conn)
            assert inspect(conn).has_table("url_leases")
            command.downgrade(alembic_config(conn), "0012_leases-1")
            assert not inspect(conn).has_table("url_leases")
            assert upgrade(conn)
            assert inspect(conn).has_table("url_leases")
    finally:
        eng.dispose()


def test_reopen_queues_a_done_url_again_but_never_a_live_one(engine: Engine) -> None:
    leases = Leases(engine)
    done, held, fresh = URLS[0], URLS[1], URLS[2]
    assert leases.claim(done, "w1", T0, TTL) is not None
    assert leases.complete(done, "w1", T0)
    assert leases.claim(held, "w2", T0, TTL) is not None
    assert leases.enqueued([done, held], T0, TTL) == []
    assert leases.enqueued([done, held, fresh], T0, TTL, reopen=True) == [done, fresh]
    assert leases.get(done) == Lease(done, "queued", None, T0 + TTL, 1)
    assert leases.get(held).claimed_by == "w2"  # type: ignore[union-attr]
    assert leases.claim(done, "w3", T0, TTL) is not None
