"""Shared fixtures: the offline replica, a loopback SMTP server, and the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from pipelines.storage import Store
from tests.conftest_helpers.pg import BACKENDS, backend_store_url
from tests.conftest_helpers.smtp import SmtpServer

REPO = Path(__file__).resolve().parent.parent
# Property tests have no wall-clock limits: a busy machine must not fail an example for being
# slow (hypothesis' 200 ms deadline, its too_slow health check); tests may still set their own.
settings.register_profile("mtwatch", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mtwatch")
#: the crawl config used against the replica: politeness lifted, loopback only
FAST_CONFIG = """
[alerts]
# the replica's articles are months older than the wall clock: each match alerts on its own
# (backfill digests have their own tests, with an age chosen from the replica's dates)
backfill_age = "0"

# [crawl] last: tests append crawl keys to this text
[crawl]
download_delay = 0
autothrottle = false
concurrent_requests_per_domain = 8
run_timeout = 600
"""


@dataclass
class ReplicaProcess:
    """A replica served by ``python -m tests.replica serve`` in a child process."""

    base_url: str
    truth: dict[str, Any]
    proc: subprocess.Popen[str]


def start_replica(tmp: Path, *, articles: int, seed: int, extra: list[str] | None = None
                  ) -> ReplicaProcess:
    truth_file = tmp / f"truth-{seed}.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.replica", "serve", "--port", "0", "--articles",
         str(articles), "--seed", str(seed), "--truth", str(truth_file), *(extra or [])],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()  # the replica prints its URL once listening
    if not base_url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise RuntimeError(f"replica did not start: {base_url!r}")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    return ReplicaProcess(base_url, truth, proc)


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


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open store on each backend."""
    with Store(store_url) as opened:
        yield opened


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "fast.toml").write_text(FAST_CONFIG, encoding="utf-8")
    return tmp_path


def mtwatch_env(workdir: Path, smtp: SmtpServer | None = None, **extra: str) -> dict[str, str]:
    """A clean environment for one mtwatch process: its own store, data dir and SMTP server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}
    env.update({
        "MTWATCH_DATA_DIR": str(workdir / "data"),
        "MTWATCH_DB_URL": f"sqlite:///{workdir / 'mtwatch.db'}",
        "MTWATCH_CONFIG": str(workdir / "fast.toml"),
        "SCRAPY_SETTINGS_MODULE": "crawler.settings",
    })
    if smtp is not None:
        env.update({
            "MTWATCH_SMTP_HOST": "127.0.0.1",
            "MTWATCH_SMTP_PORT": str(smtp.port),
            "MTWATCH_SMTP_SECURITY": "none",
            "MTWATCH_EMAIL_FROM": "mtwatch@test.invalid",
            "MTWATCH_EMAIL_TO": "desk@test.invalid,analyst@test.invalid",
        })
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 600
            ) -> subprocess.CompletedProcess[str]:
    """``mtwatch ARGS`` as a user runs it: the installed console script, in another directory."""
    script = Path(sys.executable).parent / "mtwatch"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "crawler.cli"]
    return subprocess.run(
        [*command, *args], cwd=cwd, env=env, text=True,
        capture_output=True, timeout=timeout, check=False,
    )
