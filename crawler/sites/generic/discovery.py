"""Discovery documents of a generic site: Atom feeds (RSS is read by crawler.pages.discovery)
and sitemaps of any kind (an index, a plain sitemap, a Google news sitemap)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlsplit

import lxml.etree

from crawler.pages.discovery import FeedEntry
from crawler.pages.xmlrecords import read_records
from crawler.sites.common import parse_time
from crawler.sites.moscowtimes.urls import SiteUrls

_ATOM = "{http://www.w3.org/2005/Atom}"
#: an Atom feed is small: a bigger one is not read whole
_ATOM_MAX_ENTRIES = 5000


def atom_entries(body: bytes, site: SiteUrls) -> list[FeedEntry]:
    """Article links of an Atom feed (each entry's alternate link), in feed order; a feed that
    is no well-formed XML lists nothing (it is reported as such)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                                  huge_tree=False, recover=False)
    try:
        root = lxml.etree.parse(BytesIO(body), parser).getroot()
    except lxml.etree.LxmlError:
        return []
    entries: list[FeedEntry] = []
    for entry in root.iterfind(f"{_ATOM}entry"):
        links = [link.get("href", "") for link in entry.iterfind(f"{_ATOM}link")
                 if link.get("rel", "alternate") == "alternate"]
        ref = next((r for r in map(site.link, links) if r is not None), None)
        if ref is not None:
            published = entry.findtext(f"{_ATOM}published") or entry.findtext(f"{_ATOM}updated")
            entries.append(FeedEntry(ref, parse_time(published)))
        if len(entries) >= _ATOM_MAX_ENTRIES:
            break
    return entries


#: The sitemaps of an index that list no article by construction, by their file name: the
#: author and taxonomy-term archives of WordPress core (``wp-sitemap-users-1.xml``,
#: ``wp-sitemap-taxonomies-category-1.xml``, ``…-post_tag-1.xml``) and of the Yoast and Rank
#: Math plugins (``author-sitemap.xml``, ``category-sitemap2.xml``, ``post_tag-sitemap.xml``).
#: Only these names: a publisher's ``sitemap-category-world.xml`` may well list the articles
#: of a section, and a video sitemap often lists article pages that embed a video (both are
#: read, conditionally).
_ARCHIVE_SITEMAP = re.compile(
    r"^(?:wp-sitemap-(?:users|taxonomies-[\w-]+)-\d+|(?:author|category|post_tag|tag)-sitemap\d*)"
    r"\.xml(?:\.gz)?$", re.IGNORECASE)


def lists_no_articles(url: str) -> bool:
    """A sitemap (named by an index) that lists author or taxonomy archive pages only: a CMS
    names it so (see ``_ARCHIVE_SITEMAP``), whatever the site's ``article_url`` says."""
    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return _ARCHIVE_SITEMAP.match(name) is not None


@dataclass(frozen=True)
class SitemapContent:
    """What one sitemap lists: further sitemaps (an index), and article pages."""

    sitemaps: list[str]
    articles: list[FeedEntry]
    #: every page it lists, articles or not
    pages: int = 0
    #: the sitemaps it names that list no article (not read)
    archives: int = 0


def sitemap_content(body: bytes, site: SiteUrls) -> SitemapContent:
    """The site's own sitemaps an index lists (those that list no article left out), and the
    articles a sitemap lists with their time (a news sitemap's publication date, else the
    page's lastmod)."""
    named = [r["loc"] for r in read_records(body, {"sitemap"}, {"loc"})
             if r.get("loc") and site.is_same_site(r["loc"])]
    children = [url for url in dict.fromkeys(named) if not lists_no_articles(url)]
    articles: list[FeedEntry] = []
    pages = 0
    for record in read_records(body, {"url"}, {"loc", "publication_date", "lastmod"}):
        pages += bool(record.get("loc"))
        ref = site.link(record.get("loc", ""))
        if ref is not None:
            when = record.get("publication_date") or record.get("lastmod")
            articles.append(FeedEntry(ref, parse_time(when)))
    return SitemapContent(children, articles, pages, len(set(named)) - len(children))
