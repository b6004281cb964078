"""Downloader middlewares: origin lock, conditional GET, Retry-After parsing and policy."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as Scrapys
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from crawler.middlewares import (
    VALIDATORS,
    ConditionalGetMiddleware,
    MetaRefreshMiddleware,
    OriginLockMiddleware,
    RetryAfterMiddleware,
    RetryAfterTooLong,
    retry_after_seconds,
)
from crawler.sites.moscowtimes.urls import SiteUrls


class Stats:
    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] += count


@pytest.mark.parametrize("url", [
    "http://evil.test:8123/x", "http://127.0.0.1:9999/x", "http://10.0.0.1/", "file:///etc/passwd",
    "ftp://127.0.0.1:8123/",
])
def test_requests_off_the_site_are_blocked(url: str) -> None:
    stats = Stats()
    lock = OriginLockMiddleware(SiteUrls("http://127.0.0.1:8123"), stats)
    with pytest.raises(IgnoreRequest, match="offsite"):
        lock.process_request(Request(url) if not url.startswith(("file", "ftp")) else
                             Request("http://127.0.0.1:8123/").replace(url=url))
    assert stats.values["mtwatch/offsite_blocked"] == 1


def test_no_downgrade_to_plain_http() -> None:
    lock = OriginLockMiddleware(SiteUrls("https://www.themoscowtimes.com"), Stats())
    with pytest.raises(IgnoreRequest):
        lock.process_request(Request("http://www.themoscowtimes.com/rss/news"))
    lock.process_request(Request("https://themoscowtimes.com/rss/news"))


def test_site_requests_pass_and_the_other_edition_is_another_site() -> None:
    site = SiteUrls("https://www.themoscowtimes.com")
    lock = OriginLockMiddleware(site, Stats())
    home = Request("https://static.themoscowtimes.com/sitemap/2024-1.xml",
                   headers={"Authorization": "Basic x", "Cookie": "a=b"})
    lock.process_request(home)
    assert home.headers.get("Authorization") == b"Basic x"
    with pytest.raises(IgnoreRequest, match="offsite"):
        lock.process_request(Request("https://ru.themoscowtimes.com/2025/08/19/x-a172057"))


def test_conditional_get_sends_validators_and_lets_304_through() -> None:
    stats = Stats()
    mw = ConditionalGetMiddleware(stats)
    request = Request("http://x.test/rss/news",
                      meta={VALIDATORS: ('"abc"', "Sat, 01 Mar 2025 12:00:00 GMT")})
    mw.process_request(request)
    assert request.headers[b"If-None-Match"] == b'"abc"'
    assert request.headers[b"If-Modified-Since"] == b"Sat, 01 Mar 2025 12:00:00 GMT"
    assert 304 in request.meta["handle_httpstatus_list"]
    mw.process_response(request, Response(request.url, status=304, request=request))
    assert stats.values["mtwatch/conditional/not_modified"] == 1
    plain = Request("http://x.test/2025/01/01/a-a1", meta={VALIDATORS: None})
    mw.process_request(plain)
    assert b"If-None-Match" not in plain.headers
    assert "handle_httpstatus_list" not in plain.meta


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120", now.timestamp()) == 120
    later = format_datetime(now + timedelta(minutes=5), usegmt=True)
    assert retry_after_seconds(later, now.timestamp()) == pytest.approx(300)
    assert retry_after_seconds("Sat, 01 Jan 2000 00:00:00 GMT", now.timestamp()) == 0
    assert retry_after_seconds(None, 0) is None
    assert retry_after_seconds("soon", 0) is None


class FakeSettings(dict[str, Any]):
    def getfloat(self, key: str, default: float = 0.0) -> float:
        return float(self.get(key, default))


class FakeCrawler:
    def __init__(self) -> None:
        self.settings = FakeSettings()
        self.stats = Stats()
        self.engine = None
        self.signals = self

    def connect(self, *_: Any, **__: Any) -> None:
        pass


def test_retry_after_beyond_the_run_limit_fails_the_request_with_its_delay() -> None:
    mw = RetryAfterMiddleware(FakeCrawler(), max_wait=60, max_tries=3, backoff=False)
    request = Request("http://x.test/2025/01/01/a-a1")
    too_long = Response(request.url, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(RetryAfterTooLong) as caught:
        mw.process_response(request, too_long)
    assert caught.value.retry_after == 3600
    plain_503 = Response(request.url, status=503)
    assert mw.process_response(request, plain_503) is plain_503  # RetryMiddleware's job
    ok = Response(request.url, status=200)
    assert mw.process_response(request, ok) is ok


_REFRESHING = [
    '<html><head><meta http-equiv="refresh" content="0; url=/moved"></head></html>',
    "<html><head><META HTTP-EQUIV='Refresh' CONTENT='5;URL=http://example.com/b'></head></html>",
    '<html><head><meta content="0;url=/c" http-equiv="refresh"><base href="/x/"></head></html>',
    '<html><head><meta http-equiv="refresh" content="99999; url=/too-late"></head></html>',
    '<html><head><noscript><meta http-equiv="refresh" content="0;url=/n"></noscript></head></html>',
    '<html><head><script>"refresh"</script><meta http-equiv="refresh" content="0;url=/s">',
    '<html><head>' + "x" * 4100 + '<meta http-equiv="refresh" content="0;url=/far"></head>',
    '<html><head><meta http-equiv="refresh"></head><body>refresh</body></html>',
    "<html><head><title>Syria</title></head><body><p>No refresh here.</p></body></html>",
    "<html><head><title>Syria</title></head><body><p>Nothing at all.</p></body></html>",
    # two bytes a letter: the refresh lies past byte 4,096, within character 4,096
    '<html><head><title>' + "я" * 4000 + '</title><meta http-equiv="refresh" content="0;url=/ru">',
]

#: the pages Scrapy redirects (the others it lets through)
_REDIRECTED = {0, 1, 2, 5, 10}


@pytest.mark.parametrize("html", _REFRESHING)
def test_meta_refresh_redirects_as_scrapys_own(html: str) -> None:
    crawler = get_crawler()
    request = Request("http://example.com/a")
    answers = []
    for middleware in (MetaRefreshMiddleware.from_crawler(crawler),
                       Scrapys.from_crawler(crawler)):
        response = HtmlResponse(request.url, body=html.encode(), encoding="utf-8",
                                request=request)
        found = middleware.process_response(request, response)
        answers.append(found.url if isinstance(found, Request) else found is response)
    assert answers[0] == answers[1]
    assert (answers[0] is not True) == (_REFRESHING.index(html) in _REDIRECTED)


@pytest.mark.parametrize("html", _REFRESHING)
@pytest.mark.parametrize("encoding", ["cp1251", "utf-16"])
def test_meta_refresh_in_other_encodings_as_scrapys_own(html: str, encoding: str) -> None:
    crawler = get_crawler()
    request = Request("http://example.com/a")
    answers = []
    for middleware in (MetaRefreshMiddleware.from_crawler(crawler),
                       Scrapys.from_crawler(crawler)):
        response = HtmlResponse(request.url, body=html.encode(encoding), encoding=encoding,
                                request=request)
        found = middleware.process_response(request, response)
        answers.append(found.url if isinstance(found, Request) else found is response)
    assert answers[0] == answers[1]


def test_a_utf8_page_without_refresh_is_let_through_undecoded() -> None:
    mw = MetaRefreshMiddleware.from_crawler(get_crawler())
    request = Request("http://example.com/a")
    html = "<html><head><title>Сирия</title></head><body>" + "<p>текст</p>" * 9000
    response = HtmlResponse(request.url, body=html.encode(),
                            headers={"Content-Type": "text/html; charset=utf-8"},
                            request=request)
    assert mw.process_response(request, response) is response
    assert response._cached_ubody is None, "the page was decoded"
