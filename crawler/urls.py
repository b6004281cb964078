"""Article URL rules of the site: recognise, canonicalise and identify article links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

_ARTICLE_PATH = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)-a(\d+)$")
# Legacy 2016-2017 scheme, redirected by the site to the dated URL.
_LEGACY_PATH = re.compile(r"^/(?:news|articles|photogalleries)/[a-z0-9-]+-(\d+)$")


@dataclass(frozen=True)
class ArticleRef:
    """A link to an article, canonicalised to ``<site>/<yyyy>/<mm>/<dd>/<slug>-a<id>``."""

    url: str
    article_id: int
    #: the date in the URL (the site's publication date, Moscow time)
    day: date


class SiteUrls:
    """URL rules for one site base (the real site or the offline replica)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.scheme = parts.scheme
        self.host = (parts.hostname or "").lower()
        self.netloc = parts.netloc.lower()
        self.port = parts.port

    def absolute(self, path_or_url: str) -> str:
        return urljoin(self.base_url + "/", path_or_url)

    def is_same_site(self, url: str) -> bool:
        """True for the site itself and its www/static hosts; never another edition."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        try:
            if parts.port != self.port:
                return False
        except ValueError:
            return False
        if host == self.host:
            return True
        bare = self.host.removeprefix("www.")
        return host in {bare, f"www.{bare}", f"static.{bare}"} and "." in bare

    def article(self, url: str) -> ArticleRef | None:
        """The canonical article behind ``url``, or None if it is not an article page.

        Query strings (``?utm_…``), fragments, trailing slashes and the ``/pdf`` variant are
        dropped; links to other hosts (e.g. the Russian edition) are not articles of this site.
        """
        absolute = self.absolute(url.strip())
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or not self.is_same_site(absolute):
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

    def legacy_article_id(self, url: str) -> int | None:
        """The ID in a legacy ``/news/<slug>-<id>`` URL (the site redirects it)."""
        parts = urlsplit(self.absolute(url))
        match = _LEGACY_PATH.match(parts.path.rstrip("/"))
        return int(match.group(1)) if match and self.is_same_site(parts.geturl()) else None
