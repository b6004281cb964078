"""Politeness toward the site, and the one place it may be lifted: a site on this machine.

``[crawl] fast_on_loopback = true`` (or ``mtwatch run --fast``) crawls a site whose host is a
loopback address (127.0.0.0/8, ::1, ``localhost``: the offline replica, a local mirror) with no
download delay, no AutoThrottle and several requests at a time. Any other host keeps the
configured politeness, whatever the setting says, and the run says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.hosts import is_loopback

if TYPE_CHECKING:
    from crawler.config import Config

#: what a loopback site is crawled with when politeness is lifted
LIFTED: dict[str, float | bool] = {"download_delay": 0.0, "autothrottle": False,
                                   "concurrent_requests_per_domain": 8}


def is_loopback_url(url: str) -> bool:
    """True when ``url``'s host is this machine: 127.0.0.0/8, ::1 or ``localhost``."""
    return is_loopback((urlsplit(url).hostname or "").rstrip(".").lower())


def lifted_note(site_url: str) -> str:
    """The line a run prints when it crawls without delays."""
    return (f"politeness lifted for the loopback site {site_url} (crawl.fast_on_loopback): "
            "no download delay, no AutoThrottle, 8 requests at a time")


def ignored_note(site_url: str) -> str:
    """The line a run prints when the setting is on but the site is not on this machine."""
    return (f"crawl.fast_on_loopback is ignored: {site_url} is not a loopback address, so "
            "the configured politeness applies")


def site_politeness(config: Config) -> dict[str, dict[str, float]]:
    """Scrapy ``DOWNLOAD_SLOTS`` for the run's sites: each host gets its site's own delay and
    concurrency (``[sites.<name>]`` download_delay / concurrency, else ``[crawl]``); a loopback
    site is lifted only when ``crawl.fast_on_loopback`` is on, never another host."""
    from crawler.sites.moscowtimes.urls import SiteUrls

    slots: dict[str, dict[str, float]] = {}
    for name in config.running_sites:
        site = config.sites[name]
        delay = config.crawl.download_delay if site.download_delay is None else site.download_delay
        concurrency = site.concurrency or config.crawl.concurrent_requests_per_domain
        if config.crawl.fast_on_loopback and is_loopback_url(site.url):
            delay, concurrency = 0.0, int(LIFTED["concurrent_requests_per_domain"])
        for host in SiteUrls(site.url).hosts:
            slots[host] = {"delay": float(delay), "concurrency": int(concurrency)}
    return slots
