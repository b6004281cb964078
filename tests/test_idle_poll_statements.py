"""What an idle poll asks of the store: its crawl child (everything ``mtwatch run`` does with
the store happens there) run against the replica after a first run has read everything, every
feed and sitemap answering 304. Each 304 is one write transaction (its poll, its schedule and
its last check together, the stored copy not written again), the run's start is one, and the
statements stay few, while the run is still recorded and conditional GETs still made."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from crawler.launcher import CrawlOptions, crawl_command
from tests.helpers.launch import FAST_CONFIG, REPO, mtwatch_env
from tests.replica import Replica
from tests.replica.harness import mtwatch_run, query

pytestmark = pytest.mark.e2e

#: the crawl child, as ``mtwatch run`` starts it, with every SQL statement it sends counted
COUNTING_CHILD = """
import json, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
sent = []
event.listen(Engine, "before_cursor_execute",
             lambda conn, cursor, statement, *rest: sent.append(" ".join(statement.split())))
from crawler.crawl import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "sent": sent}, out)
"""

#: write transactions of an idle poll besides one per 304: the schema check (it takes the
#: write lock in case it must migrate), the run's start, the health monitors' state, its end
FIXED_WRITES = 4
#: statements of an idle poll besides those of its 304s (each: BEGIN, the poll read and
#: written, its schedule, its last check), BEGINs included; 35 when this was written
FIXED_STATEMENTS = 35
PER_304 = 5


def _idle_poll(workdir: Path, base: str) -> tuple[dict[str, int], list[str], dict[str, object]]:
    """The counts of the crawl child's verdict, the statements it sent, its verdict."""
    verdict = workdir / "verdict.json"
    command = crawl_command(CrawlOptions(site=base, log_file=workdir / "idle.log"), verdict)
    config = workdir / "crawl.toml"
    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(config))
    sent_file = workdir / "sent.json"
    subprocess.run([sys.executable, "-c", COUNTING_CHILD, str(sent_file), *command[3:]],
                   cwd=REPO, env=env, check=True, timeout=300, capture_output=True)
    found = json.loads(sent_file.read_text(encoding="utf-8"))
    assert found["code"] == 0
    summary = json.loads(verdict.read_text(encoding="utf-8"))
    return dict(summary["counts"]), list(found["sent"]), summary


def test_an_idle_poll_writes_each_304_in_one_transaction_and_sends_few_statements(
        tmp_path: Path) -> None:
    with Replica(articles=60, seed=1) as replica:
        first = mtwatch_run(tmp_path, replica.base_url, config=FAST_CONFIG)
        assert first.returncode == 0, first.stderr
        replica.access_log.clear()
        counts, sent, summary = _idle_poll(tmp_path, replica.base_url)
        asked = replica.access_log.snapshot()
    unchanged = sum(n for name, n in counts.items()
                    if name.startswith("documents/") and name.endswith("/unchanged"))
    assert unchanged >= counts["sources polled"] >= 3  # the feeds and the sitemap index (and
    assert counts["fetched"] == 0                      # what it leads to), each once
    # conditional GETs, answered 304
    documents = [a for a in asked if a.path.startswith(("/rss/", "/sitemap/"))]
    assert len(documents) == unchanged
    for record in documents:
        assert record.status == 304
        assert {k.lower() for k in record.headers} & {"if-none-match", "if-modified-since"}
    # the run is recorded, ok
    assert summary["status"] == "ok"
    [(status,)] = query(tmp_path, "SELECT status FROM runs WHERE id = ?", summary["run_id"])
    assert status == "ok"
    # what it cost the store
    writes = sum(statement == "BEGIN IMMEDIATE" for statement in sent)
    assert writes == FIXED_WRITES + unchanged, sent
    assert not [s for s in sent if s.startswith("INSERT INTO sources")], "304s insert nothing"
    assert len(sent) <= FIXED_STATEMENTS + PER_304 * unchanged, "\n".join(sent)


def test_a_backfill_writes_each_monthly_sitemap_in_one_transaction(tmp_path: Path) -> None:
    """What a monthly sitemap gives (its articles, its stored copy, its poll and the
    horizon's progress) is one write transaction: all of it stored or none, one sync to disk
    instead of four."""
    (tmp_path / "crawl.toml").write_text(FAST_CONFIG, encoding="utf-8")
    env = mtwatch_env(tmp_path, MTWATCH_CONFIG=str(tmp_path / "crawl.toml"))
    sent_file = tmp_path / "sent.json"
    with Replica(articles=60, seed=1) as replica:
        command = crawl_command(CrawlOptions(site=replica.base_url, since=date(2023, 1, 1),
                                             log_file=tmp_path / "backfill.log"),
                                tmp_path / "verdict.json")
        subprocess.run([sys.executable, "-c", COUNTING_CHILD, str(sent_file), *command[3:]],
                       cwd=REPO, env=env, check=True, timeout=300, capture_output=True)
        monthly = [r for r in replica.access_log.snapshot()
                   if r.path.startswith("/sitemap/") and r.path != "/sitemap/sitemap.xml"
                   and r.status == 200 and "news" not in r.path]
    found = json.loads(sent_file.read_text(encoding="utf-8"))
    assert found["code"] == 0
    transactions: list[list[str]] = []
    for statement in found["sent"]:
        if statement.startswith("BEGIN"):
            transactions.append([])
        elif transactions:
            transactions[-1].append(statement)
    walked = [t for t in transactions if any(s.startswith("UPDATE backfills") for s in t)
              and any(s.startswith("INSERT INTO sources") for s in t)
              and any(s.startswith("INSERT INTO source_polls") for s in t)]
    assert len(monthly) >= 3
    assert len(walked) == len(monthly)  # each sitemap's copy, poll and progress: together
    # and the articles it lists (those the feeds had not given already) in the same one
    assert sum(any(s.startswith("SELECT articles.article_key") for s in t) for t in walked) >= 3
