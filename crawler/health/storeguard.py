"""A store that fails mid-crawl (disk full, database gone) stops the crawl, loudly.

Every store write made from the crawl — discovery bookkeeping in spider callbacks, robots.txt
copies, run records — goes through here when it fails: the failure is counted
(``mtwatch/store_errors``), the first one is kept for the run's verdict
(``mtwatch/store_error``), and the crawl is closed with reason ``store_failed``. Fetching on
would only download pages whose outcome cannot be recorded; everything not recorded stays
queued in the store and the next run picks it up.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.exc import SQLAlchemyError

from pipelines.storage import StoreError
from pipelines.storage.database import one_line

logger = logging.getLogger(__name__)

STORE_FAILURES: tuple[type[BaseException], ...] = (StoreError, SQLAlchemyError, OSError)
REASON = "store_failed"

F = TypeVar("F", bound=Callable[..., Any])


def note_store_error(stats: Any, where: str, exc: BaseException) -> None:
    """Count a failed store write and keep the first one's message for the verdict."""
    stats.inc_value("mtwatch/store_errors")
    message = f"{where}: {one_line(exc)}"
    if not stats.get_value("mtwatch/store_error"):
        stats.set_value("mtwatch/store_error", message)
    logger.error("store write failed (%s)", message)


def stop_crawl(crawler: Any) -> None:
    """Close the crawl from outside a callback (a middleware, a signal handler)."""
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=REASON))


def guarded_callback(callback: F) -> F:
    """Decorate a spider callback or errback (plain or generator), or its async ``start()``,
    whose store writes may fail: the failure is noted and the crawl closes (``CloseSpider``;
    from ``start()``, which Scrapy would only log, by closing the spider) instead of a
    traceback and a run judged on what it never fetched."""

    def fail(spider: Any, exc: BaseException) -> CloseSpider:
        note_store_error(spider.crawler.stats, callback.__name__, exc)
        return CloseSpider(REASON)

    if inspect.isasyncgenfunction(callback):  # the spider's start(): Scrapy only logs its
        @functools.wraps(callback)            # errors, so it closes the crawl itself
        async def start(spider: Any, /, *args: Any, **kwargs: Any) -> Any:
            try:
                async for request in callback(spider, *args, **kwargs):
                    yield request
            except STORE_FAILURES as exc:
                note_store_error(spider.crawler.stats, callback.__name__, exc)
                stop_crawl(spider.crawler)
        return start  # type: ignore[return-value]

    if inspect.isgeneratorfunction(callback):
        @functools.wraps(callback)
        def generator(spider: Any, /, *args: Any, **kwargs: Any) -> Any:
            try:
                yield from callback(spider, *args, **kwargs)
            except STORE_FAILURES as exc:
                raise fail(spider, exc) from exc
        return generator  # type: ignore[return-value]

    @functools.wraps(callback)
    def plain(spider: Any, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return callback(spider, *args, **kwargs)
        except STORE_FAILURES as exc:
            raise fail(spider, exc) from exc
    return plain  # type: ignore[return-value]


def guarded_handler(handler: F) -> F:
    """Decorate a spider's signal handler whose store writes may fail (Scrapy would only log
    the exception): the failure is noted and the crawl closes.

    The owner is positional-only: signals pass ``spider=`` as a keyword, and PyDispatcher
    hands a ``**kwargs`` receiver every keyword there is.
    """

    @functools.wraps(handler)
    def wrapper(spider: Any, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(spider, *args, **kwargs)
        except STORE_FAILURES as exc:
            note_store_error(spider.crawler.stats, handler.__name__, exc)
            stop_crawl(spider.crawler)
            return None
    return wrapper  # type: ignore[return-value]
