"""Page object: a section listing (``/news``) or one of its offset fragments → article links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsel import Selector

from crawler.sites.moscowtimes.urls import ArticleRef, SiteUrls

#: the main list's excerpts; the sidebar's "Just in"/"Most read" use other blocks
_EXCERPTS = ".article-excerpt-lead, .article-excerpt-default"
#: the "View more articles" button: JS asks for /news/19, /news/37, ... (spec §1.4)
_MORE = '[y-use="More"]'
DEFAULT_START = 19
DEFAULT_STEP = 18
_OFFSET = re.compile(r"\{\{\s*offset\s*\}\}")


@dataclass(frozen=True)
class MoreButton:
    """Where the next fragments are: ``prefix + offset + suffix``, from ``start`` by ``step``."""

    prefix: str
    suffix: str
    start: int
    step: int

    def url(self, offset: int) -> str:
        return f"{self.prefix}{offset}{self.suffix}"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


class ListingPage:
    """A full listing page or an HTML fragment of excerpts (no <html>, maybe empty)."""

    def __init__(self, html: str, site: SiteUrls) -> None:
        self.sel = Selector(text=html or "<div></div>", type="html")  # never parsel's JSON guess
        self.site = site

    def articles(self) -> list[ArticleRef]:
        """The listed articles, in page order (newest first on the site)."""
        refs: dict[int, ArticleRef] = {}
        for block in self.sel.css(_EXCERPTS):
            link = block.attrib.get("data-url") or block.css("a::attr(href)").get() or ""
            ref = self.site.link(link)
            if ref is not None:
                refs.setdefault(ref.article_id, ref)
        return list(refs.values())

    def more(self, listing_url: str) -> MoreButton:
        """The next-fragment rule of the page; the site's documented one when it has no button."""
        button = self.sel.css(_MORE)
        template = self.site.absolute(button.attrib.get("data-url", "")) if button else ""
        parts = _OFFSET.split(template, maxsplit=1)
        if len(parts) != 2 or not self.site.is_same_site(template):
            parts = [listing_url.rstrip("/") + "/", ""]
        start = _int(button.attrib.get("data-start") if button else None, DEFAULT_START)
        step = _int(button.attrib.get("data-step") if button else None, DEFAULT_STEP)
        return MoreButton(parts[0], parts[1], max(start, 1), max(step, 1))
