"""End to end: replica + SMTP server on loopback, the real `mtwatch run` and `scrapy crawl`."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers.launch import (
    REPO,
    ReplicaProcess,
    mtwatch_env,
    run_cli,
    run_cli_here,
    run_python,
)
from tests.helpers.smtp import SmtpServer

pytestmark = pytest.mark.e2e


def stored(db: Path) -> dict[str, Counter[int]]:
    with sqlite3.connect(db) as conn:
        articles = Counter(r[0] for r in conn.execute("SELECT article_id FROM articles"))
        matches = Counter(r[0] for r in conn.execute("SELECT article_id FROM matches"))
    return {"articles": articles, "matches": matches}


def emailed_articles(smtp: SmtpServer, truth: dict) -> Counter[int]:
    """Which replica article each delivered email is about (by its link)."""
    by_url = {a["url"]: a["id"] for a in truth["articles"]}
    found: Counter[int] = Counter()
    for envelope in smtp.messages:
        part = envelope.message.get_body(("plain",))
        assert part is not None
        body = part.get_content()
        ids = {aid for url, aid in by_url.items() if url in body}
        assert len(ids) == 1, f"an alert must be about exactly one article: {ids}"
        found[ids.pop()] += 1
    return found


def assert_clean_log(log: str) -> None:
    """A healthy run logs no error: no traceback, no spider error, no failing signal handler
    (Scrapy only logs those; the run would still look fine)."""
    for needle in ("Traceback", "Error caught on signal handler", "Spider error processing",
                   "] ERROR:"):
        assert needle not in log, log[log.index(needle) - 200:][:3000]


def published_ids(truth: dict) -> set[int]:
    return {a["id"] for a in truth["articles"]}


def check_first_run(db: Path, smtp: SmtpServer, truth: dict) -> None:
    state = stored(db)
    assert set(state["articles"]) == published_ids(truth)
    assert max(state["articles"].values()) == 1
    positives, traps = set(truth["positives"]), set(truth["traps"])
    assert positives, "the replica must plant positives"
    assert positives <= set(state["matches"]), f"missed: {positives - set(state['matches'])}"
    assert not traps & set(state["matches"]), f"traps matched: {traps & set(state['matches'])}"
    assert set(state["matches"]) == positives
    emailed = emailed_articles(smtp, truth)
    assert emailed == Counter(dict.fromkeys(positives, 1))
    for message in smtp.messages:
        assert sorted(message.rcpt_tos) == ["analyst@test.invalid", "desk@test.invalid"]


def test_mtwatch_run_end_to_end(replica: ReplicaProcess, smtp: SmtpServer, workdir: Path) -> None:
    """The whole chain through the real command line on the 300-article replica, a full crawl
    then an incremental one: 40-80 s here."""
    env = mtwatch_env(workdir, smtp)
    args = ["run", "--site", replica.base_url, "--since", "2023-01-01"]
    first = run_cli(args, env, workdir)
    assert first.returncode == 0, first.stderr
    check_first_run(workdir / "mtwatch.db", smtp, replica.truth)
    assert "soft 404" in first.stdout
    assert_clean_log((workdir / "data" / "logs" / "last-run.log").read_text(encoding="utf-8"))

    sent_before = len(smtp.messages)
    second = run_cli(args, env, workdir)
    assert second.returncode == 0, second.stderr
    assert len(smtp.messages) == sent_before, "a second run must not email again"
    state = stored(workdir / "mtwatch.db")
    assert set(state["articles"]) == published_ids(replica.truth)
    assert max(state["articles"].values()) == 1

    listed = run_cli_here(["matches", "--format", "csv"], env, workdir)
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.strip().splitlines()) == 1 + len(replica.truth["positives"])


def test_scrapy_crawl_end_to_end(replica: ReplicaProcess, smtp: SmtpServer, workdir: Path) -> None:
    """The same through `scrapy crawl`, twice on the 300-article replica: 35-80 s here."""
    env = mtwatch_env(workdir, smtp)
    command = ["-m", "scrapy", "crawl", "moscowtimes", "-s",
               f"MTWATCH_SITE={replica.base_url}", "-s", "MTWATCH_SINCE=2023-01-01",
               "-s", "LOG_LEVEL=WARNING"]
    for _ in range(2):
        done = run_python(command, env, REPO)
        assert done.returncode == 0, done.stderr[-3000:]
        assert_clean_log(done.stderr)
    check_first_run(workdir / "mtwatch.db", smtp, replica.truth)
