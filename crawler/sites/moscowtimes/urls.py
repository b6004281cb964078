"""The Moscow Times' URL rules (either edition): recognise, canonicalise, identify articles."""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

from crawler.sites.common import ArticleRef

_ARTICLE_PATH = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)-a(\d+)$")
# Legacy 2016-2017 scheme, redirected by the site to the dated URL.
_LEGACY_PATH = re.compile(r"^/(?:news|articles|photogalleries)/[a-z0-9-]+-(\d+)$")
# An ArticleRef here is canonical ``<site>/<yyyy>/<mm>/<dd>/<slug>-a<id>``; legacy links
# (``/news/<slug>-<id>``) keep their own URL, which the site redirects, and have no ``day``.


def _is_domain(host: str) -> bool:
    if "." not in host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


class SiteUrls:
    """URL rules for one site base (an edition of the real site, or the offline replica).

    The English and the Russian edition (``ru.<domain>``) are two sites, each with its own
    article IDs: neither treats the other's links as its own.
    """

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.scheme = parts.scheme
        self.host = (parts.hostname or "").lower()
        self.netloc = parts.netloc.lower()
        self.port = parts.port
        bare = self.host.removeprefix("www.")
        domain = _is_domain(bare)
        self._hosts = {self.host} | ({bare, f"www.{bare}", f"static.{bare}"} if domain else set())

    @property
    def hosts(self) -> list[str]:
        """Every host name of the site (the site, and its bare/www/static names)."""
        return sorted(self._hosts)

    @property
    def allowed_domains(self) -> list[str]:
        """For Scrapy's offsite check (host names; ports are checked by OriginLockMiddleware)."""
        return sorted({self.host.removeprefix("www."), self.host})

    def absolute(self, path_or_url: str) -> str:
        return urljoin(self.base_url + "/", path_or_url)

    def _host_port(self, url: str) -> tuple[str, int | None] | None:
        parts = urlsplit(url)
        if parts.scheme not in (self.scheme, "https"):  # never another scheme, nor a downgrade
            return None
        try:
            return (parts.hostname or "").lower(), parts.port
        except ValueError:
            return None

    def is_same_site(self, url: str) -> bool:
        """True for the site itself and its www/static hosts; never the other edition."""
        found = self._host_port(url)
        return found is not None and found[1] == self.port and found[0] in self._hosts

    def is_allowed(self, url: str) -> bool:
        """May a request (or a redirect) go there: only this site, over HTTP(S)."""
        return self.is_same_site(url)

    def article(self, url: str) -> ArticleRef | None:
        """The canonical article behind ``url``, or None if it is not an article page.

        Query strings (``?utm_…``), fragments, trailing slashes and the ``/pdf`` variant are
        dropped; links to other hosts (the other edition too) are not articles of this site.
        """
        try:
            absolute = self.absolute(url.strip())
            parts = urlsplit(absolute)
            if not self.is_allowed(absolute):
                return None
        except ValueError:  # e.g. "https://[www…": not a URL, so not an article link
            return None
        path = parts.path.rstrip("/").removesuffix("/pdf")
        match = _ARTICLE_PATH.match(path)
        if match is None:
            return None
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
        canonical = urlunsplit((self.scheme, self.netloc, path, "", ""))
        return ArticleRef(url=canonical, article_id=int(match.group(5)), day=day)

    def link(self, url: str) -> ArticleRef | None:
        """An article link in a discovery document: canonical, or legacy (resolved by redirect)."""
        ref = self.article(url)
        if ref is not None:
            return ref
        legacy = self.legacy_article_id(url)
        if legacy is None:
            return None
        parts = urlsplit(self.absolute(url.strip()))
        return ArticleRef(url=urlunsplit((self.scheme, self.netloc, parts.path, "", "")),
                          article_id=legacy, day=None)

    def legacy_article_id(self, url: str) -> int | None:
        """The ID in a legacy ``/news/<slug>-<id>`` URL (the site redirects it)."""
        parts = urlsplit(self.absolute(url.strip()))
        match = _LEGACY_PATH.match(parts.path.rstrip("/"))
        return int(match.group(1)) if match and self.is_same_site(parts.geturl()) else None


__all__ = ["ArticleRef", "SiteUrls"]
