"""Discovery documents: feeds and sitemaps parsed safely and completely."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from crawler.pages.discovery import feed_entries, monthly_sitemaps, sitemap_articles
from crawler.sites.moscowtimes.urls import SiteUrls

SITE = SiteUrls("https://www.themoscowtimes.com")
BASE = "https://www.themoscowtimes.com"

FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
	<channel>
		<title>The Moscow Times - Independent News From Russia</title>
		<link>{BASE}/news</link>
				<item>
			<title>Russia Says Roadmap in the Works to Mend Syria-Turkey Ties</title>
			<link>{BASE}/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087</link>
			<description>
								Russia said &quot;roadmap&quot;.			</description>
			<pubDate>Wed, 10 May 2023 14:25:00 +0300</pubDate>
			<guid>{BASE}/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087</guid>
		</item>
				<item>
			<title>Russian edition</title>
			<link>https://ru.themoscowtimes.com/2025/08/19/vlasti-a172057</link>
			<pubDate>bad date</pubDate>
		</item>
	</channel>
</rss>""".encode()


def test_feed_items_in_order_with_dates() -> None:
    entries = feed_entries(FEED, SITE)
    assert [e.ref.article_id for e in entries] == [81087]
    assert entries[0].published == datetime(2023, 5, 10, 11, 25, tzinfo=UTC)


def test_entities_are_not_expanded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-SECRET")
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{canary}"><!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss><channel><item><title>&xxe;&c;</title>
<link>{BASE}/2024/01/02/story-a83817&xxe;</link></item>
<item><link>{BASE}/2024/01/03/other-a83820</link></item></channel></rss>""".encode()
    entries = feed_entries(doc, SITE)
    assert 83820 in [e.ref.article_id for e in entries]
    assert all("CANARY" not in e.ref.url for e in entries)


def test_sitemap_index_months_newest_first_not_padded() -> None:
    index = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{BASE}/sitemap/2023-5.xml</loc><lastmod>2024-06-07T10:00:00+03:00</lastmod></sitemap>
<sitemap><loc>{BASE}/sitemap/2023-12.xml</loc></sitemap>
<sitemap><loc>{BASE}/sitemap/2024-1.xml</loc></sitemap>
<sitemap><loc>https://evil.test/sitemap/2030-1.xml</loc></sitemap>
</sitemapindex>""".encode()
    months = monthly_sitemaps(index, SITE)
    assert [(m.year, m.month) for m in months] == [(2024, 1), (2023, 12), (2023, 5)]


def test_monthly_sitemap_links() -> None:
    urlset = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{BASE}/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087</loc></url>
<url><loc>{BASE}/news</loc></url>
</urlset>""".encode()
    assert [r.article_id for r in sitemap_articles(urlset, SITE)] == [81087]


@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(body: bytes) -> None:
    feed_entries(body, SITE)
    monthly_sitemaps(body, SITE)
    sitemap_articles(body, SITE)
