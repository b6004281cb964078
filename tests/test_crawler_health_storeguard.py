"""Store failures inside the crawl are counted, named, and stop the crawl
(crawler.health.storeguard)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from scrapy.exceptions import CloseSpider

from crawler.health.storeguard import REASON, guarded_callback, guarded_handler
from crawler.health.verdict import judge
from pipelines.storage import StoreError


class Stats(dict[str, Any]):
    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] = self.get(key, 0) + count

    def get_value(self, key: str) -> Any:
        return self.get(key)

    def set_value(self, key: str, value: Any) -> None:
        self[key] = value


class Engine:
    def __init__(self) -> None:
        self.spider = object()
        self.closed: list[str] = []

    async def close_spider_async(self, *, reason: str) -> None:
        self.closed.append(reason)


class Crawler:
    def __init__(self) -> None:
        self.stats = Stats()
        self.engine = Engine()


class Spider:
    def __init__(self) -> None:
        self.crawler = Crawler()
        self.seen: list[int] = []

    @guarded_callback
    def parse(self, fail_at: int) -> Iterator[int]:
        for n in range(3):
            if n == fail_at:
                raise StoreError("discover_articles failed: database or disk is full")
            yield n

    @guarded_callback
    def errback(self, fail: bool) -> str:
        if fail:
            raise OSError(28, "No space left on device")
        return "ok"

    @guarded_handler
    def item_scraped(self, fail: bool, **_: Any) -> None:
        if fail:
            raise StoreError("mark_evaluated failed: database is locked")
        self.seen.append(1)


def test_a_generator_callback_yields_until_the_store_fails_then_closes_the_crawl() -> None:
    spider = Spider()
    assert list(spider.parse(fail_at=-1)) == [0, 1, 2]
    output = spider.parse(fail_at=1)
    assert next(output) == 0
    with pytest.raises(CloseSpider) as stopped:
        next(output)
    assert stopped.value.reason == REASON
    stats = spider.crawler.stats
    assert stats["mtwatch/store_errors"] == 1
    assert stats["mtwatch/store_error"] == (
        "parse: discover_articles failed: database or disk is full")


def test_a_plain_callback_and_the_first_error_is_kept() -> None:
    spider = Spider()
    assert spider.errback(fail=False) == "ok"
    with pytest.raises(CloseSpider):
        spider.errback(fail=True)
    with pytest.raises(CloseSpider):
        list(spider.parse(fail_at=0))
    assert spider.crawler.stats["mtwatch/store_errors"] == 2
    assert "No space left on device" in spider.crawler.stats["mtwatch/store_error"]


def run_now(coro: Any) -> None:
    """Stands in for Scrapy's scheduling of the engine coroutine (no reactor in unit tests)."""
    with pytest.raises(StopIteration):
        coro.send(None)


def test_a_signal_handler_cannot_raise_so_it_closes_the_crawl_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("crawler.health.storeguard.deferred_from_coro", run_now)
    spider = Spider()
    spider.item_scraped(fail=False, spider=spider)  # signals pass spider= as a keyword
    assert spider.seen == [1]
    assert spider.crawler.engine.closed == []
    spider.item_scraped(fail=True)
    assert spider.crawler.engine.closed == [REASON]
    assert spider.crawler.stats["mtwatch/store_errors"] == 1


class Starting(Spider):
    @guarded_callback
    async def start(self) -> AsyncIterator[int]:
        yield 1
        raise StoreError("save_backfill failed: database or disk is full")


def test_a_failing_store_in_start_closes_the_crawl_and_names_the_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Scrapy only logs an exception raised by ``start()``: unguarded, a store that fails while
    the spider records its backfill horizon ended the run as 'site unreachable'."""
    monkeypatch.setattr("crawler.health.storeguard.deferred_from_coro", run_now)
    spider = Starting()

    async def drain() -> list[int]:
        return [request async for request in spider.start()]

    assert asyncio.run(drain()) == [1]
    assert spider.crawler.engine.closed == [REASON]
    stats = spider.crawler.stats
    verdict = judge(stats, REASON, [])
    assert verdict.status == "failed"
    assert verdict.reason == ("store: 1 write(s) failed "
                              "(first: start: save_backfill failed: database or disk is full)")


def test_other_errors_are_not_mistaken_for_store_failures() -> None:
    class Odd(Spider):
        @guarded_callback
        def parse_odd(self) -> None:
            raise KeyError("bug")

    with pytest.raises(KeyError):
        Odd().parse_odd()


def test_the_verdict_names_the_store_before_the_site() -> None:
    stats = {"mtwatch/store_errors": 3, "mtwatch/store_error": "parse_feed: disk is full"}
    verdict = judge(stats, REASON, ["feed http://x/rss/news: storeerror"])
    assert verdict.status == "failed"
    assert verdict.reason == "store: 3 write(s) failed (first: parse_feed: disk is full)"
