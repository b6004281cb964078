"""`mtwatch daemon` end to end: a 3-second schedule against a replica that keeps publishing."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.helpers.launch import FAST_CONFIG, mtwatch_env
from tests.helpers.ops import (
    RUN_TAG_ENV,
    Publisher,
    alerts_by_article,
    assert_access_log_matches_runs,
    assert_no_overlapping_runs,
    crawl_runs,
    integrity,
    runs,
    start,
    wait_until,
)
from tests.helpers.smtp import SmtpServer
from tests.replica import Replica, Request, Response

pytestmark = pytest.mark.e2e
#: seed 13's newest articles include several planted positives
SEED = 13


def stored_ids(db: Path) -> set[int]:
    if not db.exists():
        return set()
    with sqlite3.connect(db, timeout=30) as conn:
        try:
            return {r[0] for r in conn.execute("SELECT article_id FROM articles")}
        except sqlite3.OperationalError:  # not created yet
            return set()


def matched_ids(db: Path) -> list[int]:
    with sqlite3.connect(db, timeout=30) as conn:
        return [r[0] for r in conn.execute("SELECT article_id FROM matches")]


def daemon_state(db: Path) -> dict[str, object]:
    with sqlite3.connect(db, timeout=30) as conn:
        row = conn.execute("SELECT value FROM ops_state WHERE key = 'daemon'").fetchone()
    return dict(json.loads(row[0])) if row else {}


@pytest.mark.parametrize(("hidden", "every", "batch"), [
    pytest.param(12, 1.0, 2, id="short"),
    pytest.param(30, 2.0, 1, id="60s", marks=pytest.mark.slow),
])
def test_daemon_follows_a_publishing_replica(
    smtp: SmtpServer, workdir: Path, hidden: int, every: float, batch: int
) -> None:
    """A first crawl of 300 articles, then 12 published two a second (the slow variant: 30,
    one every 2 s), followed by the daemon on a 3 s schedule until each is stored and
    alerted: 10 s here (60 s)."""
    db = workdir / "mtwatch.db"
    with Replica(articles=300, seed=SEED) as replica:
        publisher = Publisher(replica, hidden=hidden)
        env = mtwatch_env(workdir, smtp, **RUN_TAG_ENV)
        daemon = start(["daemon", "--site", replica.base_url, "--interval", "3"], env, workdir,
                       "daemon")
        try:
            wait_until(lambda: any(r.status == "ok" for r in crawl_runs(db)),
                       120, "the first crawl")
            with publisher.every(every, batch):
                wait_until(lambda: publisher.done, 300, "the replica to publish everything")
            new = set(publisher.published)
            positives = publisher.visible_positives() & (new | stored_ids(db))
            assert positives & new, "the test must publish planted positives"
            wait_until(lambda: new <= stored_ids(db), 120, "every new article evaluated",
                       poll=replica.server.invalidate)
            wait_until(lambda: positives <= set(alerts_by_article(smtp.messages,
                                                                  replica.truth)),
                       120, "an alert for every planted positive")
        finally:
            code = daemon.terminate()
        requests = replica.access_log.snapshot()
        truth = replica.truth
    assert code == 0, daemon.output[-3000:]
    assert "daemon stopped" in daemon.output
    alerts = alerts_by_article(smtp.messages, truth)
    assert set(alerts) == set(matched_ids(db)) >= positives
    assert all(len(set(ids)) == 1 for ids in alerts.values()), alerts  # one event each
    assert not set(alerts) & set(truth["traps"])
    crawls = crawl_runs(db)
    assert_no_overlapping_runs(crawls)
    assert_access_log_matches_runs(requests, crawls)
    assert not [r for r in runs(db) if r.status == "running"]
    assert integrity(db) == "ok"
    assert daemon_state(db)["state"] == "stopped"


def test_deadman_switch_notifies_once_on_outage_and_once_on_recovery(
    smtp: SmtpServer, workdir: Path
) -> None:
    """No successful crawl for N intervals → one operator e-mail; crawls work again → one
    more; however many failed crawls happen in between. Needs at least five crawls, each a
    child process, on a 1 s schedule (a slot that comes while the last crawl runs is
    skipped): about 7 s here."""
    db = workdir / "mtwatch.db"
    down = threading.Event()
    down.set()

    def outage(request: Request) -> Response | None:
        return Response(503, b"down") if down.is_set() else None

    (workdir / "deadman.toml").write_text(
        FAST_CONFIG + "[daemon]\ndeadman_intervals = 2\n", encoding="utf-8")
    with Replica(articles=30, seed=3) as replica:
        replica.server.interceptors.append(outage)
        env = mtwatch_env(workdir, smtp, MTWATCH_CONFIG=str(workdir / "deadman.toml"))
        daemon = start(["daemon", "--site", replica.base_url, "--interval", "1"], env, workdir,
                       "daemon")
        try:
            wait_until(lambda: len(notices(smtp)) == 1, 120, "the outage notice")
            crawls = len(crawl_runs(db))  # crawls that read nothing: robots.txt answers 503
            wait_until(lambda: len(crawl_runs(db)) >= crawls + 2, 120, "more crawls")
            assert len(notices(smtp)) == 1, "one notice per outage, not one per run"
            down.clear()
            wait_until(lambda: len(notices(smtp)) == 2, 120, "the recovery notice")
        finally:
            assert daemon.terminate() == 0, daemon.output[-3000:]
    subjects = notices(smtp)
    assert subjects[0].startswith("mtwatch: no successful crawl for")
    assert subjects[1] == "mtwatch: crawls succeed again"


def notices(smtp: SmtpServer) -> list[str]:
    return [str(m.message["Subject"]) for m in smtp.messages
            if str(m.message["Subject"]).startswith("mtwatch: ")
            and "missed" not in str(m.message["Subject"])]
