"""Page objects for discovery documents: RSS feeds, sitemap indexes, monthly and news sitemaps."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from io import BytesIO
from typing import TYPE_CHECKING

import lxml.etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawler.pages.article import parse_datetime
from crawler.urls import ArticleRef, SiteUrls

if TYPE_CHECKING:
    from collections.abc import Iterator

_MONTHLY = re.compile(r"/sitemap/(\d{4})-(\d{1,2})\.xml$")
_GZIP_MAGIC = b"\x1f\x8b"


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


def _safe_iterparse(body: bytes) -> Iterator[tuple[str, lxml.etree._Element]]:
    """Parse untrusted XML: no entities, no DTD, no network, no huge trees."""
    return lxml.etree.iterparse(
        BytesIO(body), events=("end",), resolve_entities=False, load_dtd=False,
        no_network=True, huge_tree=False, recover=True, remove_comments=True, remove_pis=True,
    )


def _elements(body: bytes, name: str) -> Iterator[lxml.etree._Element]:
    """Every element with local name ``name``; stops quietly at damage (recover mode)."""
    try:
        for _, elem in _safe_iterparse(body):
            if isinstance(elem.tag, str) and lxml.etree.QName(elem).localname == name:
                yield elem
                elem.clear()
    except lxml.etree.LxmlError:
        return  # keep what was read before the damage; callers count empty documents


def _child_text(elem: lxml.etree._Element, name: str) -> str:
    for child in elem.iter():
        if isinstance(child.tag, str) and lxml.etree.QName(child).localname == name:
            return (child.text or "").strip()
    return ""


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
    for elem in _elements(body, "item"):
        link = elem.findtext("link") or elem.findtext("guid") or ""
        ref = site.link(link)
        if ref is not None:
            entries.append(FeedEntry(ref, _pubdate(elem.findtext("pubDate"))))
    return entries


def sitemap_locs(body: bytes) -> list[str]:
    """The ``<loc>`` of every entry of a sitemap or sitemap index (safe parser)."""
    return [entry["loc"] for entry in sitemap_entries(body)]


def sitemap_entries(body: bytes) -> list[dict[str, str]]:
    """Every entry of a sitemap or sitemap index that has a ``<loc>``."""
    try:
        return [entry for entry in Sitemap(body) if entry.get("loc")]
    except (lxml.etree.LxmlError, StopIteration):
        return []


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
    parser recovers and keeps every entry it can.
    """
    entries: list[FeedEntry] = []
    for elem in _elements(body, "url"):
        ref = site.link(_child_text(elem, "loc"))
        if ref is not None:
            entries.append(FeedEntry(ref, parse_datetime(_child_text(elem, "publication_date"))))
    return entries
