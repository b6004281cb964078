"""A cluster on this machine for tests: replica sites on their own loopback names, a PostgreSQL
schema, a Redis key prefix, `mtwatch worker` child processes and an in-process leader.

Everything waits on state (store rows, the replica's access log, Redis), never on sleeps: each
wait polls the state it needs, bounded by a deadline that only turns a hang into a failure.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from crawler.cluster.workers import WorkerRegistry
from crawler.config import Config, load_config
from tests.helpers.launch import REPO, mtwatch_env, start_python
from tests.helpers.redisdb import RedisForTest
from tests.helpers.smtp import SmtpServer
from tests.replica import Replica

#: a wait that is not over by then is a hang (the test fails and says what it waited for)
DEADLINE = 240.0
#: how often a wait looks at the state again
POLL = 0.05
#: the workers' heartbeat (seconds). ``quiet`` waits for two beats per look, and the slots are
#: granted a grace of two beats after they were lost (the first take of a fresh key prefix
#: too): a short beat makes both short. It also widens the margin a worker starved of CPU has
#: before its slots and leases run out (the lease TTL less one beat). Only a test that restarts
#: Redis needs a longer one: a live holder must beat within the grace to hold its slots again.
BEAT = 0.5


def wait_for(what: str, ready: Callable[[], bool], deadline: float = DEADLINE) -> None:
    end = time.monotonic() + deadline
    while not ready():
        if time.monotonic() > end:
            raise AssertionError(f"still waiting for {what} after {deadline:g} s")
        time.sleep(POLL)  # polling the state, not a synchronisation by time


def cluster_config(workdir: Path, sites: dict[str, Replica], *, store_url: str,
                   redis_url: str, prefix: str, concurrency: int, lease_ttl: float = 4,
                   heartbeat: float = BEAT, extra: str = "") -> Path:
    """A config file: each replica a site of its own (feeds and the newest monthly sitemap),
    at most ``concurrency`` requests at a time per host, short leases."""
    parts = []
    for name, replica in sites.items():
        parts.append(f'[sites.{name}]\nkind = "moscowtimes"\nenabled = true\n'
                     f'url = "{replica.base_url}"\nfeeds = ["/rss/news"]\n'
                     f'canaries = []\nconcurrency = {concurrency}\ndownload_delay = 0\n')
    if "moscowtimes" not in sites:
        parts.append('[sites.moscowtimes]\nenabled = false\nurl = "http://127.0.0.1:9"\n')
    parts.append(f'[store]\nurl = "{store_url}"\n')
    parts.append(f'[cluster]\nredis_url = "{redis_url}"\nkey_prefix = "{prefix}"\n'
                 f'lease_ttl = {lease_ttl:g}\nheartbeat = {heartbeat:g}\n'
                 f'worker_expiry = {lease_ttl:g}\n')
    parts.append('[alerts]\nbackfill_age = "0"\n')
    parts.append("[crawl]\ndownload_delay = 0\nautothrottle = false\n"
                 "concurrent_requests_per_domain = 8\nrun_timeout = 600\n" + extra)
    path = workdir / "cluster.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


@dataclass
class Cluster:
    workdir: Path
    config_path: Path
    store_url: str
    smtp: SmtpServer | None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    killed: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = mtwatch_env(self.workdir, self.smtp, MTWATCH_CONFIG=str(self.config_path),
                          MTWATCH_DB_URL=self.store_url)
        env.pop("MTWATCH_REDIS_URL", None)
        return env

    def config(self) -> Config:
        return load_config(self.config_path, env={"MTWATCH_DATA_DIR": str(
            self.workdir / "data"), **{k: v for k, v in self.env().items()
                                       if k.startswith("MTWATCH_SMTP") or "EMAIL" in k}})

    def wait(self, what: str, ready: Callable[[], bool], deadline: float = DEADLINE) -> None:
        """``wait_for``, failing at once (with its log) when a worker not killed on purpose
        has exited."""
        def check() -> bool:
            for n, proc in enumerate(self.workers):
                if proc.poll() is not None and proc not in self.killed:
                    raise AssertionError(f"worker {n} exited ({proc.returncode}) while "
                                         f"waiting for {what}:\n{self.log(n)[-3000:]}")
            return ready()
        wait_for(what, check, deadline)

    def start_worker(self, *args: str) -> subprocess.Popen[bytes]:
        n = len(self.workers)
        log = (self.workdir / f"worker-{n}.log").open("wb")
        proc = start_python(
            ["-m", "crawler.cli", "worker", "--poll", "0.1", *args], self.env(), REPO,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.workers.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        self.killed.append(proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self) -> list[int]:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        codes = []
        for proc in self.workers:
            try:
                codes.append(proc.wait(timeout=60))
            except subprocess.TimeoutExpired:
                proc.kill()
                codes.append(proc.wait(timeout=10))
        return codes

    def log(self, n: int) -> str:
        return (self.workdir / f"worker-{n}.log").read_text(encoding="utf-8", errors="replace")

    def rows(self, sql: str, **params: Any) -> list[Any]:
        engine = create_engine(self.store_url)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql), params))
        finally:
            engine.dispose()

    def leader_round(self, now: datetime | None = None) -> Any:
        from crawler.cluster.leader import leader_round

        return leader_round(self.config(), now or datetime.now(UTC))

    def deliver(self) -> Any:
        from pipelines.storage import Store
        from pipelines.wiring import deliver_configured

        with Store(self.store_url) as store:
            return deliver_configured(self.config(), store, now=datetime.now(UTC))


def pids_alive(procs: list[subprocess.Popen[bytes]]) -> bool:
    return all(p.poll() is None for p in procs)


def environ_without_cluster() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}


class PrivateRedis:
    """A Redis server of the test's own on a free loopback port, without persistence, so
    that a restart loses everything in it (as a crash of an unpersisted Redis does)."""

    def __init__(self, workdir: Path) -> None:
        import socket

        self.workdir = workdir
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> PrivateRedis:
        import redis

        self.proc = subprocess.Popen(  # the machine's redis-server, on loopback only
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        try:
            wait_for("the private Redis to answer", answers, 30)
        finally:
            client.close()
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=30)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


def live_work(cluster: Cluster) -> int:
    """URLs queued or claimed whose lease has not run out (someone is on them)."""
    return int(cluster.rows("SELECT count(*) FROM url_leases WHERE state <> 'done' "
                            "AND lease_until > :now", now=datetime.now(UTC))[0][0])


def undone(cluster: Cluster) -> int:
    return int(cluster.rows("SELECT count(*) FROM url_leases WHERE state <> 'done'")[0][0])


def redis_waiting(r: RedisForTest, prefix: str) -> int:
    return sum(int(r.client.zcard(key)) for key in r.client.scan_iter(match=f"{prefix}*:start"))\
        + sum(int(r.client.zcard(key)) for key in r.client.scan_iter(match=f"{prefix}*:requests"))


def beat_since(registry: Any, pids: list[int], since: float) -> bool:
    beats = {w.pid: w.last_heartbeat for w in registry.workers(time.time())}
    return all(beats.get(pid, 0.0) > since for pid in pids)


def quiet(cluster: Cluster, r: RedisForTest, prefix: str) -> bool:
    """Nothing waits in Redis, no live lease, and every live worker said it was idle in a
    heartbeat sent after Redis was seen empty (twice in a row: work passed from one worker to
    another between two looks shows up in the second)."""
    registry = WorkerRegistry(r.client, expiry=60, prefix=f"{prefix}workers:")
    for _ in range(2):
        if redis_waiting(r, prefix) or live_work(cluster):
            return False
        seen = time.time()
        live = [p.pid for p in cluster.workers if p.poll() is None]
        cluster.wait("a heartbeat from every worker",
                     functools.partial(beat_since, registry, live, seen))
        rows = [w for w in registry.workers(time.time()) if w.pid in live]
        if not all(w.idle and w.in_flight == 0 for w in rows):
            return False
    return not (redis_waiting(r, prefix) or live_work(cluster))


def drain(cluster: Cluster, r: RedisForTest, prefix: str, rounds: int = 60) -> None:
    """Leader rounds until every URL the cluster took on is done and nothing is left to do
    (``quiet``); between rounds, wait for the workers to finish or their leases to run out:
    state, not time."""
    for _ in range(rounds):
        cluster.wait("the workers to finish what they hold",
                     lambda: live_work(cluster) == 0 and redis_waiting(r, prefix) == 0)
        report = cluster.leader_round()
        assert report is not None, "the test's leader must hold the run lease"
        cluster.wait("the round to be worked off", lambda: quiet(cluster, r, prefix))
        if report.articles == 0 and undone(cluster) == 0:
            return
    raise AssertionError(f"{undone(cluster)} URLs still not done after {rounds} rounds")


def done_count(cluster: Cluster) -> int:
    return int(cluster.rows("SELECT count(*) FROM url_leases WHERE state = 'done'")[0][0])


def start_sites(stack: ExitStack, count: int, articles: int, seed: int) -> dict[str, Replica]:
    sites = {}
    for i in range(count):
        replica = Replica(articles=articles, seed=seed + i, host=f"127.0.0.{2 + i}")
        stack.enter_context(replica)
        sites[f"site-{i}"] = replica
    return sites
