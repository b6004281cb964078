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
