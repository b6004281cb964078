"""``mtwatch worker``'s process: Scrapy on scrapy-redis, one crawler per site, with the real
crawl path (the site spider's callbacks, the same pipelines) and the cluster's pieces around it.

Differences from ``mtwatch run``'s crawl, each for a reason:
- the scheduler and queues are scrapy-redis's, set safely (crawler.cluster.settings);
- no crawl lock and no run rows (RunHealth): workers run side by side, for ever;
- each article is written in its own transaction (``MTWATCH_STORE_BATCH=1``): its lease is
  completed only once its row is committed, so a kill loses no article;
- a URL lease before each article fetch, and per-host politeness across workers
  (crawler.cluster.middlewares); a heartbeat extends the leases and refreshes the registry.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from crawler.cluster.keys import workers_prefix
from crawler.cluster.runtime import WorkerRuntime, register_runtime
from crawler.cluster.settings import cluster_settings

if TYPE_CHECKING:
    import redis
    from scrapy.settings import BaseSettings

    from crawler.config import Config
    from crawler.context import CrawlContext

logger = logging.getLogger(__name__)

LEASE_MIDDLEWARE = "crawler.cluster.middlewares.LeaseMiddleware"
POLITENESS_MIDDLEWARE = "crawler.cluster.middlewares.ClusterPolitenessMiddleware"


def worker_settings(config: Config, base: BaseSettings, *, poll: float = 1.0,
                    log_level: str = "INFO", log_file: str | None = None) -> dict[str, Any]:
    """The Scrapy settings a worker lays over the project's (``base``: crawler/settings.py)."""
    cluster = config.cluster
    extensions = dict(base.getdict("EXTENSIONS"))
    extensions["crawler.health.extension.RunHealth"] = None  # no crawl lock, no run rows
    downloader = dict(base.getdict("DOWNLOADER_MIDDLEWARES"))
    downloader[LEASE_MIDDLEWARE] = 120  # after the origin lock and robots.txt
    downloader[POLITENESS_MIDDLEWARE] = 950  # just before the download
    # one crawler per site: no more of its requests at once than the site's hosts may take
    # across the cluster (more would only wait in Redis for a politeness slot, polling)
    from crawler.politeness import site_politeness

    slots = site_politeness(config)
    at_once = max((int(v["concurrency"]) for v in slots.values()), default=2)
    return {
        **cluster_settings(cluster.redis_url, key_prefix=cluster.key_prefix),
        "CONCURRENT_REQUESTS": at_once,
        "MTWATCH_CLUSTER_PREFIX": cluster.key_prefix,
        "MTWATCH_SLOT_TTL": cluster.lease_ttl,
        "MTWATCH_SLOT_GRACE": cluster.heartbeat * 2,
        "EXTENSIONS": extensions,
        "DOWNLOADER_MIDDLEWARES": downloader,
        "MTWATCH_STORE_BATCH": "1",
        "MTWATCH_WORKER_POLL": poll,
        "MTWATCH_TRIGGER": "worker",
        "LOG_LEVEL": log_level,
        "LOG_FILE": log_file,
    }


def redis_client(url: str) -> redis.Redis:
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10)


def build_runtime(config: Config, context: CrawlContext, client: redis.Redis) -> WorkerRuntime:
    from crawler.cluster.workers import WorkerRegistry
    from pipelines.storage.leases import Leases

    cluster = config.cluster
    registry = WorkerRegistry(client, expiry=cluster.worker_expiry,
                              prefix=workers_prefix(cluster.key_prefix))
    return WorkerRuntime(Leases(context.store.engine), registry,
                         ttl=timedelta(seconds=cluster.lease_ttl))


def run_worker(config: Config, *, poll: float = 1.0, log_level: str = "INFO",
               log_file: str | None = None) -> int:
    """Crawl from Redis until SIGTERM/SIGINT; 0 after a clean stop."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.context import CrawlContext, register

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, value in worker_settings(config, settings, poll=poll, log_level=log_level,
                                       log_file=log_file).items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)  # installs the reactor: Twisted imports come after

    from crawler.cluster.spider import WorkerSpider

    context = CrawlContext.from_config(config)
    register(context, process.settings)
    client = redis_client(config.cluster.redis_url)
    runtime = build_runtime(config, context, client)
    register_runtime(runtime, process.settings)
    for name in context.sites:
        process.crawl(WorkerSpider, site=name)
    runtime.register()

    from twisted.internet.task import LoopingCall  # the reactor is Scrapy's by now

    beat = LoopingCall(_beat, runtime)
    beat.start(config.cluster.heartbeat, now=False)
    try:
        process.start()
    finally:
        if beat.running:
            beat.stop()
        try:
            runtime.stop()
        finally:
            context.close()
            client.close()
    return 1 if process.bootstrap_failed else 0


def _beat(runtime: WorkerRuntime) -> None:
    """One heartbeat; a store or Redis hiccup is logged and the next beat tries again."""
    try:
        runtime.heartbeat()
    except Exception:  # the leases run out if this keeps failing: the leader requeues them
        logger.exception("worker heartbeat failed")
