"""`mtwatch status`: last runs, alert backlog, time since the last success, the daemon."""

from __future__ import annotations

import json
import os
import re
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipelines.storage import Store
from tests.helpers.launch import mtwatch_env, run_cli_here
from tests.helpers.ops import sample_article, sample_match


def run_row(store: Store, status: str, finished: datetime, reason: str = "") -> None:
    run_id = store.start_run(trigger="cron", now=finished - timedelta(seconds=30))
    store.finish_run(run_id, now=finished, status=status, reason=reason,
                     stats={"evaluated": 12, "matched": 1})


def test_status_of_a_new_store_is_quiet_and_healthy(workdir: Path, store_url: str) -> None:
    done = run_cli_here(["status"], mtwatch_env(workdir, MTWATCH_DB_URL=store_url), workdir)
    assert done.returncode == 0, done.stderr
    assert "last success:     never" in done.stdout
    assert "never ran on this store" in done.stdout


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_status_reports_runs_alerts_and_staleness(workdir: Path, store_url: str) -> None:
    now = datetime.now(UTC)
    with Store(store_url) as store:
        run_row(store, "ok", now - timedelta(hours=5))
        run_row(store, "failed", now - timedelta(hours=1), reason="site unreachable: DNS")
        store.record_slot(trigger="daemon", now=now - timedelta(minutes=30), status="missed",
                          reason="slot came late")
        store.upsert_article(sample_article(1, now - timedelta(days=1)))
        store.record_match(sample_match(1, now - timedelta(hours=5)), ["email"])
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    done = run_cli_here(["status", "--json"], env, workdir)
    elapsed = (datetime.now(UTC) - now).total_seconds()  # however long the machine took
    assert done.returncode == 1, "no success for 5 h > 3 intervals of 15 min: stale"
    assert re.match(r"mtwatch: warning: no successful crawl for 5\.\d h", done.stderr.strip())
    data = json.loads(done.stdout)
    assert data["stale"] is True
    assert 5 * 3600 <= data["seconds_since_last_success"] <= 5 * 3600 + elapsed + 1
    assert data["alerts"] == {"pending": 1, "sending": 0, "sent": 0, "dead": 0}
    assert [r["status"] for r in data["runs"]] == ["missed", "failed", "ok"]
    assert data["runs"][1]["reason"] == "site unreachable: DNS"
    assert data["daemon"] is None
    table = run_cli_here(["status"], env, workdir)
    assert "site unreachable" in table.stdout
    assert "STALE" in table.stdout


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_status_shows_the_running_daemons_next_crawl(workdir: Path, store_url: str) -> None:
    now = datetime.now(UTC)
    nxt = now + timedelta(minutes=7)
    with Store(store_url) as store:
        run_row(store, "ok", now - timedelta(minutes=8))
        store.put_state("daemon", {
            "pid": os.getpid(), "host": socket.gethostname(), "schedule": "every 900 s",
            "interval_s": 900, "state": "running", "heartbeat_at": now.isoformat(),
            "next_crawl_at": nxt.isoformat()}, now=now)
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    data = json.loads(run_cli_here(["status", "--json"], env, workdir).stdout)
    assert data["stale"] is False
    assert data["daemon"]["alive"] is True
    assert data["next_crawl_at"] == nxt.isoformat()
    text = run_cli_here(["status"], env, workdir).stdout
    assert "running (pid" in text
    assert "next crawl" in text


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_status_knows_a_dead_daemon(workdir: Path, store_url: str) -> None:
    now = datetime.now(UTC)
    with Store(store_url) as store:
        store.put_state("daemon", {
            "pid": 2**22 + 1, "host": socket.gethostname(), "schedule": "every 900 s",
            "interval_s": 900, "state": "running", "heartbeat_at": now.isoformat(),
            "next_crawl_at": now.isoformat()}, now=now)
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    data = json.loads(run_cli_here(["status", "--json"], env, workdir).stdout)
    assert data["daemon"]["alive"] is False
    assert data["next_crawl_at"] is None


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_status_shows_the_coverage_monitors(workdir: Path, store_url: str) -> None:
    from crawler.health.monitor_state import advance
    from crawler.health.readings import Reading

    now = datetime.now(UTC)
    moved = advance({}, [Reading("zone", True, "layout changed? 9 of 9 article pages had no "
                                 "article zone (this run)"), Reading("soft_404", False)], now)
    with Store(store_url) as store:
        run_id = store.start_run(trigger="cron", now=now - timedelta(minutes=2))
        store.finish_run(run_id, now=now - timedelta(minutes=1), status="degraded",
                         reason=moved.reasons()[0], stats={"discovered": 9, "evaluated": 9})
        store.put_state("monitors", moved.state, now=now)
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    table = run_cli_here(["status"], env, workdir)
    assert table.returncode == 0, table.stderr
    assert "monitors:         1 tripped, 1 ok" in table.stdout
    assert "TRIPPED zone: layout changed? 9 of 9 article pages" in table.stdout
    assert table.stderr.startswith("mtwatch: warning: coverage monitor zone: layout changed?")
    data = json.loads(run_cli_here(["status", "--json"], env, workdir).stdout)
    assert data["monitors"]["zone"]["tripped"] is True
    assert data["monitors"]["soft_404"]["tripped"] is False


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_status_lists_each_sites_feeds_and_sitemaps(workdir: Path, store_url: str) -> None:
    """Per source: last poll, last status, 304 rate over its recent polls, consecutive
    failures and the last error, a server's words shown as inert, bounded text."""
    now = datetime.now(UTC)
    feed, index = "https://blog.example/feed.xml", "https://www.themoscowtimes.com/sitemap.xml"
    hostile = "[bold red]http_503[/bold red]: \x1b[2Kdown " + "y" * 600
    with Store(store_url) as store:
        for n, status in enumerate(("304", "304", "200", "error", "error")):
            store.record_poll(feed, site="blog", kind="feed", status=status, error=hostile,
                              now=now - timedelta(hours=5 - n))
        for n in range(4):
            store.record_poll(index, site="moscowtimes", kind="sitemap_index", status="304",
                              now=now - timedelta(hours=4 - n))
        due = now.replace(microsecond=0) + timedelta(minutes=100)
        store.save_poll_schedule(index, {"interval": 6000.0, "next_poll_at": due.timestamp()},
                                 due)
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    data = json.loads(run_cli_here(["status", "--json"], env, workdir).stdout)
    blog, mt = data["sources"]
    assert (blog["site"], blog["kind"], blog["url"]) == ("blog", "feed", feed)
    assert blog["last_status"] == "error"
    assert blog["consecutive_failures"] == 2
    assert (blog["unchanged_polls"], blog["recent_polls"]) == (2, 5)
    assert blog["last_error"].startswith("[bold red]http_503[/bold red]: \x1b[2Kdown")
    assert len(blog["last_error"]) == 500  # bounded where it is stored
    assert blog["last_poll"] == blog["last_error_at"]
    assert (mt["site"], mt["last_status"], mt["unchanged_share"]) == ("moscowtimes", "304", 1.0)
    assert mt["consecutive_failures"] == 0
    assert mt["last_error"] is None
    assert (mt["poll_interval_seconds"], mt["next_poll_due"]) == (6000.0, due.isoformat())
    assert (blog["poll_interval_seconds"], blog["next_poll_due"]) == (None, None)
    table = run_cli_here(["status"], env, workdir).stdout
    assert "2 feed(s) and sitemap(s)" in table
    flat = " ".join(table.split())
    assert "40 % of 5" in flat
    assert "100 % of 4" in flat
    assert "1 h 40 min" in flat
    assert due.strftime("%Y-%m-%d %H:%M UTC") in flat
    # the error column is narrow: its text folds over lines
    error = " ".join(" ".join(line.rsplit("│", 2)[-2] for line in table.splitlines()
                               if line.count("│") > 2).split())
    assert "[bold red]http_503[/bold red]" in error  # markup shown as text, not applied
    assert "\x1b" not in table
    assert "y" * 200 not in table.replace("\n", "").replace(" ", "").replace("│", "")
    assert table.index("blog.example") < table.index("themoscowtimes.com")  # failing first


def test_status_says_when_no_source_was_read(workdir: Path, store_url: str) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    done = run_cli_here(["status", "--json"], env, workdir)
    assert json.loads(done.stdout)["sources"] == []
    table = run_cli_here(["status"], env, workdir).stdout
    assert "no feed or sitemap read yet" in table
