"""Page objects for discovery documents: RSS feeds, sitemap indexes, monthly and news sitemaps."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from scrapy.utils.gz import gunzip

from crawler.pages.xmlrecords import read_records
from crawler.sites.moscowtimes.article import parse_datetime
from crawler.sites.moscowtimes.urls import ArticleRef, SiteUrls

_MONTHLY = re.compile(r"/sitemap/(\d{4})-(\d{1,2})\.xml$")
_GZIP_MAGIC = b"\x1f\x8b"
_ITEM, _ITEM_FIELDS = frozenset({"item"}), frozenset({"link", "guid", "pubDate"})
_ENTRY, _ENTRY_FIELDS = frozenset({"url", "sitemap"}), frozenset({"loc", "lastmod"})
_URL, _NEWS_FIELDS = frozenset({"url"}), frozenset({"loc", "publication_date"})


class DocumentError(ValueError):
    """A discovery document that cannot be read (a bomb, not gzip, not XML)."""


@dataclass(frozen=True)
class FeedEntry:
    """One feed item (or news-sitemap entry) that links to an article of the site."""

    ref: ArticleRef
    published: datetime | None


@dataclass(frozen=True, order=True)
class MonthlySitemap:
    """A monthly sitemap (``/sitemap/2023-5.xml``: month not zero-padded)."""

    year: int
    month: int
    url: str
    #: the index's <lastmod> for it (the file's write time), compared as text
    lastmod: str = ""


def document_body(body: bytes, max_size: int) -> bytes:
    """The XML of a discovery document; a gzip file (``sitemap.xml.gz``) is inflated, capped."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    try:
        return gunzip(body, max_size=max_size)
    except (OSError, EOFError, ValueError, struct.error) as exc:  # ValueError: the cap (a bomb)
        raise DocumentError(f"gzip body: {exc}") from None


def _pubdate(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo is not None else None


def feed_entries(body: bytes, site: SiteUrls) -> list[FeedEntry]:
    """Article links of an RSS 2.0 feed, in feed order; other links are ignored."""
    entries: list[FeedEntry] = []
    for item in read_records(body, _ITEM, _ITEM_FIELDS):
        ref = site.link(item.get("link") or item.get("guid") or "")
        if ref is not None:
            entries.append(FeedEntry(ref, _pubdate(item.get("pubDate"))))
    return entries


def sitemap_locs(body: bytes) -> list[str]:
    """The ``<loc>`` of every entry of a sitemap or sitemap index (safe parser)."""
    return [entry["loc"] for entry in sitemap_entries(body)]


def sitemap_entries(body: bytes) -> list[dict[str, str]]:
    """Every entry of a sitemap or sitemap index that has a ``<loc>``."""
    return [entry for entry in read_records(body, _ENTRY, _ENTRY_FIELDS) if entry.get("loc")]


def monthly_sitemaps(body: bytes, site: SiteUrls) -> list[MonthlySitemap]:
    """Monthly sitemaps listed in the index, newest first."""
    found: dict[tuple[int, int], MonthlySitemap] = {}
    for entry in sitemap_entries(body):
        loc = entry["loc"]
        match = _MONTHLY.search(loc)
        if match and site.is_same_site(loc):
            month = MonthlySitemap(int(match.group(1)), int(match.group(2)), loc,
                                   entry.get("lastmod", ""))
            found.setdefault((month.year, month.month), month)
    return sorted(found.values(), reverse=True)


def sitemap_articles(body: bytes, site: SiteUrls) -> list[ArticleRef]:
    """Article links of a monthly sitemap."""
    refs = (site.link(loc) for loc in sitemap_locs(body))
    return [ref for ref in refs if ref is not None]


def news_sitemaps(body: bytes, site: SiteUrls) -> list[str]:
    """The per-section news sitemaps listed in ``newsmap.xml``."""
    return [loc for loc in sitemap_locs(body) if site.is_same_site(loc)]


def news_entries(body: bytes, site: SiteUrls) -> list[FeedEntry]:
    """Articles of a news sitemap with their publication time.

    The site writes ``news:title`` unescaped, so one ``&`` can make the file invalid XML: the
    tag scanner then reads every entry, before and after the damage.
    """
    entries: list[FeedEntry] = []
    for entry in read_records(body, _URL, _NEWS_FIELDS):
        ref = site.link(entry.get("loc", ""))
        if ref is not None:
            entries.append(FeedEntry(ref, parse_datetime(entry.get("publication_date", ""))))
    return entries
