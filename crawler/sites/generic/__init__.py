"""Any news site (``kind = "generic"``): articles keyed by canonical URL, fields from JSON-LD
and OpenGraph, the body from a selector override or the generic extraction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from crawler.sites.common import ArticleRef
from crawler.sites.generic.urls import GenericUrls

if TYPE_CHECKING:
    from crawler.config import SiteConfig
    from crawler.sites.generic.article import GenericArticlePage


class GenericSite:
    """A site of kind ``generic``: feeds and sitemaps it names, its canonical URLs as keys."""

    kind = "generic"

    def __init__(self, name: str, config: SiteConfig) -> None:
        self.name = name
        self.config = config
        self.urls = GenericUrls(config.url, config.article_url)
        self._zone = ZoneInfo(config.timezone)

    def __repr__(self) -> str:
        return f"GenericSite({self.name!r}, {self.urls.base_url!r})"

    @property
    def base_url(self) -> str:
        return self.urls.base_url

    @property
    def timezone(self) -> ZoneInfo:
        return self._zone

    def is_article_url(self, url: str) -> bool:
        return self.urls.article(url) is not None

    def canonical(self, url: str) -> str | None:
        ref = self.urls.article(url)
        return ref.url if ref is not None else None

    def article_key(self, ref: ArticleRef) -> str:
        """The canonical URL: a generic site's articles have no ID of their own."""
        return ref.url

    def is_soft_404(self, url: str, html: str) -> bool:
        return self.article_page(url, html).is_soft_404

    def article_page(self, url: str, html: str) -> GenericArticlePage:
        from crawler.sites.generic.article import GenericArticlePage  # lxml, parsel

        site = self.config
        return GenericArticlePage(url, html, self.urls, zone=site.body, headline=site.headline,
                                  published=site.published, language=site.language,
                                  timezone=self._zone)

    def listing_page(self, html: str) -> Any:
        raise NotImplementedError("a generic site is read from its feeds and sitemaps")


__all__ = ["GenericSite", "GenericUrls"]
