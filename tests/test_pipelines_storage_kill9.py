"""D1: crawls killed with SIGKILL at random moments, then one clean run: no lost match, no
duplicate alert, a consistent store, on SQLite and on PostgreSQL."""

from __future__ import annotations

import math
import random
import signal
import subprocess
from pathlib import Path

import pytest

from tests.helpers.launch import mtwatch_env, run_cli, start_python
from tests.helpers.ops import (
    REPO,
    Publisher,
    alerts_by_article,
    integrity,
)
from tests.helpers.pg import backend_store_url
from tests.helpers.smtp import SmtpServer
from tests.replica import Replica

pytestmark = pytest.mark.e2e
SINCE = "2023-01-01"


def matched_ids(url: str) -> set[int]:
    from pipelines.storage import Store

    with Store(url) as store:
        return {m.article_id for m in store.list_matches()}


def killed_crawl(env: dict[str, str], base_url: str, after: float, cwd: Path) -> None:
    """A manual `scrapy crawl` of everything since 2023, SIGKILLed ``after`` seconds in."""
    proc = start_python(
        ["-m", "scrapy", "crawl", "moscowtimes", "-s", f"MTWATCH_SITE={base_url}",
         "-s", f"MTWATCH_SINCE={SINCE}", "-s", "LOG_LEVEL=WARNING"],
        env, REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=after)  # it may finish first: that is a valid random point too
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize(("kills", "articles", "seed"), [
    pytest.param(2, 60, 13, id="2-kills"),
    *(pytest.param(20, 500, seed, id=f"20-kills-seed{seed}", marks=pytest.mark.slow)
      for seed in (1, 2, 3)),
])
def test_sigkill_at_random_points_loses_no_match_and_duplicates_no_alert(
    smtp: SmtpServer, workdir: Path, backend: str, kills: int, articles: int, seed: int
) -> None:
    rng = random.Random(seed)
    with (backend_store_url(backend, workdir) as url,
          Replica(articles=articles, seed=seed) as replica):
        publisher = Publisher(replica, hidden=articles - 10)
        step = math.ceil(len(publisher.queue) / kills)
        env = mtwatch_env(workdir, smtp, MTWATCH_DB_URL=url)
        for _ in range(kills):
            publisher.publish(step)  # the planted matches arrive spread over the runs
            killed_crawl(env, replica.base_url, rng.uniform(0.5, 8.0), workdir)
            if backend == "sqlite":
                assert integrity(workdir / "mtwatch.db") == "ok"
        publisher.publish(len(publisher.queue))
        replica.server.invalidate()
        clean = run_cli(["run", "--site", replica.base_url, "--since", SINCE], env, workdir)
        assert clean.returncode == 0, clean.stderr[-3000:]
        truth = replica.truth
        alerts = alerts_by_article(smtp.messages, truth)
        matched = matched_ids(url)
    positives, traps = set(truth["positives"]), set(truth["traps"])
    assert positives <= matched, f"lost matches: {positives - matched}"
    assert not traps & matched
    assert set(alerts) == matched, "every match alerted"
    assert all(len(set(keys)) == 1 for keys in alerts.values()), "two alert events for a match"
    redelivered = sum(len(keys) - 1 for keys in alerts.values())
    assert redelivered <= kills, "redeliveries only for kills inside the send window"
