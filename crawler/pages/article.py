"""Kept for imports: The Moscow Times' article page lives in crawler.sites.moscowtimes.article."""

from crawler.sites.moscowtimes.article import ZONE_CSS, ArticleFields, ArticlePage, parse_datetime

__all__ = ["ZONE_CSS", "ArticleFields", "ArticlePage", "parse_datetime"]
