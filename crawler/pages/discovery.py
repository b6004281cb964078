"""Page objects for discovery documents: RSS feeds, the sitemap index, monthly sitemaps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from io import BytesIO
from typing import TYPE_CHECKING

import lxml.etree
from scrapy.utils.sitemap import Sitemap

from crawler.urls import ArticleRef, SiteUrls

if TYPE_CHECKING:
    from collections.abc import Iterator

_MONTHLY = re.compile(r"/sitemap/(\d{4})-(\d{1,2})\.xml$")


@dataclass(frozen=True)
class FeedEntry:
    """One feed item that links to an article of the site."""

    ref: ArticleRef
    published: datetime | None


@dataclass(frozen=True, order=True)
class MonthlySitemap:
    """A monthly sitemap (``/sitemap/2023-5.xml``: month not zero-padded)."""

    year: int
    month: int
    url: str


def _safe_iterparse(body: bytes) -> Iterator[tuple[str, lxml.etree._Element]]:
    """Parse untrusted XML: no entities, no DTD, no network, no huge trees."""
    return lxml.etree.iterparse(
        BytesIO(body), events=("end",), resolve_entities=False, load_dtd=False,
        no_network=True, huge_tree=False, recover=True, remove_comments=True, remove_pis=True,
    )


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
    try:
        for _, elem in _safe_iterparse(body):
            if not isinstance(elem.tag, str) or lxml.etree.QName(elem).localname != "item":
                continue
            link = elem.findtext("link") or elem.findtext("guid") or ""
            ref = site.article(link)
            if ref is not None:
                entries.append(FeedEntry(ref, _pubdate(elem.findtext("pubDate"))))
            elem.clear()
    except lxml.etree.LxmlError:
        pass  # keep the items read before the damage; the caller counts an empty feed
    return entries


def sitemap_locs(body: bytes) -> list[str]:
    """The ``<loc>`` of every entry of a sitemap or sitemap index (safe parser)."""
    try:
        return [entry["loc"] for entry in Sitemap(body) if entry.get("loc")]
    except (lxml.etree.LxmlError, StopIteration):
        return []


def monthly_sitemaps(body: bytes, site: SiteUrls) -> list[MonthlySitemap]:
    """Monthly sitemaps listed in the index, newest first."""
    found = set()
    for loc in sitemap_locs(body):
        match = _MONTHLY.search(loc)
        if match and site.is_same_site(loc):
            found.add(MonthlySitemap(int(match.group(1)), int(match.group(2)), loc))
    return sorted(found, reverse=True)


def sitemap_articles(body: bytes, site: SiteUrls) -> list[ArticleRef]:
    """Article links of a monthly sitemap."""
    refs = (site.article(loc) for loc in sitemap_locs(body))
    return [ref for ref in refs if ref is not None]
