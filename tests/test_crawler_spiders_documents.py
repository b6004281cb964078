"""The discovery bookkeeping records each document's poll: read (200), unchanged (304) or
failed, with why; a 304 whose stored copy turns out to list nothing is one failed poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from crawler.spiders.documents import DOC, KIND, Documents
from pipelines.storage import Store
from pipelines.storage.sources import SourceState

INDEX = "https://blog.example/sitemap.xml"
FEED = "https://blog.example/feed.xml"


def answer(url: str, kind: str, status: int) -> Response:
    return Response(url, status=status, body=b"<rss/>" if status == 200 else b"",
                    request=Request(url, meta={KIND: kind, DOC: url}))


def test_each_documents_poll_is_recorded_once(store: Store) -> None:
    store.save_source(SourceState(url=INDEX, kind="sitemap_index", body="<sitemapindex/>",
                                  checked_at=datetime.now(UTC) - timedelta(hours=1),
                                  changed_at=datetime.now(UTC) - timedelta(hours=1)),
                      site="blog")
    docs = Documents(store, get_crawler(), "blog")
    assert docs.body(answer(INDEX, "sitemap_index", 304)) == b"<sitemapindex/>"
    docs.error("sitemap_index", INDEX, "no monthly sitemaps listed")  # in the kept copy
    docs.ok(answer(FEED, "feed", 200), 3)
    docs.unreachable("sitemap", "https://blog.example/2026-5.xml", "host down: refused")
    found = {h.url: h for h in store.source_health(site="blog")}
    assert found[INDEX].recent == ["error"]
    assert found[INDEX].error == "no monthly sitemaps listed"
    assert (found[FEED].status, found[FEED].recent) == ("200", ["200"])
    month = found["https://blog.example/2026-5.xml"]
    assert (month.status, month.failures, month.error) == ("error", 1, "host down: refused")


def moved(url: str, to: str, status: int, reasons: list[int]) -> Response:
    """``url``'s poll that Scrapy's redirects (``reasons``) took to ``to``."""
    meta = {KIND: "feed", DOC: url, "redirect_urls": [url], "redirect_reasons": reasons}
    return Response(to, status=status, body=b"<rss/>" if status == 200 else b"",
                    headers={"ETag": '"v2"'}, request=Request(to, meta=meta))


def test_a_permanent_move_is_kept_then_asked_and_forgotten_when_it_fails(store: Store) -> None:
    docs = Documents(store, get_crawler(), "blog")
    assert docs.address(FEED) == FEED
    docs.save(moved(FEED, FEED + "?temporary", 200, [302]))
    assert store.discovery_sources(site="blog")[FEED].moved_to is None
    docs.save(moved(FEED, "https://blog.example/rss/", 200, [301]))
    kept = store.discovery_sources(site="blog")[FEED]
    assert (kept.moved_to, kept.etag) == ("https://blog.example/rss/", '"v2"')
    later = Documents(store, get_crawler(), "blog")  # the next run asks there directly
    assert later.address(FEED) == "https://blog.example/rss/"
    later.forget_move(FEED)
    assert later.address(FEED) == FEED
    assert store.discovery_sources(site="blog")[FEED].moved_to is None
    assert store.discovery_sources(site="blog")[FEED].etag == '"v2"'
