"""The Redis keys of one cluster, under its ``[cluster] key_prefix`` (one place, no imports)."""

from __future__ import annotations

#: start-document meta of an article (its ID on the site); the spider's request meta too
ARTICLE_ID = "mtwatch_article_id"


def start_key(prefix: str, site: str) -> str:
    """The sorted set the leader pushes a site's start documents to."""
    return f"{prefix}{site}:start"


def queue_key(prefix: str, site: str) -> str:
    """The site's shared request queue (scrapy-redis's, through ClusterScheduler)."""
    return f"{prefix}{site}:requests"


def workers_prefix(prefix: str) -> str:
    """Where the worker registry (crawler.cluster.workers) keeps its keys."""
    return f"{prefix}workers:"
