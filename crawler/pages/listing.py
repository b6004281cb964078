"""Kept for imports: The Moscow Times' listing page lives in crawler.sites.moscowtimes.listing."""

from crawler.sites.moscowtimes.listing import ListingPage, MoreButton

__all__ = ["ListingPage", "MoreButton"]
