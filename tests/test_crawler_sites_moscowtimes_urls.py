"""Article URL recognition and canonicalisation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.sites.moscowtimes.urls import SiteUrls

SITE = SiteUrls("https://www.themoscowtimes.com")
SEED = "https://www.themoscowtimes.com/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087"


@pytest.mark.parametrize(
    "link",
    [
        SEED,
        SEED + "/",
        SEED + "?utm_source=contribute&utm_medium=x",
        SEED + "#comments",
        SEED + "/pdf",
        "/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087",
        "https://themoscowtimes.com/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087",
    ],
)
def test_variants_canonicalise_to_the_article(link: str) -> None:
    ref = SITE.article(link)
    assert ref is not None
    assert ref.article_id == 81087
    assert ref.day == date(2023, 5, 10)
    assert ref.url == SEED


@pytest.mark.parametrize(
    "link",
    [
        "https://ru.themoscowtimes.com/2025/08/19/vlasti-zadumali-a172057",
        "https://evil.test/2023/05/10/russia-says-a81087",
        "https://www.themoscowtimes.com/news",
        "https://www.themoscowtimes.com/tag/syria",
        "https://www.themoscowtimes.com/all/81087",
        "https://www.themoscowtimes.com/2023/13/40/bad-date-a1",
        "mailto:?body=https://www.themoscowtimes.com/2023/05/10/x-a81087",
        "javascript:alert(1)",
    ],
)
def test_non_articles_are_rejected(link: str) -> None:
    assert SITE.article(link) is None


def test_replica_base_keeps_its_port() -> None:
    site = SiteUrls("http://127.0.0.1:8123")
    ref = site.article("/2024/01/02/some-story-a83817")
    assert ref is not None
    assert ref.url == "http://127.0.0.1:8123/2024/01/02/some-story-a83817"
    assert site.article("http://127.0.0.1:9999/2024/01/02/some-story-a83817") is None


def test_legacy_urls_give_the_id() -> None:
    assert SITE.legacy_article_id("/news/wcry-virus-reportedly-infects-57984") == 57984
    assert SITE.legacy_article_id(SEED) is None


@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_links(link: str) -> None:
    ref = SITE.article(link)
    assert ref is None or ref.url.startswith("https://www.themoscowtimes.com/")


def test_the_russian_edition_is_a_site_of_its_own_with_its_own_ids() -> None:
    ru = "https://ru.themoscowtimes.com/2025/08/19/vlasti-zadumali-a172057"
    assert SITE.article(ru) is None
    assert not SITE.is_allowed(ru)
    russian = SiteUrls("https://ru.themoscowtimes.com")
    ref = russian.article(ru + "?utm_source=x")
    assert ref is not None
    assert (ref.url, ref.article_id) == (ru, 172057)  # its own ID, no offset
    assert russian.is_allowed(ru)
    assert russian.allowed_domains == ["ru.themoscowtimes.com"]
    assert russian.article(SEED) is None  # nor is an English article one of its own


@pytest.mark.parametrize("link", [
    "https://www.facebook.com/sharer/sharer.php?u=" + SEED,
    "https://twitter.com/intent/tweet?url=" + SEED,
    "https://t.me/share/url?url=" + SEED,
    "https://wa.me/?text=" + SEED,
    "mailto:?subject=x&body=" + SEED,
])
def test_share_links_are_not_articles(link: str) -> None:
    assert SITE.link(link) is None


def test_legacy_links_resolve_through_the_site() -> None:
    ref = SITE.link("https://themoscowtimes.com/news/wcry-virus-reportedly-infects-57984?utm=x")
    assert ref is not None
    assert (ref.article_id, ref.day) == (57984, None)
    assert ref.url == "https://www.themoscowtimes.com/news/wcry-virus-reportedly-infects-57984"
    assert SITE.link(SEED) == SITE.article(SEED)


def test_origins_include_port_and_scheme() -> None:
    site = SiteUrls("http://127.0.0.1:8123")
    assert site.is_allowed("http://127.0.0.1:8123/rss/news")
    for url in ("http://127.0.0.1:9999/", "file:///etc/passwd", "ftp://127.0.0.1:8123/x",
                "data:text/html,x", "http://10.0.0.1/", "http://evil.test:8123/"):
        assert not site.is_allowed(url), url
    assert SITE.is_allowed("https://static.themoscowtimes.com/sitemap/2023-5.xml")
    assert not SITE.is_allowed("https://www.themoscowtimes.com.evil.test/")
