"""A backfill's article pages read in a pool worker (crawler.sites.offload): the page object
and the extraction run in the worker and give exactly what the crawl's own process would (the
same fields, text and status, soft 404s and non-articles alike); a page the worker cannot read
is answered with None (the crawl then reads it itself); the clean step passes an item read
there through, counted, without extracting it again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.cluster.spider import WorkerSpider
from crawler.items import ArticleFields, ArticleItem
from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from crawler.sites.offload import PageJob, PageRead, page_job, read_page, response_html
from crawler.spiders.articles import ArticleCallbacks
from pipelines.extraction.article import ArticleBody
from pipelines.extraction.body import extract_article
from pipelines.extraction.pool import ExtractionPool
from pipelines.extraction.worker import Limits
from pipelines.steps.clean import CleanPipeline
from pipelines.storage.articles import Candidate
from tests.helpers.extraction import table
from tests.replica import build_site
from tests.replica.routes import resolve

BASE = "http://127.0.0.1:8000"
SOFT_404 = "<html><body class='page-item'><h1>Oops! We couldn't find that</h1></body></html>"
NOT_ARTICLE = "<html><body><p>A page with no headline and no article ID.</p></body></html>"


def pages(layout: str | None, articles: int) -> list[tuple[str, str]]:
    """(URL, HTML) of the replica's article pages, in its own markup or a redesign."""
    site = build_site(articles, 7)
    if layout is not None:
        site.layout = layout
    found = []
    for item in site.truth(BASE)["articles"]:
        response = resolve(site, urlsplit(item["url"]).path, BASE)
        found.append((item["url"], response.body.decode("utf-8")))
    return found


def read_here(url: str, html: str) -> PageRead:
    """What the crawl's own process makes of the page: page object, then extraction."""
    page = ArticlePage(url, html, SiteUrls(BASE))
    if page.is_soft_404:
        return PageRead(soft_404=True)
    fields = page.fields()
    if fields is None:
        return PageRead()
    found = extract_article(fields.body)
    body = replace(fields.body, zone_html="", page_html="")
    return PageRead(False, replace(fields, body=body), found.text, found.status)


@pytest.fixture(scope="module")
def one_worker() -> Iterator[ExtractionPool]:
    with closing(ExtractionPool(1)) as pool:
        yield pool


#: the site's own markup (the zone) and two redesigns (the generic, whole-page paths)
LAYOUTS = {None: 40, "redesign-a": 10, "app-shell": 10}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_page_read_in_the_worker_gives_what_the_crawl_would(
    one_worker: ExtractionPool, layout: str | None,
) -> None:
    pool = one_worker
    found = pages(layout, LAYOUTS[layout])
    found += [(f"{BASE}/2024/01/02/gone-a99999", SOFT_404), (f"{BASE}/about", NOT_ARTICLE)]
    jobs = [page_job("moscowtimes", BASE, url, html) for url, html in found]
    answers = [pool.submit_page(job) for job in jobs if job is not None]
    read = [PageRead.from_json(answer.result(timeout=300) or "") for answer in answers]
    assert read == [read_here(url, html) for url, html in found]
    assert read[-2].soft_404
    assert (read[-1].soft_404, read[-1].fields) == (False, None)
    assert sum(r.fields is not None for r in read) >= len(found) - 4


def test_a_page_read_travels_as_json_unchanged() -> None:
    moscow = timezone(timedelta(hours=3))
    fields = ArticleFields(url=f"{BASE}/a1", article_id=1, headline="h", subtitle="s",
                           authors=["A", "B"], published=datetime(2024, 1, 2, 3, 4, tzinfo=moscow),
                           modified=datetime(2024, 1, 2, 5, 6, tzinfo=UTC), tags=["t"],
                           language="ru", html_sha256="0" * 64,
                           body=ArticleBody(has_zone=False, outside_zone=12))
    for read in (PageRead(False, fields, "text \u2028 with\x00 odd characters", "generic"),
                 PageRead(soft_404=True), PageRead()):
        assert PageRead.from_json(read.to_json()) == read


def test_a_page_job_travels_unchanged() -> None:
    html = "\n<html>\r\n<p>line\nbreaks \u2028 \"quotes\" and \\ \x00</p></html>\n"
    job = PageJob("moscowtimes", BASE, f"{BASE}/news/\u0441\u0438\u0440\u0438\u044f-a1", html)
    # the worker receives the page's UTF-8 and reads it as it is
    assert PageJob.from_payload(job.to_payload()) == PageJob(job.kind, job.site, job.url,
                                                             html.encode("utf-8"))
    as_bytes = PageJob(job.kind, job.site, job.url, html.encode("utf-8"))
    assert PageJob.from_payload(as_bytes.to_payload()) == as_bytes


def test_a_utf8_page_travels_as_the_bytes_it_came_in_and_reads_the_same(
    one_worker: ExtractionPool,
) -> None:
    url, html = pages(None, 1)[0]
    html = html.replace("</h1>", " \u2014 Сирия</h1>", 1)
    response = HtmlResponse(url, body=html.encode(),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    sent = response_html(response)
    assert sent is response.body, "the body as it came, not decoded"
    job = page_job("moscowtimes", BASE, url, sent)
    as_text = page_job("moscowtimes", BASE, url, html)
    assert job is not None
    assert as_text is not None
    assert job.to_payload() == as_text.to_payload(), "the worker receives the same bytes"
    answer = one_worker.read_page(job)
    assert answer is not None
    assert PageRead.from_json(answer) == read_here(url, html)


@pytest.mark.parametrize(("body", "headers"), [
    (b"<html><p>caf\xe9 \xff</p></html>", {"Content-Type": "text/html; charset=utf-8"}),
    (b"\xef\xbb\xbf<html><p>BOM</p></html>", {"Content-Type": "text/html; charset=utf-8"}),
    ("<html><p>Сирия</p></html>".encode("cp1251"),
     {"Content-Type": "text/html; charset=windows-1251"}),
])
def test_a_page_not_plain_utf8_travels_as_its_text(body: bytes, headers: dict[str, str]
                                                   ) -> None:
    response = HtmlResponse(f"{BASE}/a-a1", body=body, headers=headers)
    assert response_html(response) == response.text


def test_the_body_html_stays_in_the_worker() -> None:
    url, html = pages(None, 1)[0]
    job = page_job("moscowtimes", BASE, url, html)
    assert job is not None
    read = PageRead.from_json(read_page(job.to_payload()))
    assert read.fields is not None
    assert read.text
    assert (read.fields.body.zone_html, read.fields.body.page_html) == ("", "")


def test_a_generic_site_is_read_in_the_crawl() -> None:
    assert page_job("generic", BASE, f"{BASE}/a", "<html></html>") is None


def test_a_page_the_worker_cannot_read_is_none_and_the_pool_goes_on() -> None:
    pool = ExtractionPool(1, Limits(timeout=1.0, max_rss_mb=512))  # the table needs ~18 s
    try:
        url, html = pages(None, 1)[0]
        runaway = html.replace("</body>", table(5_000_000) + "</body>")
        runaway_job = page_job("moscowtimes", BASE, url, runaway)
        assert runaway_job is not None
        assert pool.read_page(runaway_job) is None
        assert pool.pids == [], "the worker that overran was killed"
        pool.workers[0].limits = Limits()  # the shipped cap: a busy machine cannot time out
        job = page_job("moscowtimes", BASE, url, html)
        assert job is not None
        answer = pool.read_page(job)
        assert answer is not None
        assert PageRead.from_json(answer) == read_here(url, html)
    finally:
        pool.close()


@contextmanager
def clean_step(**settings: object) -> Iterator[tuple[CleanPipeline, Any]]:
    """A started CleanPipeline with these settings, and its crawler's stats; closed after."""
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    pipeline = CleanPipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        yield pipeline, crawler.stats
    finally:
        pipeline.close_spider()


def test_the_clean_step_counts_an_item_read_in_the_worker_without_extracting_it() -> None:
    with clean_step(MTWATCH_EXTRACTION_WORKERS=1, MTWATCH_SINCE="2023-01-01") as (clean, stats):
        assert clean.page_pool() is clean.pool is not None
        item = ArticleItem(ArticleFields(url="u", article_id=1, headline="h",
                                         body=ArticleBody(has_zone=False)),
                           text="read in the worker", extraction="generic")
        assert clean.process_item(item) is item, "at once: nothing is left to extract"
        assert (item.text, item.extraction) == ("read in the worker", "generic")
        assert stats.get_value("mtwatch/extraction/generic") == 1
        assert stats.get_value("mtwatch/zone_missing") == 1


def test_only_a_backfill_has_a_page_pool() -> None:
    with clean_step(MTWATCH_EXTRACTION_WORKERS=1, MTWATCH_SINCE="2023-01-01") as (clean, _):
        assert clean.page_pool() is not None
    with clean_step(MTWATCH_EXTRACTION_WORKERS=1, MTWATCH_SINCE="2023-01-01",
                    MTWATCH_EXTRACTION_PAGES=False) as (clean, _):
        assert clean.pool is not None
        assert clean.page_pool() is None, "switched off: pages are read in the crawl"
    with clean_step(MTWATCH_EXTRACTION_WORKERS=1) as (clean, _):
        assert clean.page_pool() is None, "an ordinary run"


class _Crawler:
    """What the article callbacks ask of a running crawler: its clean step."""

    def __init__(self, clean: CleanPipeline) -> None:
        self.clean = clean

    def get_item_pipeline(self, cls: type) -> object:
        return self.clean if isinstance(self.clean, cls) else None


class _Articles(ArticleCallbacks):
    def __init__(self, clean: CleanPipeline) -> None:
        self.crawler = _Crawler(clean)


def test_a_backfill_spider_has_its_article_pages_read_on_the_pool() -> None:
    candidate = Candidate(1, f"{BASE}/2024/01/02/a-a1", None, key="1")
    with clean_step(MTWATCH_EXTRACTION_WORKERS=1, MTWATCH_SINCE="2023-01-01") as (clean, _):
        spider = _Articles(clean)
        assert spider._article_request(candidate).callback == spider.parse_article_pooled
        spider.pages_on_pool = False  # a spider that adds to parse_article (the cluster's)
        assert spider._article_request(candidate).callback == spider.parse_article
    with clean_step(MTWATCH_EXTRACTION_WORKERS=1) as (clean, _):
        spider = _Articles(clean)
        assert spider._article_request(candidate).callback == spider.parse_article
    assert WorkerSpider.pages_on_pool is False
