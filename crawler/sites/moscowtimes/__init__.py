"""The Moscow Times (www. and the Russian edition ru.): its URL rules, pages and soft 404."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from crawler.sites.moscowtimes.urls import ArticleRef, SiteUrls

if TYPE_CHECKING:
    from crawler.config import SiteConfig
    from crawler.sites.moscowtimes.article import ArticlePage
    from crawler.sites.moscowtimes.listing import ListingPage


class MoscowTimesSite:
    """A site of kind ``moscowtimes``: dated ``…-a<ID>`` article URLs, the ID is the key."""

    kind = "moscowtimes"

    def __init__(self, name: str, config: SiteConfig) -> None:
        self.name = name
        self.config = config
        self.urls = SiteUrls(config.url)
        self._zone = ZoneInfo(config.timezone)

    def __repr__(self) -> str:
        return f"MoscowTimesSite({self.name!r}, {self.urls.base_url!r})"

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

    def article_key(self, ref: ArticleRef) -> str:
        return str(ref.article_id)

    def is_soft_404(self, url: str, html: str) -> bool:
        return self.article_page(url, html).is_soft_404

    def article_page(self, url: str, html: str) -> ArticlePage:
        from crawler.sites.moscowtimes.article import ArticlePage  # the page pulls in lxml

        return ArticlePage(url, html, self.urls)

    def listing_page(self, html: str) -> ListingPage:
        from crawler.sites.moscowtimes.listing import ListingPage

        return ListingPage(html, self.urls)


__all__ = ["ArticleRef", "MoscowTimesSite", "SiteUrls"]
