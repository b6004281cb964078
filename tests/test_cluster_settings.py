"""The scrapy-redis worker settings: persistent queue, JSON (never pickle), our scheduler and
duplicate filter; and that scheduler, built the way Scrapy builds it, queues through Redis."""

from __future__ import annotations

import json
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

from crawler.cluster.scheduler import ClusterScheduler, LeaseDupeFilter
from crawler.cluster.settings import cluster_settings
from tests.helpers.redisdb import RedisForTest, redis_for_test

__all__ = ["redis_for_test"]


class FeedSpider(Spider):
    name = "feeds"

    def parse_feed(self, response: Any) -> None:
        pass


def test_settings_are_the_safe_ones() -> None:
    crawler = get_crawler(FeedSpider, cluster_settings("redis://127.0.0.1:6379/3"))
    s = crawler.settings
    assert load_object(s["SCHEDULER"]) is ClusterScheduler
    assert load_object(s["DUPEFILTER_CLASS"]) is LeaseDupeFilter
    assert s.getbool("SCHEDULER_PERSIST") is True
    assert s.getbool("SCHEDULER_FLUSH_ON_START") is False
    assert s["SCHEDULER_SERIALIZER"] == "crawler.cluster.serializer"
    assert "pickle" not in s["SCHEDULER_SERIALIZER"]
    assert s.getint("SCHEDULER_IDLE_BEFORE_CLOSE") == 0
    assert s.getint("MAX_IDLE_TIME_BEFORE_CLOSE") == 0
    assert s["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert s.getbool("REDIS_START_URLS_AS_ZSET") is True
    assert s["SCHEDULER_QUEUE_KEY"] == "mtwatch:%(spider)s:requests"
    assert s["REDIS_START_URLS_KEY"] == "mtwatch:%(name)s:start_urls"


def test_settings_are_pure() -> None:
    assert cluster_settings("redis://h/0") == cluster_settings("redis://h/0")
    a = cluster_settings("redis://h/0", key_prefix="fleet1:")
    assert a["SCHEDULER_QUEUE_KEY"] == "fleet1:%(spider)s:requests"
    a["SCHEDULER_PERSIST"] = False
    assert cluster_settings("redis://h/0", key_prefix="fleet1:")["SCHEDULER_PERSIST"] is True


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:6379", "127.0.0.1:6379", "redis://",
                                 "postgresql://x/y"])
def test_bad_redis_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="redis_url"):
        cluster_settings(url)


@pytest.mark.parametrize("prefix", ["", "a b", "x%(y)s", "{tag}"])
def test_bad_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        cluster_settings("redis://h/0", key_prefix=prefix)


def test_scheduler_queues_json_through_redis_and_persists(redis_for_test: RedisForTest) -> None:
    settings = cluster_settings(redis_for_test.url, key_prefix=redis_for_test.prefix)
    crawler = get_crawler(FeedSpider, settings)
    spider = FeedSpider()
    crawler.spider = spider
    first = build_from_crawler(load_object(settings["SCHEDULER"]), crawler)
    first.open(spider)
    url = "https://example.org/feed?cat=guncel&page=2"
    assert first.enqueue_request(Request(url, callback=spider.parse_feed, meta={"etag": "x"}))
    assert first.enqueue_request(Request(url, callback=spider.parse_feed))  # leases dedupe
    key = f"{redis_for_test.prefix}feeds:requests"
    stored = redis_for_test.client.zrange(key, 0, -1)
    assert len(stored) == 2
    assert {json.loads(raw)["url"] for raw in stored} == {url}  # JSON, not pickle
    first.close("shutdown")  # persist: the next worker still finds the work
    second = build_from_crawler(load_object(settings["SCHEDULER"]), crawler)
    second.open(spider)
    assert second.has_pending_requests()
    got = second.next_request()
    assert got is not None
    assert got.url == url
    assert got.callback == spider.parse_feed
    assert crawler.stats is not None
    assert crawler.stats.get_value("scheduler/dequeued/redis") == 1
