"""Canaries through the real ``mtwatch run``: the seed article a81087 is fetched again (with
conditional GET), extracted and matched; a page that stops doing so degrades the run with a
clear reason and tells the operator once, and once more when it is repaired."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.fetch import SEED_PATH
from tests.helpers.launch import FAST_CONFIG
from tests.helpers.smtp import SmtpServer, notices, smtp_env
from tests.replica import FaultPlan, Replica
from tests.replica.harness import Crawl, copy_crawl, crawl_log, mtwatch_run

pytestmark = pytest.mark.e2e

HEADLINE = "Russia Says Roadmap in the Works to Mend Syria-Turkey Ties"
#: check the canary on every run (its daily check, made deterministic)
EVERY_RUN = FAST_CONFIG + "\n[monitors]\ncanary_hours = 0\n"


def run(workdir: Path, replica: Replica, smtp: SmtpServer, config: str = EVERY_RUN) -> Crawl:
    crawl = mtwatch_run(workdir, replica.base_url, config=config, env=smtp_env(smtp))
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    return crawl


def canary_requests(replica: Replica) -> list[tuple[int, str | None]]:
    return [(r.status, r.headers.get("If-None-Match")) for r in replica.access_log.snapshot()
            if r.path == SEED_PATH]


@dataclass
class Healthy:
    """The 40-article site and the workdir of its first run: healthy, the canary passing."""

    replica: Replica
    workdir: Path


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Healthy]:
    """The first run, made once per test process instead of once per test: every test below
    starts after it (a copy of its store and data directory, see :func:`site`) and crawls on
    from there with real runs of its own. It fetched the canary in full and passed it."""
    workdir = tmp_path_factory.mktemp("canary-site")
    with Replica(articles=40, seed=3) as replica:
        with SmtpServer() as smtp:
            first = run(workdir, replica, smtp)
            assert first.status == "ok", first.summary
            assert (200, None) in canary_requests(replica)  # the canary (and the article)
            assert notices(smtp) == []
        yield Healthy(replica, workdir)


@pytest.fixture
def site(healthy: Healthy, tmp_path: Path) -> Iterator[Replica]:
    """The replica the first run crawled (the store holds its URLs), as that run saw it, and
    a private copy of that run's store and data directory in ``tmp_path``."""
    copy_crawl(healthy.workdir, tmp_path)
    replica = healthy.replica
    replica.access_log.clear()
    yield replica
    replica.set_layout("classic")  # every page back in the layout of the first run
    replica.server.interceptors.clear()  # and no fault plan left


def test_a_redesigned_canary_degrades_the_run_once_and_recovers(
        site: Replica, tmp_path: Path, smtp: SmtpServer) -> None:
    """Four real runs of a 40-article site after its healthy first one (unchanged under a
    conditional GET, broken, still broken, repaired): the runs are the point (told once, once
    more on recovery). About 12 s alone here; over 30 s when the full suite keeps both cores
    busy."""
    again = run(tmp_path, site, smtp)  # conditional GET: unchanged, still passing
    assert again.status == "ok", again.summary
    assert [s for s, _ in canary_requests(site)] == [304]
    assert canary_requests(site)[0][1] is not None

    site.set_layout("app-shell", only=81087)  # the page renders its body client-side
    broken = run(tmp_path, site, smtp)
    assert broken.status == "degraded"
    assert broken.summary["reason"] == (
        f"canary a81087 ({HEADLINE}) failed: no article body could be extracted "
        f"(no_body): layout changed? <{site.base_url}{SEED_PATH}>")
    assert notices(smtp) == ["[mtwatch] operator notice: canary a81087 no longer "
                             "extracts and matches"]
    still = run(tmp_path, site, smtp)
    assert still.status == "degraded"
    assert len(notices(smtp)) == 1  # told once

    site.set_layout("classic", only=81087)
    repaired = run(tmp_path, site, smtp)
    assert repaired.status == "ok", repaired.summary
    assert notices(smtp)[1] == ("[mtwatch] operator notice: canary a81087 no longer extracts "
                                "and matches (recovered)")


@pytest.mark.parametrize("status", [404, 410])
def test_a_canary_that_is_gone_degrades_the_run(status: int, site: Replica, tmp_path: Path,
                                                smtp: SmtpServer) -> None:
    FaultPlan([{"path": SEED_PATH, "fault": "status", "status": status}]).install(site.server)
    gone = run(tmp_path, site, smtp)
    assert gone.status == "degraded"
    assert f"canary a81087 ({HEADLINE}) failed: fetching it failed: HTTP {status}" in str(
        gone.summary["reason"])
    assert len(notices(smtp)) == 1


def test_a_canary_is_checked_once_a_day(site: Replica, tmp_path: Path,
                                        smtp: SmtpServer) -> None:
    """The shipped default: after a passing check (the first run's), the next runs of the
    day leave it alone."""
    assert run(tmp_path, site, smtp, config=FAST_CONFIG).status == "ok"
    assert canary_requests(site) == []


def test_a_backfill_reads_its_canary_on_its_extraction_pool(tmp_path: Path,
                                                             smtp: SmtpServer) -> None:
    """A backfill reads the canary's page in an extraction worker, as its article pages (the
    crawl's own process never extracts): the verdict is the one a crawl reading it in-process
    gives (test_a_redesigned_canary_degrades_the_run_once_and_recovers)."""
    with Replica(articles=40, seed=3) as replica:
        replica.set_layout("app-shell", only=81087)
        crawl = mtwatch_run(tmp_path, replica.base_url, "--since", "2023-01-01",
                            config=EVERY_RUN, env=smtp_env(smtp))
        assert crawl.returncode == 0, crawl.stderr[-3000:]
        assert crawl.status == "degraded"
        assert crawl.summary["reason"] == (
            f"canary a81087 ({HEADLINE}) failed: no article body could be extracted "
            f"(no_body): layout changed? <{replica.base_url}{SEED_PATH}>")
    assert "'mtwatch/canary_read_in_worker': 1" in crawl_log(tmp_path)
