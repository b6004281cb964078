"""Kept for imports: The Moscow Times' URL rules live in crawler.sites.moscowtimes.urls."""

from crawler.sites.moscowtimes.urls import ArticleRef, SiteUrls

__all__ = ["ArticleRef", "SiteUrls"]
