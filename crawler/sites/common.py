"""What every site kind hands the crawl: an article link (``ArticleRef``), the page objects'
protocols (whatever the layout read, an article page gives ``crawler.items.ArticleFields``),
and the part of a site every kind shares (``SiteBase``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from crawler.config import SiteConfig
    from crawler.items import ArticleFields
    from crawler.sites.moscowtimes.urls import SiteUrls


@dataclass(frozen=True)
class ArticleRef:
    """A link to an article, canonicalised by its site's URL rules.

    ``article_id`` is the site's own numeric ID (0 when its URLs carry none: the article is then
    known by its canonical URL); ``day`` is the date in the URL, if it has one (site timezone).
    """

    url: str
    article_id: int
    day: date | None


class ArticleReader(Protocol):
    """A page object over one article page (no requests)."""

    @property
    def is_soft_404(self) -> bool: ...

    def fields(self) -> ArticleFields | None: ...


class Listing(Protocol):
    """A page object over one listing page: the articles it links, and where the next is."""

    def articles(self) -> list[ArticleRef]: ...

    def more(self, listing_url: str) -> Any: ...


def parse_time(value: str | None, zone: ZoneInfo | None = None) -> datetime | None:
    """An ISO 8601 time (``Z`` for UTC); one without offset is in ``zone``, else unknown."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=zone) if zone is not None else None
    return parsed


class SiteBase:
    """What a site of any kind does the same way: its name, config, URL rules and timezone."""

    kind = ""

    def __init__(self, name: str, config: SiteConfig, urls: SiteUrls) -> None:
        self.name = name
        self.config = config
        self.urls = urls
        self._zone = ZoneInfo(config.timezone)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.urls.base_url!r})"

    @property
    def base_url(self) -> str:
        return self.urls.base_url

    @property
    def timezone(self) -> ZoneInfo:
        return self._zone

    def is_article_url(self, url: str) -> bool:
        return self.urls.link(url) is not None

    def canonical(self, url: str) -> str | None:
        ref = self.urls.article(url)
        return ref.url if ref is not None else None

    def is_soft_404(self, url: str, html: str) -> bool:
        return self.article_page(url, html).is_soft_404

    def article_page(self, url: str, html: str) -> ArticleReader:
        raise NotImplementedError


__all__ = ["ArticleReader", "ArticleRef", "Listing", "SiteBase", "parse_time"]
