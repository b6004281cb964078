"""Discovery documents of a generic site: Atom feeds (RSS is read by crawler.pages.discovery)
and sitemaps of any kind (an index, a plain sitemap, a Google news sitemap)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

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


@dataclass(frozen=True)
class SitemapContent:
    """What one sitemap lists: further sitemaps (an index), and article pages."""

    sitemaps: list[str]
    articles: list[FeedEntry]


def sitemap_content(body: bytes, site: SiteUrls) -> SitemapContent:
    """The site's own sitemaps an index lists, and the articles a sitemap lists with their
    time (a news sitemap's publication date, else the page's lastmod)."""
    children = [r["loc"] for r in read_records(body, {"sitemap"}, {"loc"})
                if r.get("loc") and site.is_same_site(r["loc"])]
    articles: list[FeedEntry] = []
    for record in read_records(body, {"url"}, {"loc", "publication_date", "lastmod"}):
        ref = site.link(record.get("loc", ""))
        if ref is not None:
            when = record.get("publication_date") or record.get("lastmod")
            articles.append(FeedEntry(ref, parse_time(when)))
    return SitemapContent(list(dict.fromkeys(children)), articles)
