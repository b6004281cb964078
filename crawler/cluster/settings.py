"""The Scrapy settings that turn a crawl into a scrapy-redis worker, safely, in one place.

Pure: takes the ``[cluster] redis_url`` value and returns a dict to lay over the project's
settings. What each choice guards against (see the scale-out design notes, §A2):

- ``SCHEDULER``: scrapy-redis's Redis queue, through our adapter (``ClusterScheduler``).
- ``SCHEDULER_PERSIST = True``: otherwise the first worker to stop wipes the shared queue.
- ``SCHEDULER_FLUSH_ON_START = False``: a worker joining late must not wipe it either.
- ``SCHEDULER_SERIALIZER``: our JSON serializer; pickle would let anyone who can write to
  Redis run code in every worker.
- ``DUPEFILTER_CLASS = LeaseDupeFilter`` (filters nothing): scrapy-redis's Redis fingerprint
  set is written at enqueue time, so a request lost with a killed worker could never be queued
  again; PostgreSQL leases are the duplicate check instead.
- ``SCHEDULER_IDLE_BEFORE_CLOSE = 0``: no blocking pop on the reactor thread.
- ``MAX_IDLE_TIME_BEFORE_CLOSE = 0``: workers wait for work instead of exiting when idle.
- ``REDIS_START_URLS_AS_ZSET = True``: the leader pushes start documents with a priority.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

#: the schemes redis-py's ``from_url`` understands
REDIS_SCHEMES = ("redis", "rediss", "unix")
SERIALIZER = "crawler.cluster.serializer"
SCHEDULER = "crawler.cluster.scheduler.ClusterScheduler"
DUPEFILTER = "crawler.cluster.scheduler.LeaseDupeFilter"
QUEUE = "scrapy_redis.queue.PriorityQueue"


def cluster_settings(redis_url: str, *, key_prefix: str = "mtwatch:") -> dict[str, Any]:
    """Settings for a scrapy-redis worker on ``redis_url``; keys live under ``key_prefix``."""
    parts = urlsplit(redis_url)
    if parts.scheme not in REDIS_SCHEMES:
        raise ValueError(f"[cluster] redis_url must start with "
                         f"{', '.join(s + '://' for s in REDIS_SCHEMES)}, got {parts.scheme!r:.40}")
    if parts.scheme != "unix" and not parts.hostname:
        raise ValueError("[cluster] redis_url has no host")
    if not key_prefix or any(c.isspace() or c in "%{}" for c in key_prefix):
        raise ValueError(f"key prefix must be non-empty, without spaces, % or braces: "
                         f"{key_prefix!r:.60}")
    return {
        "SCHEDULER": SCHEDULER,
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_SERIALIZER": SERIALIZER,
        "SCHEDULER_QUEUE_CLASS": QUEUE,
        "SCHEDULER_QUEUE_KEY": f"{key_prefix}%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{key_prefix}%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": DUPEFILTER,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "MAX_IDLE_TIME_BEFORE_CLOSE": 0,
        "REDIS_URL": redis_url,
        "REDIS_START_URLS_KEY": f"{key_prefix}%(name)s:start_urls",
        "REDIS_START_URLS_AS_ZSET": True,
        "REDIS_START_URLS_AS_SET": False,
    }
