"""Any news site (``kind = "generic"``): articles keyed by canonical URL, fields from JSON-LD
and OpenGraph, the body from a selector override or the generic extraction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.sites.common import ArticleRef, SiteBase
from crawler.sites.generic.urls import GenericUrls

if TYPE_CHECKING:
    from crawler.config import SiteConfig
    from crawler.sites.generic.article import GenericArticlePage


class GenericSite(SiteBase):
    """A site of kind ``generic``: feeds and sitemaps it names, its canonical URLs as keys."""

    kind = "generic"

    urls: GenericUrls

    def __init__(self, name: str, config: SiteConfig) -> None:
        super().__init__(name, config, GenericUrls(config.url, config.article_url))

    def canonical(self, url: str) -> str | None:
        return self.urls.canonical(url) if self.is_article_url(url) else None

    def article_key(self, ref: ArticleRef) -> str:
        """The URL in its one spelling: a generic site's articles have no ID of their own."""
        return self.urls.canonical(ref.url) or ref.url

    def article_page(self, url: str, html: str) -> GenericArticlePage:
        from crawler.sites.generic.article import GenericArticlePage  # lxml, parsel

        site = self.config
        return GenericArticlePage(url, html, self.urls, zone=site.body, headline=site.headline,
                                  published=site.published, language=site.language,
                                  timezone=self._zone)

    def listing_page(self, html: str) -> Any:
        raise NotImplementedError("a generic site is read from its feeds and sitemaps")


__all__ = ["GenericSite", "GenericUrls"]
