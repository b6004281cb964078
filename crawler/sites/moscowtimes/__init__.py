"""The Moscow Times (www. and the Russian edition ru.): its URL rules, pages and soft 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.sites.common import SiteBase
from crawler.sites.moscowtimes.urls import ArticleRef, SiteUrls

if TYPE_CHECKING:
    from crawler.config import SiteConfig
    from crawler.sites.moscowtimes.article import ArticlePage
    from crawler.sites.moscowtimes.listing import ListingPage


class MoscowTimesSite(SiteBase):
    """A site of kind ``moscowtimes``: dated ``…-a<ID>`` article URLs, the ID is the key."""

    kind = "moscowtimes"

    def __init__(self, name: str, config: SiteConfig) -> None:
        super().__init__(name, config, SiteUrls(config.url))

    def article_key(self, ref: ArticleRef) -> str:
        return str(ref.article_id)

    def article_page(self, url: str, html: str) -> ArticlePage:
        from crawler.sites.moscowtimes.article import ArticlePage  # the page pulls in lxml

        return ArticlePage(url, html, self.urls)

    def listing_page(self, html: str) -> ListingPage:
        from crawler.sites.moscowtimes.listing import ListingPage

        return ListingPage(html, self.urls)


__all__ = ["ArticleRef", "MoscowTimesSite", "SiteUrls"]
