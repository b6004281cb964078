"""Cluster throughput with 1, 2 and 3 `mtwatch worker` processes on this machine.

    MTWATCH_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/cluster_workers.py [--sites 6] [--articles 400] [--workers 1 2 3]

For each worker count: a fresh PostgreSQL schema and Redis prefix, --sites replica sites on
their own loopback names (127.0.0.2, …; --concurrency requests at a time per host), the
workers started and registered, then leader rounds until everything the cluster took on is
done (the kill test's drain). Throughput is the articles stored divided by the time from the
first leader round to the last article's commit (``articles.fetched_at``), so worker start-up
and the drain's final idle checks are not counted. Prints one line per worker count, with the
workers' CPU time per article and the machine's load average (on shared cores, more workers
only help while a core is free).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import redis  # noqa: E402

from tests.helpers.cluster import Cluster, cluster_config, drain, start_sites  # noqa: E402
from tests.helpers.pg import pg_schema  # noqa: E402
from tests.helpers.redisdb import RedisForTest, redis_url  # noqa: E402


def one_run(workers: int, sites: int, articles: int, concurrency: int) -> tuple[int, float]:
    """(articles stored, seconds from the first round to the last commit)."""
    client = redis.Redis.from_url(redis_url(), socket_timeout=10)
    prefix = f"mtwbench:{uuid.uuid4().hex[:8]}:"
    r = RedisForTest(redis_url(), client, prefix)
    try:
        with TemporaryDirectory(prefix="mtwatch-bench-") as tmp, pg_schema() as store_url, \
                ExitStack() as stack:
            workdir = Path(tmp)
            replicas = start_sites(stack, sites, articles=articles, seed=40)
            config = cluster_config(workdir, replicas, store_url=store_url, redis_url=r.url,
                                    prefix=prefix, concurrency=concurrency)
            cluster = Cluster(workdir, config, store_url, None)
            try:
                for _ in range(workers):
                    cluster.start_worker()
                cluster.wait("the workers to register", lambda: sum(
                    1 for _ in client.scan_iter(match=f"{prefix}workers:w:*")) == workers)
                started = datetime.now(UTC)
                drain(cluster, r, prefix)
            finally:
                cluster.stop_all()
            count, last = cluster.rows("SELECT count(*), max(fetched_at) FROM articles "
                                       "WHERE state = 'evaluated'")[0]
            return int(count), (last - started).total_seconds()
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--concurrency", type=int, default=2,
                        help="requests at a time per host, across the workers")
    args = parser.parse_args()
    base = None
    for workers in args.workers:
        began = time.monotonic()
        cpu, own = _children_cpu(), _own_cpu()
        count, seconds = one_run(workers, args.sites, args.articles, args.concurrency)
        per_article = (_children_cpu() - cpu) / max(count, 1) * 1000
        sites_cpu = (_own_cpu() - own) / (time.monotonic() - began)
        rate = count / seconds
        base = base or rate
        print(f"{workers} worker(s): {count} articles in {seconds:.1f} s = {rate:.1f}/s "
              f"({rate / base:.2f}x); workers' CPU {per_article:.0f} ms/article; replica "
              f"sites and leader (this process) {sites_cpu:.0%} of a core; load "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; whole run "
              f"{time.monotonic() - began:.0f} s", flush=True)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
