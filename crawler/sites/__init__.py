"""Sites: one small interface for what is specific to a site, and ``build_site`` from config.

A site is named by its ``[sites.<name>]`` table and read by the rules of its ``kind``
(``crawler/sites/<kind>/``). Crawling logic (feeds, sitemaps, listings, ledger, plan) lives in
the generic spider (crawler.spiders.base) and asks the site only what this interface offers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from crawler.config import SiteConfig
    from crawler.sites.common import ArticleReader, ArticleRef, Listing
    from crawler.sites.moscowtimes.urls import SiteUrls


class Site(Protocol):
    """What the crawl needs to know about one site."""

    #: the ``[sites.<name>]`` name: carried by every item, request and stored row
    name: str
    #: the rules that read it ("moscowtimes", "generic")
    kind: str
    config: SiteConfig
    @property
    def urls(self) -> SiteUrls:
        """The URL rules (absolute URLs, article links, allowed origins)."""

    @property
    def base_url(self) -> str: ...

    @property
    def timezone(self) -> ZoneInfo: ...

    def is_article_url(self, url: str) -> bool:
        """A link to one of this site's articles (any variant of its URL)."""

    def canonical(self, url: str) -> str | None:
        """The article's canonical URL, or None when ``url`` is no article of this site."""

    def article_key(self, ref: ArticleRef) -> str:
        """The site's own stable ID of the article (as text), else its canonical URL."""

    def is_soft_404(self, url: str, html: str) -> bool:
        """The site's "not found" page served with HTTP 200."""

    def article_page(self, url: str, html: str) -> ArticleReader:
        """The page object that reads one article page."""

    def listing_page(self, html: str) -> Listing:
        """The page object that reads one listing page (or fragment)."""


class UnknownSiteKindError(ValueError):
    """A ``kind`` no rules exist for yet."""


def build_site(name: str, config: SiteConfig) -> Site:
    """The site named ``name`` as configured: its kind's rules bound to its URL."""
    if config.kind == "moscowtimes":
        from crawler.sites.moscowtimes import MoscowTimesSite

        return MoscowTimesSite(name, config)
    if config.kind == "generic":
        from crawler.sites.generic import GenericSite

        return GenericSite(name, config)
    raise UnknownSiteKindError(f"sites.{name}.kind = {config.kind!r} is not supported yet "
                               "(supported: 'moscowtimes', 'generic')")


__all__ = ["Site", "UnknownSiteKindError", "build_site"]
