"""Which sitemaps of an index a generic site reads, and where a moved feed is asked: the
author and taxonomy sitemaps CMSs name so are left out (never a sitemap that may list
articles), and a permanent redirect moves the document, a temporary one does not."""

from __future__ import annotations

import pytest

from crawler.sites.generic.discovery import lists_no_articles, sitemap_content
from crawler.sites.generic.urls import GenericUrls
from crawler.spiders.moves import moved_to, poll_moved_to
from tests.replica.cms import CmsSite

BASE = "http://127.0.0.3:8000"


@pytest.mark.parametrize("name", [
    "wp-sitemap-users-1.xml", "wp-sitemap-taxonomies-category-1.xml",
    "wp-sitemap-taxonomies-post_tag-12.xml", "author-sitemap.xml", "category-sitemap2.xml",
    "post_tag-sitemap.xml", "tag-sitemap.xml.gz"])
def test_author_and_taxonomy_sitemaps_list_no_articles(name: str) -> None:
    assert lists_no_articles(f"{BASE}/{name}")


@pytest.mark.parametrize("name", [
    "wp-sitemap-posts-post-1.xml", "wp-sitemap-posts-page-1.xml", "post-sitemap.xml",
    "sitemaps/video.xml", "video-sitemap.xml", "sitemap-category-world.xml", "news-sitemap.xml",
    "sitemap-users-guide-articles.xml", "wp-sitemap.xml"])
def test_sitemaps_that_may_list_articles_are_read(name: str) -> None:
    assert not lists_no_articles(f"{BASE}/{name}")


def test_the_blogs_index_leads_to_its_posts_only_and_a_video_sitemap_lists_pages() -> None:
    urls = GenericUrls(BASE)
    blog = CmsSite("wordpress", BASE)
    index = sitemap_content(blog.routes["/wp-sitemap.xml"][2].encode(), urls)
    assert (index.sitemaps, index.archives) == ([f"{BASE}/wp-sitemap-posts-post-1.xml"], 2)
    publisher = CmsSite("publisher", BASE)
    videos = sitemap_content(publisher.routes["/sitemaps/video.xml"][2].encode(), urls)
    assert (videos.sitemaps, videos.articles, videos.pages) == ([], [], 1)


@pytest.mark.parametrize(("asked", "hops", "reasons", "final", "where"), [
    ("/feed", [], [], "/feed", None),  # answered where configured
    ("/feed", ["/feed"], [301], "/feed/", "/feed/"),
    ("/feed", ["/feed"], [308], "/feed/", "/feed/"),
    ("/feed", ["/feed"], [302], "/elsewhere", None),  # a temporary move is no move
    ("/feed", ["/feed"], [307], "/elsewhere", None),
    ("/feed", ["/feed", "/feed/"], [301, 302], "/today", "/feed/"),  # moved, then temporary
    ("/feed", ["/feed", "/feed/"], [301, 301], "/rss", "/rss"),
    ("/feed/", [], [], "/feed/", "/feed/"),  # asked where it moved: it stays moved
    ("/feed/", ["/feed/"], [301], "/feed", None),  # moved back home
])
def test_only_permanent_redirects_move_a_document(asked: str, hops: list[str],
                                                  reasons: list[int], final: str,
                                                  where: str | None) -> None:
    assert moved_to("/feed", asked, hops, reasons, final) == where


def test_a_scrapy_responses_redirects_say_where_it_moved() -> None:
    meta = {"redirect_urls": [f"{BASE}/sitemap.xml"], "redirect_reasons": [301]}
    assert poll_moved_to(f"{BASE}/sitemap.xml", f"{BASE}/wp-sitemap.xml", meta) == (
        f"{BASE}/wp-sitemap.xml")
    assert poll_moved_to(f"{BASE}/sitemap.xml", f"{BASE}/sitemap.xml", {}) is None
