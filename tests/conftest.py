"""Shared fixtures: the offline replica, a loopback SMTP server, and the real command line."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from pipelines.matcher import Matcher, load_topic
from pipelines.storage import Store
from tests.helpers.launch import FAST_CONFIG, ReplicaProcess, start_replica
from tests.helpers.pg import BACKENDS, backend_store_url, pg_schema
from tests.helpers.smtp import SmtpServer
from tests.helpers.stores import copy_pg, copy_sqlite, dump_migrated_pg, migrated_sqlite, schema_of
from tests.helpers.topics import SYRIA_TURKEY

# Property tests have no wall-clock limits: a busy machine must not fail an example for being
# slow (hypothesis' 200 ms deadline, its too_slow health check); tests may still set their own.
settings.register_profile("mtwatch", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mtwatch")
# crawls run in this process poll every feed and sitemap on every run, as subprocesses do
# (tests.helpers.launch.mtwatch_env); adaptive polling has its own tests
os.environ.setdefault("MTWATCH_ADAPTIVE_POLLING", "false")


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session: pytest.Session) -> Iterator[None]:
    """Collection keeps pytest's rewritten test modules in tests/__pycache__ even where
    PYTHONDONTWRITEBYTECODE is set (as on the CI machine): otherwise every xdist worker parses,
    rewrites and compiles all the test modules again on every run, about 3.5 s of CPU each
    (``--collect-only``: 6.9 s cold, 3.2 s with the cache). Only the collection writes
    bytecode; the tests, and every process they start, keep the setting."""
    saved = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        yield
    finally:
        sys.dont_write_bytecode = saved


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    """The shipped Syria–Turkey rules alone, without the topic's learned second opinion
    (the probes test the rules; the corpus gate and the crawl read the whole topic),
    compiled once per test module (a module that tests other rules defines its own
    ``matcher``)."""
    return Matcher(load_topic(SYRIA_TURKEY), second_opinion=False)


@pytest.fixture(scope="session")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaProcess]:
    """A 300-article replica with planted positives and traps, shared by the e2e tests."""
    server = start_replica(tmp_path_factory.mktemp("replica"), articles=300, seed=7)
    yield server
    server.proc.terminate()
    server.proc.wait(timeout=10)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, private store URL: an SQLite file, then a PostgreSQL schema (skipped when
    ``MTWATCH_TEST_PG_URL`` is unset)."""
    with backend_store_url(request.param, tmp_path / "data") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite store migrated once per test process, for :func:`store` to copy."""
    return migrated_sqlite(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def pg_template() -> tuple[str, str] | None:
    """The SQL of a PostgreSQL schema migrated once per test process and that schema's name,
    for :func:`store` to replay (None without pg_dump: each store migrates then)."""
    with pg_schema() as url:
        dump = dump_migrated_pg(url)
        return None if dump is None else (dump, schema_of(url))


@pytest.fixture
def migrated_store_url(request: pytest.FixtureRequest, store_url: str) -> str:
    """``store_url`` with its store already there, empty and migrated: a copy of one store
    migrated per test process, the same store a first open migrates to (migrating itself has
    its own tests; they, and the commands that create their stores, start from nothing)."""
    if store_url.startswith("sqlite:"):
        copy_sqlite(request.getfixturevalue("sqlite_template"), store_url)
    else:
        dump = request.getfixturevalue("pg_template")
        if dump is not None:
            copy_pg(dump, store_url)
    return store_url


@pytest.fixture
def store(migrated_store_url: str) -> Iterator[Store]:
    """An open, empty store on each backend."""
    with Store(migrated_store_url) as opened:
        yield opened


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "fast.toml").write_text(FAST_CONFIG, encoding="utf-8")
    return tmp_path
