"""Discovery documents beyond feeds: index lastmods, gzip files, news sitemaps, listings."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from crawler.pages.discovery import (
    DocumentError,
    document_body,
    monthly_sitemaps,
    news_entries,
    news_sitemaps,
)
from crawler.sites.moscowtimes.listing import ListingPage
from crawler.sites.moscowtimes.urls import SiteUrls
from tests.replica import build_site
from tests.replica.feeds import newsmap_index, newsmap_section, sitemap_index
from tests.replica.listing import fragment, listing_page

BASE = "http://127.0.0.1:8000"
SITE = SiteUrls(BASE)


@pytest.fixture(scope="module")
def replica_site():  # type: ignore[no-untyped-def]
    return build_site(300, 1)


def test_index_lastmod_is_kept_per_month(replica_site) -> None:  # type: ignore[no-untyped-def]
    months = monthly_sitemaps(sitemap_index(replica_site, BASE).encode(), SITE)
    assert (months[0].year, months[0].month) == (2026, 6)
    assert months[0].lastmod.startswith("2026-06-")
    assert all(m.lastmod for m in months)


def test_gzip_documents_are_inflated_with_a_cap() -> None:
    xml = b"<urlset><url><loc>x</loc></url></urlset>"
    assert document_body(gzip.compress(xml), 1024) == xml
    assert document_body(xml, 10) == xml  # not gzip: as is
    with pytest.raises(DocumentError):
        document_body(gzip.compress(bytes(1024 * 1024)), 64 * 1024)
    with pytest.raises(DocumentError):
        document_body(b"\x1f\x8bnot really gzip", 1024)


def test_news_sitemaps_survive_the_unescaped_ampersand(replica_site) -> None:  # type: ignore[no-untyped-def]
    sections = news_sitemaps(newsmap_index(BASE).encode(), SITE)
    assert f"{BASE}/sitemap/news.xml" in sections
    total = 0
    for url in sections:
        name = url.rsplit("/", 1)[1].removesuffix(".xml")
        doc = newsmap_section(replica_site, BASE, name).encode()
        entries = news_entries(doc, SITE)
        assert len(entries) == doc.count(b"<loc>")  # the broken file too, after the damage
        assert all(e.published is not None and e.published.tzinfo for e in entries)
        total += len(entries)
    assert total > 0


def test_listing_page_gives_the_main_list_not_the_sidebar(replica_site) -> None:  # type: ignore[no-untyped-def]
    items = replica_site.section_items("news")
    page = ListingPage(listing_page(replica_site, BASE, items, "news", "Latest articles"), SITE)
    ids = [r.article_id for r in page.articles()]
    assert ids == [a.id for a in items[:19]]
    more = page.more(f"{BASE}/news")
    assert (more.start, more.step) == (19, 18)
    assert more.url(37) == f"{BASE}/news/37"
    frag = ListingPage(fragment(items, BASE, 19), SITE)
    assert [r.article_id for r in frag.articles()] == [a.id for a in items[19:37]]
    assert ListingPage(fragment(items, BASE, 100_000), SITE).articles() == []
    assert ListingPage("", SITE).more(f"{BASE}/news").url(19) == f"{BASE}/news/19"


def test_news_entry_dates_are_aware() -> None:
    doc = f"""<?xml version="1.0"?><urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{BASE}/2026/06/20/a-b-a93000</loc><news:news><news:publication_date>2026-06-20T10:00:00+03:00</news:publication_date></news:news></url>
</urlset>""".encode()
    [entry] = news_entries(doc, SITE)
    assert entry.published == datetime(2026, 6, 20, 7, 0, tzinfo=UTC)
