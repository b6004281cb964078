"""The ``generic`` spider: the generic spider on a site of kind ``generic``.

``scrapy crawl generic -a site=NAME`` crawls ``[sites.NAME]``; without it, the first generic
site the run crawls.
"""

from __future__ import annotations

from crawler.context import CrawlContext
from crawler.spiders.base import SiteSpider


class GenericSpider(SiteSpider):
    """Find a generic site's new or changed articles; one ``ArticleItem`` per article page."""

    name = "generic"

    @classmethod
    def default_site(cls, context: CrawlContext) -> str | None:
        config = context.config
        names = [n for n in config.running_sites if config.sites[n].kind == "generic"]
        return names[0] if names else None


__all__ = ["GenericSpider"]
