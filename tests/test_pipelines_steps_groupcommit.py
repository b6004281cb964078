"""Group commit: evaluated articles are written several to a transaction.

Each article stays atomic with its matches and alert rows, nothing is sent before it is
committed, and a crawl killed with -9 loses at most the open batch, whose articles the next
run fetches again (the kill point is a state: the replica's gate holds the crawl after N
article pages, and the test waits for the store to show the committed batches)."""

from __future__ import annotations

import os
import signal
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.steps.groupcommit import BatchPolicy, GroupCommit, batch_policy
from pipelines.storage import Store, StoreError
from pipelines.storage.store import Evaluated
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.ops import alerts_by_article, sample_article, sample_match, wait_until
from tests.helpers.procs import wait_gone
from tests.helpers.smtp import SmtpServer
from tests.helpers.trials import GATES, crawl_child, start_run
from tests.replica import Replica
from tests.replica.gate import Gate
from tests.replica.harness import article_id, article_paths

T0 = datetime(2024, 3, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_batch_is_written_when_full_and_the_results_pair_with_their_entries() -> None:
    writes: list[list[int]] = []

    def write(batch: object) -> list[int]:
        entries = list(batch)  # type: ignore[call-overload]
        writes.append(entries)
        return [10 * e for e in entries]

    commits = GroupCommit(write, BatchPolicy(size=3, max_wait=60), Clock())
    assert commits.add(1) == []
    assert commits.add(2) == []
    assert commits.pending == 2
    assert writes == []
    assert commits.add(3) == [(1, 10), (2, 20), (3, 30)]
    assert commits.add(4) == []
    assert commits.flush() == [(4, 40)]
    assert commits.flush() == []  # nothing open: no empty transaction
    assert writes == [[1, 2, 3], [4]]


def test_an_old_batch_is_written_with_the_next_entry() -> None:
    clock = Clock()
    commits = GroupCommit(lambda batch: list(batch), BatchPolicy(size=100, max_wait=5), clock)
    commits.add("a")
    clock.now = 4.9
    assert commits.add("b") == []
    clock.now = 5.0
    assert [entry for entry, _ in commits.add("c")] == ["a", "b", "c"]


def test_a_failed_write_raises_and_forgets_the_batch() -> None:
    def broken(_batch: object) -> list[None]:
        raise StoreError("disk is full")

    commits = GroupCommit(broken, BatchPolicy(size=2), Clock())
    commits.add(1)
    with pytest.raises(StoreError):
        commits.add(2)
    assert commits.pending == 0  # never stored: the next run fetches these articles again


@pytest.mark.parametrize(("settings", "message"), [
    ({"MTWATCH_STORE_BATCH": "0"}, "MTWATCH_STORE_BATCH must be 1 to 1000"),
    ({"MTWATCH_STORE_BATCH": "lots"}, "MTWATCH_STORE_BATCH must be a whole number"),
    ({"MTWATCH_STORE_BATCH_SECONDS": "-1"}, "MTWATCH_STORE_BATCH_SECONDS must be more than 0"),
])
def test_bad_batch_settings_name_the_setting(settings: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        batch_policy(settings)


def test_empty_batch_settings_mean_the_defaults() -> None:
    assert batch_policy({"MTWATCH_STORE_BATCH": "", "MTWATCH_STORE_BATCH_SECONDS": ""}) == \
        BatchPolicy()
    assert batch_policy({"MTWATCH_STORE_BATCH": "1"}).size == 1


def test_a_batch_is_one_transaction_each_article_with_its_matches(store: Store) -> None:
    """Three articles, two with a match: all stored with their alert rows at once; a batch
    whose last match cannot be recorded stores nothing at all (no article without its match,
    no match or alert row of an article that is not stored)."""
    batch = [Evaluated(sample_article(i, T0), [sample_match(i, T0)] if i != 2 else [])
             for i in (1, 2, 3)]
    assert store.store_evaluated_many(batch, ["email"]) == [
        ("inserted", 1), ("inserted", 0), ("inserted", 1)]
    assert {m.article_id for m in store.list_matches()} == {1, 3}
    assert len(store.list_alerts()) == 2

    broken = [Evaluated(sample_article(4, T0), [sample_match(4, T0)]),
              Evaluated(sample_article(5, T0), [sample_match(99, T0)])]  # 99 is not stored
    with pytest.raises(StoreError):
        store.store_evaluated_many(broken, ["email"])
    assert store.get_article(4) is None
    assert store.get_article(5) is None
    assert {m.article_id for m in store.list_matches()} == {1, 3}
    assert len(store.list_alerts()) == 2


def test_a_batch_stores_each_article_as_a_store_of_its_own_would(store: Store) -> None:
    """The batch reads its rows at once and rewrites them together; the outcomes, the IDs
    and the rows are those of one article at a time: unchanged, updated, inserted (a new row,
    and a row discovered before its fetch), and an article named twice."""
    store.store_evaluated(sample_article(1, T0), [], ["email"])
    store.store_evaluated(sample_article(2, T0), [], ["email"])
    discovered = replace(sample_article(5, T0), state="discovered", text="", html_sha256="")
    store.store_evaluated(discovered, [], ["email"])
    batch = [Evaluated(sample_article(1, T0), []),
             Evaluated(sample_article(2, T0, text="Changed text."), [sample_match(2, T0)]),
             Evaluated(sample_article(3, T0), []),
             Evaluated(sample_article(5, T0), [sample_match(5, T0)])]
    assert store.store_evaluated_many(batch, ["email"]) == [
        ("unchanged", 0), ("updated", 1), ("inserted", 0), ("inserted", 1)]
    assert [store.get_article(n).text for n in (1, 2, 3, 5)] == [  # type: ignore[union-attr]
        "Some text.", "Changed text.", "Some text.", "Some text."]
    twice = [Evaluated(sample_article(6, T0), []),
             Evaluated(sample_article(6, T0, text="Again."), [])]
    assert store.store_evaluated_many(twice, ["email"]) == [("inserted", 0), ("updated", 0)]
    assert store.get_article(6).text == "Again."  # type: ignore[union-attr]


# ---- through the real CLI ------------------------------------------------------------------

BATCH = 5
#: article pages the replica answers before its gate holds the crawl: two full batches and
#: one or two more (the replica lists at most one soft-404 ghost, which makes no article)
ANSWERED = 2 * BATCH + 2


def _evaluated(db: Path) -> set[int]:
    if not db.exists():
        return set()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        try:
            rows = conn.execute("SELECT article_id FROM articles WHERE state = 'evaluated'")
            return {r[0] for r in rows}
        except sqlite3.OperationalError:  # the schema is not there yet
            return set()


def _states(db: Path) -> dict[int, str]:
    with sqlite3.connect(db, timeout=30) as conn:
        return dict(conn.execute("SELECT article_id, state FROM articles"))


def _matched(db: Path) -> set[int]:
    with sqlite3.connect(db, timeout=30) as conn:
        return {r[0] for r in conn.execute("SELECT article_id FROM matches")}


@pytest.mark.e2e
def test_kill_9_loses_at_most_the_open_batch_and_the_next_run_fetches_it_again(
    smtp: SmtpServer, workdir: Path,
) -> None:
    db = workdir / "mtwatch.db"
    config = workdir / "fast.toml"  # no canary: every gated page is one the crawl asked for
    config.write_text("[sites.moscowtimes]\ncanaries = []\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    env = mtwatch_env(workdir, smtp, MTWATCH_STORE_BATCH=str(BATCH),
                      MTWATCH_STORE_BATCH_SECONDS="86400")  # batches close by size only
    with Replica(articles=60, seed=13) as replica:
        gate = Gate(GATES["article"], ANSWERED).install(replica.server)
        proc, err = start_run(env, workdir, replica.base_url, ["--since", "2023-01-01"], "first")
        try:
            wait_until(lambda: gate.held.is_set() or proc.poll() is not None, 300,
                       "the crawl to reach the gate", every=0.02)
            assert proc.poll() is None, err.read_text()
            wait_until(lambda: len(_evaluated(db)) >= 2 * BATCH, 300,
                       "two batches to be committed", every=0.05)
            # before the kill: the held requests are logged once the gate lets them go, and the
            # gate counts a request as it lets it through, the log once its answer is written
            wait_until(lambda: len(article_paths(replica.access_log.snapshot())) >= gate.passed,
                       60, "the answered article pages to be logged", every=0.02)
            answered = {article_id(p) for p in article_paths(replica.access_log.snapshot())}
            child = crawl_child(proc.pid)
            os.kill(child, signal.SIGKILL)  # the crawl, with its open batch, dies at once
            wait_gone([child], 60, "the killed crawl")
        finally:
            gate.remove()
        assert proc.wait(timeout=120) == 1
        committed = _evaluated(db)
        states = _states(db)
        assert len(answered) == ANSWERED
        # only whole batches were committed; nothing of the open one
        assert len(committed) == 2 * BATCH, sorted(committed)
        lost = {a for a in answered - committed if a in states}  # a soft 404 is no article
        assert 1 <= len(lost) < BATCH, (sorted(answered), sorted(committed))
        assert all(states[a] == "discovered" for a in lost)
        assert _matched(db) <= committed, "a match of an article that was not stored"
        assert smtp.messages == [], "an alert went out before its batch was committed"

        replica.access_log.clear()
        second = run_cli(["run", "--site", replica.base_url], env, workdir)
        assert second.returncode == 0, second.stderr[-2000:]
        refetched = {article_id(p) for p in article_paths(replica.access_log.snapshot())}
        positives = set(replica.truth["positives"])
        alerts = alerts_by_article(smtp.messages, replica.truth)
    assert lost <= refetched, "the next run must fetch the lost batch again"
    assert not committed & refetched, "committed articles are not fetched again"
    assert {a["id"] for a in replica.truth["articles"]} <= _evaluated(db)
    assert positives <= _matched(db)
    assert set(alerts) == _matched(db)
    assert all(len(ids) == 1 for ids in alerts.values()), "an alert was sent twice"


@pytest.mark.e2e
def test_the_last_open_batch_is_stored_before_the_crawl_sends_its_alerts(
    smtp: SmtpServer, workdir: Path,
) -> None:
    """A batch bigger than the crawl: every article waits in the open batch until the end,
    and still every match is alerted by this same run."""
    env = mtwatch_env(workdir, smtp, MTWATCH_STORE_BATCH="1000",
                      MTWATCH_STORE_BATCH_SECONDS="86400")
    with Replica(articles=60, seed=13) as replica:
        done = run_cli(["run", "--site", replica.base_url, "--since", "2023-01-01"], env,
                       workdir)
        assert done.returncode == 0, done.stderr[-2000:]
        alerts = alerts_by_article(smtp.messages, replica.truth)
        positives = set(replica.truth["positives"])
    assert positives
    assert positives <= _matched(workdir / "mtwatch.db")
    assert set(alerts) == _matched(workdir / "mtwatch.db")
