"""Canaries through the real ``mtwatch run``: the seed article a81087 is fetched again (with
conditional GET), extracted and matched; a page that stops doing so degrades the run with a
clear reason and tells the operator once, and once more when it is repaired."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.fetch import SEED_PATH
from tests.helpers.launch import FAST_CONFIG
from tests.helpers.smtp import SmtpServer, notices, smtp_env
from tests.replica import FaultPlan, Replica
from tests.replica.harness import Crawl, mtwatch_run

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


def test_a_redesigned_canary_degrades_the_run_once_and_recovers(
        tmp_path: Path, smtp: SmtpServer) -> None:
    """Five real runs of a 40-article site (healthy, unchanged under a conditional GET,
    broken, still broken, repaired): the runs are the point (told once, once more on
    recovery). About 12 s alone here; over 30 s when the full suite keeps both cores busy."""
    with Replica(articles=40, seed=3) as replica:
        healthy = run(tmp_path, replica, smtp)
        assert healthy.status == "ok", healthy.summary
        assert (200, None) in canary_requests(replica)  # the canary (and the article itself)
        replica.access_log.clear()
        again = run(tmp_path, replica, smtp)  # conditional GET: unchanged, still passing
        assert again.status == "ok", again.summary
        assert [s for s, _ in canary_requests(replica)] == [304]
        assert canary_requests(replica)[0][1] is not None

        replica.set_layout("app-shell", only=81087)  # the page renders its body client-side
        broken = run(tmp_path, replica, smtp)
        assert broken.status == "degraded"
        assert broken.summary["reason"] == (
            f"canary a81087 ({HEADLINE}) failed: no article body could be extracted "
            f"(no_body): layout changed? <{replica.base_url}{SEED_PATH}>")
        assert notices(smtp) == ["[mtwatch] operator notice: canary a81087 no longer "
                                 "extracts and matches"]
        still = run(tmp_path, replica, smtp)
        assert still.status == "degraded"
        assert len(notices(smtp)) == 1  # told once

        replica.set_layout("classic", only=81087)
        repaired = run(tmp_path, replica, smtp)
    assert repaired.status == "ok", repaired.summary
    assert notices(smtp)[1] == ("[mtwatch] operator notice: canary a81087 no longer extracts "
                                "and matches (recovered)")


@pytest.mark.parametrize("status", [404, 410])
def test_a_canary_that_is_gone_degrades_the_run(status: int, tmp_path: Path,
                                                smtp: SmtpServer) -> None:
    with Replica(articles=40, seed=3) as replica:
        assert run(tmp_path, replica, smtp).status == "ok"
        FaultPlan([{"path": SEED_PATH, "fault": "status", "status": status}]).install(
            replica.server)
        gone = run(tmp_path, replica, smtp)
    assert gone.status == "degraded"
    assert f"canary a81087 ({HEADLINE}) failed: fetching it failed: HTTP {status}" in str(
        gone.summary["reason"])
    assert len(notices(smtp)) == 1


def test_a_canary_is_checked_once_a_day(tmp_path: Path, smtp: SmtpServer) -> None:
    """The shipped default: after a passing check, the next runs of the day leave it alone."""
    with Replica(articles=40, seed=3) as replica:
        assert run(tmp_path, replica, smtp, config=FAST_CONFIG).status == "ok"
        replica.access_log.clear()
        assert run(tmp_path, replica, smtp, config=FAST_CONFIG).status == "ok"
        assert canary_requests(replica) == []
