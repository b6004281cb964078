"""Extraction on every core for backfills (pipelines.extraction.pool): the pool's workers give
the same text and status as in-process extraction, a runaway page is still killed at the
worker's limits (and the pool goes on, the job queued behind it in the worker's pipe sent
again to its successor), and the crawl's pipeline moves to the pool only once
a crawl has more articles than its threshold."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import ArticleFields, ArticleItem
from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.article import ArticleBody
from pipelines.extraction.body import extract_article
from pipelines.extraction.pool import ExtractionPool
from pipelines.extraction.worker import Limits
from pipelines.steps.clean import CleanPipeline
from tests.helpers.extraction import PLANT, matches, paragraphs, table
from tests.replica import build_site
from tests.replica.routes import resolve

BASE = "http://127.0.0.1:8000"


def bodies_of(layout: str | None, articles: int, seed: int) -> list[ArticleBody]:
    """Articles as the spider sees them, in the site's own markup or a redesign (whose pages
    take the generic, whole-page paths)."""
    site = build_site(articles, seed)
    if layout is not None:
        site.layout = layout
    found = []
    for item in site.truth(BASE)["articles"]:
        response = resolve(site, urlsplit(item["url"]).path, BASE)
        fields = ArticlePage(item["url"], response.body.decode("utf-8"), SiteUrls(BASE)).fields()
        if fields is not None:
            found.append(fields.body)
    return found


def in_process(body: ArticleBody) -> tuple[str, str]:
    found = extract_article(body)
    return found.text, found.status


@pytest.fixture(scope="module")
def pool() -> Iterator[ExtractionPool]:
    made = ExtractionPool(2)
    yield made
    made.close()


@pytest.mark.parametrize(("layout", "articles"), [(None, 60), ("redesign-a", 15),
                                                  ("app-shell", 15)])
def test_the_pool_gives_the_same_text_and_status_as_in_process(
    pool: ExtractionPool, layout: str | None, articles: int,
) -> None:
    found = bodies_of(layout, articles, seed=5)
    assert len(found) >= articles - 2
    futures = [pool.submit(body) for body in found]  # both workers at once, any order
    pooled = [future.result(timeout=300) for future in futures]
    assert pooled == [in_process(body) for body in found]
    assert len(set(pool.pids)) == 2


def test_a_runaway_page_is_killed_at_the_limit_and_the_pool_goes_on() -> None:
    pool = ExtractionPool(1, Limits(timeout=1.0, max_rss_mb=512))  # the table needs ~18 s
    try:
        text, status = pool.extract(ArticleBody(table(5_000_000)))
        assert status == "extraction_failed:timeout"
        assert matches(text)  # the raw-text fallback keeps the match
        assert pool.pids == [], "the worker that overran was killed"
        # the shipped cap for what follows, so a busy machine cannot make it a timeout too
        pool.workers[0].limits = Limits()
        text, status = pool.extract(ArticleBody(f"<div><p>{PLANT}</p></div>"))
        assert (text, status) == (PLANT, "zone")
        assert len(pool.pids) == 1, "a fresh worker took the next article"
    finally:
        pool.close()
    assert pool.pids == []


def test_the_job_queued_behind_a_runaway_page_is_read_by_the_next_worker() -> None:
    """A worker holds two jobs (the second waits in its pipe): the runaway is killed at its
    limit, and the job behind it goes to the fresh worker, its time counted from there."""
    pool = ExtractionPool(1, Limits(timeout=5.0, max_rss_mb=512))  # the table needs ~18 s
    try:
        runaway = pool.submit(ArticleBody(table(5_000_000)))
        behind = pool.submit(ArticleBody(f"<div><p>{PLANT}</p></div>"))
        text, status = runaway.result(timeout=120)
        assert status == "extraction_failed:timeout"
        assert matches(text)
        assert behind.result(timeout=120) == (PLANT, "zone")
        assert len(pool.pids) == 1, "a fresh worker took the job behind"
    finally:
        pool.close()
    assert pool.pids == []


def test_a_failure_of_the_pools_own_thread_fails_its_jobs_and_the_pool_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool = ExtractionPool(1)
    lane = pool._lanes[0]
    send = lane._send

    def broken(stdin: int) -> bool:
        monkeypatch.setattr(lane, "_send", send)  # once
        raise RuntimeError("a bug")

    monkeypatch.setattr(lane, "_send", broken)
    try:
        with pytest.raises(RuntimeError, match="a bug"):
            pool.extract(ArticleBody(f"<div><p>{PLANT}</p></div>"))
        assert pool.extract(ArticleBody(f"<div><p>{PLANT}</p></div>")) == (PLANT, "zone")
    finally:
        pool.close()
    with pytest.raises(RuntimeError, match="closed"):
        pool.submit(ArticleBody("<p>late</p>"))


def test_the_pipeline_moves_to_the_pool_after_its_threshold() -> None:
    crawler = get_crawler(settings_dict={"MTWATCH_EXTRACTION_WORKERS": 2,
                                         "MTWATCH_EXTRACTION_POOL_AFTER": 2})
    crawler.stats.open_spider()
    pipeline = CleanPipeline.from_crawler(crawler)
    bodies = [paragraphs(5_000 + 1_000 * i) for i in range(5)]
    items = [ArticleItem(ArticleFields(url="u", article_id=i, headline="h",
                                       body=ArticleBody(body)))
             for i, body in enumerate(bodies)]
    try:
        results = [pipeline.process_item(item) for item in items]
        assert results[:2] == items[:2], "a small crawl extracts in-process, at once"
        assert pipeline.pool is not None
        pending = results[2:]
        assert all(inspect.isawaitable(result) for result in pending)

        async def finish() -> list[object]:
            return list(await asyncio.gather(*pending))

        assert asyncio.run(finish()) == items[2:]
    finally:
        pipeline.close_spider()
    for item, body in zip(items, bodies, strict=True):
        assert (item.text, item.extraction) == in_process(ArticleBody(body))
        assert matches(item.text)
    statuses = crawler.stats.get_stats()
    assert sum(v for k, v in statuses.items() if k.startswith("mtwatch/extraction/")) == 5
    assert pipeline.pool.pids == []


def test_a_pool_of_zero_workers_keeps_every_article_in_process() -> None:
    crawler = get_crawler(settings_dict={"MTWATCH_EXTRACTION_WORKERS": 0,
                                         "MTWATCH_EXTRACTION_POOL_AFTER": 0})
    pipeline = CleanPipeline.from_crawler(crawler)
    try:
        item = ArticleItem(ArticleFields(url="u", article_id=1, headline="h",
                                         body=ArticleBody(paragraphs(5_000))))
        assert pipeline.process_item(item) is item
        assert pipeline.pool is None
    finally:
        pipeline.close_spider()


def test_a_backfill_extracts_on_the_pool_from_its_first_article() -> None:
    crawler = get_crawler(settings_dict={"MTWATCH_EXTRACTION_WORKERS": 1,
                                         "MTWATCH_SINCE": "2023-01-01"})
    crawler.stats.open_spider()
    pipeline = CleanPipeline.from_crawler(crawler)
    try:
        pipeline.open_spider()
        assert pipeline.pool is not None
        assert len(pipeline.pool.pids) == 1, "the worker starts with the crawl"
        item = ArticleItem(ArticleFields(url="u", article_id=1, headline="h",
                                         body=ArticleBody(paragraphs(5_000))))
        pending = pipeline.process_item(item)
        assert inspect.isawaitable(pending), "not even the first article is extracted in-process"

        async def finish() -> object:
            return await pending

        assert asyncio.run(finish()) is item
    finally:
        pipeline.close_spider()
    assert (item.text, item.extraction) == in_process(ArticleBody(paragraphs(5_000)))


def test_an_ordinary_run_starts_no_worker_with_the_crawl() -> None:
    crawler = get_crawler(settings_dict={"MTWATCH_EXTRACTION_WORKERS": 1})
    pipeline = CleanPipeline.from_crawler(crawler)
    try:
        pipeline.open_spider()
        assert pipeline.pool is None
    finally:
        pipeline.close_spider()
