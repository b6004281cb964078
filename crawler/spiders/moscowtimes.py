"""The ``moscowtimes`` spider: the generic spider on a site of kind ``moscowtimes``.

``scrapy crawl moscowtimes`` crawls the run's main site (``[sites.moscowtimes]``, or the one
``-s MTWATCH_SITE=NAME|URL`` picks); ``-a site=moscowtimes-ru`` the Russian edition.
"""

from __future__ import annotations

from crawler.spiders.base import SiteSpider


class MoscowTimesSpider(SiteSpider):
    """Find new or changed Moscow Times articles; yield one ``ArticleItem`` per article page."""

    name = "moscowtimes"


__all__ = ["MoscowTimesSpider"]
