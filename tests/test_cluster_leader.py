"""The leader on PostgreSQL and Redis: what a round queues, that one leader works at a time, the
daemon's cluster slot, and the command line's refusals."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.cli.daemon import _plan
from crawler.cluster.keys import ARTICLE_ID, start_key, workers_prefix
from crawler.cluster.leader import LEADER_KEY, Leader, daemon_round, leader_round
from crawler.cluster.workers import WorkerRegistry
from crawler.config import Config, load_config
from crawler.daemon.scheduler import Daemon
from crawler.lock import RunLease
from crawler.spiders.documents import KIND
from pipelines.storage import Store
from pipelines.storage.leases import Leases
from tests.helpers.daemon import RecordingHooks
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.pg import pg_schema
from tests.helpers.redisdb import RedisForTest, redis_for_test

__all__ = ["redis_for_test"]

SITE = "http://127.0.0.2:8000"
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def pg_store() -> Iterator[str]:
    with pg_schema() as url:
        yield url


def config_for(tmp_path: Path, store_url: str, r: RedisForTest) -> Config:
    user = tmp_path / "cluster.toml"
    user.write_text(f'[sites.moscowtimes]\nurl = "{SITE}"\nfeeds = ["/rss/news"]\n'
                    f'canaries = []\n[store]\nurl = "{store_url}"\n[cluster]\n'
                    f'redis_url = "{r.url}"\nkey_prefix = "{r.prefix}"\nlease_ttl = 60\n'
                    'heartbeat = 10\nworker_expiry = 30\n', encoding="utf-8")
    return load_config(user, env={"MTWATCH_DATA_DIR": str(tmp_path / "data")})


def start_documents(r: RedisForTest) -> list[dict[str, object]]:
    raw = r.client.zrange(start_key(r.prefix, "moscowtimes"), 0, -1)
    return [json.loads(x) for x in raw]


def test_a_round_queues_documents_and_expired_leases_once(
        tmp_path: Path, pg_store: str, redis_for_test: RedisForTest) -> None:
    r = redis_for_test
    config = config_for(tmp_path, pg_store, r)
    dead = f"{SITE}/2026/05/30/held-by-a-dead-worker-a91234"
    held = f"{SITE}/2026/05/30/held-by-a-live-one-a91235"
    with Store(pg_store) as store:
        leases = Leases(store.engine)
        assert leases.claim(dead, "dead:1", T0, timedelta(seconds=60)) is not None
        assert leases.claim(held, "live:2", T0 + timedelta(minutes=5), timedelta(seconds=60))
        report = Leader(config, store, r.client).run_once(T0 + timedelta(minutes=5))
        assert (report.documents, report.articles, report.expired) == (2, 1, 1)
        docs = start_documents(r)
        assert {(d["url"], json.dumps(d["meta"])) for d in docs} == {
            (f"{SITE}/rss/news", json.dumps({KIND: "feed"})),
            (f"{SITE}/sitemap/sitemap.xml", json.dumps({KIND: "sitemap_index"})),
            (dead, json.dumps({ARTICLE_ID: 91234}))}
        assert leases.get(dead).state == "queued"  # type: ignore[union-attr]
        assert leases.get(held).claimed_by == "live:2"  # type: ignore[union-attr]
        again = Leader(config, store, r.client).run_once(T0 + timedelta(minutes=5, seconds=1))
        assert again.articles == 0  # queued and not run out: not pushed twice
        assert len(start_documents(r)) == 3  # the same documents are one entry each
        assert again.depth == {"moscowtimes": 3}
        state = store.get_state(LEADER_KEY)
        assert state is not None
        assert state["waiting"] == 3


def test_one_leader_at_a_time_and_the_daemon_slot_is_a_round(
        tmp_path: Path, pg_store: str, redis_for_test: RedisForTest) -> None:
    config = config_for(tmp_path, pg_store, redis_for_test)
    Store(pg_store).close()
    other = RunLease(pg_store)  # another leader (any machine) holds the store's run lease
    try:
        assert leader_round(config, T0) is None
        assert daemon_round(config).status == "locked"
    finally:
        other.release()
    outcome = daemon_round(config)  # no worker alive: the round is a failed run
    assert outcome.status == "failed", outcome.reason
    assert outcome.counts["queued_documents"] == 2
    with Store(pg_store) as store:
        assert store.last_success() is None
        [run] = store.last_runs(1)
        assert (run.trigger, run.status) == ("leader", "failed")
        assert run.reason == "no live worker: the cluster fetches nothing"
    WorkerRegistry(redis_for_test.client, expiry=30,
                   prefix=workers_prefix(redis_for_test.prefix)).register(time.time())
    plan = _plan(config, None, verbose=False)
    assert plan.leader is not None
    hooks = RecordingHooks()
    crawled = []
    hooks.crawled = crawled.append  # type: ignore[method-assign]
    Daemon(plan, hooks).crawl()  # the daemon's slot: a leader round, no crawl child
    assert [o.status for o in crawled] == ["ok"]
    assert crawled[0].reason.startswith("leader: queued 2 documents")
    assert crawled[0].counts["workers"] == 1
    with Store(pg_store) as store:  # the dead-man's switch and `status` see the cluster run
        assert store.last_success() is not None


def test_without_a_cluster_the_daemon_crawls_as_before(tmp_path: Path) -> None:
    config = load_config(env={"MTWATCH_DATA_DIR": str(tmp_path)})
    assert _plan(config, None, verbose=False).leader is None


def test_worker_and_leader_need_a_cluster(tmp_path: Path) -> None:
    env = mtwatch_env(tmp_path)
    (tmp_path / "fast.toml").write_text("", encoding="utf-8")
    for command in (["worker"], ["leader", "--once"]):
        done = run_cli(command, env, tmp_path)
        assert done.returncode == 2, done.stderr
        assert "set [cluster] redis_url" in done.stderr
    env["MTWATCH_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    done = run_cli(["worker"], env, tmp_path)
    assert done.returncode == 2
    assert "MTWATCH_REDIS_URL: is set, but the store is an SQLite store" in done.stderr


def test_leader_once_on_the_command_line(tmp_path: Path, pg_store: str,
                                         redis_for_test: RedisForTest) -> None:
    config_for(tmp_path, pg_store, redis_for_test)
    env = mtwatch_env(tmp_path, MTWATCH_CONFIG=str(tmp_path / "cluster.toml"),
                      MTWATCH_DB_URL=pg_store)
    done = run_cli(["leader", "--once"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "leader: queued 2 documents and 0 articles" in done.stdout
    assert "alerts: 0 sent" in done.stdout
    assert len(start_documents(redis_for_test)) == 2


def test_status_says_when_redis_does_not_answer(tmp_path: Path, pg_store: str,
                                                redis_for_test: RedisForTest) -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    from crawler.cluster.status import cluster_lines, cluster_status

    config = config_for(tmp_path, pg_store, redis_for_test)
    down = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1,
                       retry=Retry(NoBackoff(), 0))
    with Store(pg_store) as store:
        Leases(store.engine).enqueued([f"{SITE}/2026/05/30/a-a1"], T0, timedelta(seconds=60))
        state = cluster_status(config, store, down, T0)
    assert state["redis_error"].startswith("ConnectionError")
    assert state["leases"] == {"queued": 1}
    lines = cluster_lines(state)
    assert any(line.startswith("redis:            not answering: ConnectionError")
               for line in lines)
    assert "leases:           1 queued, 0 claimed, 0 done" in lines
    assert "worker:           none alive" in lines
    assert lines[0].startswith("leader:           no round yet")
