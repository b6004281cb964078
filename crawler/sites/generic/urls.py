"""A generic site's URL rules: one canonical spelling of every URL, and which URLs are
articles (the site's ``article_url`` pattern, else the shape of a news article's path)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from crawler.sites.common import ArticleRef
from crawler.sites.moscowtimes.urls import SiteUrls

#: query parameters that say where a reader came from, never which page it is
_TRACKING = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|yclid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|"
    r"ocid|cmpid|ito|ns_\w+|at_\w+|share|ref|ref_src|src|from|amp|outputType|rss)$",
    re.IGNORECASE)
#: a path segment may keep these as they are (RFC 3986 pchar without "/" and "%")
_SEGMENT_SAFE = "!$&'()*+,;=:@-._~"
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: a date in the path: /2025/03/14/, /2025/03/, /2025-03-14/, /20250314/
_DATED = re.compile(r"/(20\d\d|19\d\d)(?:/|-)?(0[1-9]|1[0-2])(?:(?:/|-)?(0[1-9]|[12]\d|3[01]))?"
                    r"(?=/|-|$)")
#: segments of pages that list articles (or are no page of text at all)
_NOT_ARTICLE = frozenset({
    "tag", "tags", "category", "categories", "author", "authors", "topic", "topics", "section",
    "page", "search", "feed", "feeds", "rss", "atom", "amp", "wp-json", "wp-content",
    "wp-admin", "wp-includes", "wp-login.php", "comments", "trackback", "embed", "print",
    "login", "account", "subscribe", "newsletter", "about", "contact", "archive", "archives",
    "sitemap", "video", "videos", "gallery", "photo", "photos", "live", "cdn-cgi", "static",
    "assets", "media", "uploads", "images", "css", "js", "теги", "тег", "автор",
    "авторы", "рубрика", "поиск",
})
_FILE = re.compile(r"\.(?:xml|rss|atom|json|jpe?g|png|gif|webp|svg|ico|pdf|css|js|mp[34]|zip"
                   r"|gz|txt)$", re.IGNORECASE)
#: a slug: at least three words joined by "-" or "_" (Latin, Cyrillic, digits)
_SLUG = re.compile(r"^[^\W_]+(?:[-_][^\W_]+){2,}(?:\.s?html?)?$")
#: an ID in the last segment: /12345678, /slug-12345, /12345-slug, /article12345.html
_NUMERIC = re.compile(r"(?:^|[-_a-z])\d{5,}(?:[-_][^\W_]+)*(?:\.s?html?)?$", re.IGNORECASE)


def _segment(text: str) -> str:
    """One path segment in one spelling: percent-decoded, then encoded again (UTF-8,
    upper-case hex), so that ``/новости`` and ``/%d0%bd…`` are the same."""
    return quote(unquote(text), safe=_SEGMENT_SAFE)


def normalise(url: str) -> str:
    """The one spelling of ``url``: scheme and host in lower case, no default port, no
    fragment, no tracking parameters (the others sorted), no trailing slash, no ``/amp``.

    Raises ValueError for what is no absolute http(s) URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    port = parts.port  # ValueError for a bad port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host:  # an IPv6 address keeps its brackets
        netloc = f"[{host}]" + netloc[len(host):]
    segments = [_segment(s) for s in parts.path.split("/")]
    while segments and segments[-1] in ("", "amp"):
        segments.pop()
    path = "/".join(segments) or "/"
    if not path.startswith("/"):
        path = "/" + path
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def path_day(path: str) -> date | None:
    """The publication date a dated path carries (``/2025/03/14/slug``), else None."""
    match = _DATED.search(path)
    if match is None or match.group(3) is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def looks_like_article(path: str) -> bool:
    """A news article's path: dated, slugged or numbered, and never a home, tag, category,
    author, feed, search or file page (``path`` percent-decoded, without the query)."""
    segments = [s for s in path.lower().split("/") if s]
    if not segments or any(s in _NOT_ARTICLE for s in segments) or _FILE.search(path):
        return False
    last = segments[-1]
    if _DATED.search(path) and not _DATED.fullmatch("/" + "/".join(segments)):
        return bool(re.search(r"[^\W\d_]", last) or _NUMERIC.search(last))
    return bool(_SLUG.match(last) or _NUMERIC.search(last))


class GenericUrls(SiteUrls):
    """A generic site's URL rules: the site's hosts (as The Moscow Times' rules have them),
    canonical URLs as keys, and articles told by ``article_url`` or by the heuristics."""

    def __init__(self, base_url: str, article_url: str = "") -> None:
        super().__init__(base_url)
        self.pattern = re.compile(article_url) if article_url else None

    def _own(self, url: str) -> str | None:
        """``url`` made absolute, if it is a URL of this site."""
        try:
            absolute = self.absolute(url.strip())
            return absolute if self.is_allowed(absolute) else None
        except ValueError:  # e.g. "https://[www…": not a URL
            return None

    def canonical(self, url: str) -> str | None:
        """``url`` (relative or absolute) in its one spelling, on the site's scheme; None when
        it is not a URL of this site."""
        absolute = self._own(url)
        if absolute is None:
            return None
        try:
            parts = urlsplit(normalise(absolute))
        except ValueError:  # a bad port
            return None
        return urlunsplit((self.scheme, parts.netloc, parts.path, parts.query, ""))

    def fetchable(self, url: str) -> str | None:
        """``url`` as the site spells it (path and trailing slash untouched: some sites answer
        404 to another spelling), absolute, without fragment nor tracking parameters; None when
        it is not a URL of this site."""
        absolute = self._own(url)
        if absolute is None:
            return None
        parts = urlsplit(absolute)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if not _TRACKING.match(k)]
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                           urlencode(query), ""))

    def is_article_path(self, path_and_query: str) -> bool:
        decoded = unquote(path_and_query)
        if self.pattern is not None:
            return self.pattern.search(decoded) is not None
        return looks_like_article(decoded.split("?", 1)[0])

    def article(self, url: str) -> ArticleRef | None:
        """The article behind ``url`` (to fetch as the site spells it; its key is
        :meth:`canonical`), or None when it is none."""
        found, fetch = self.canonical(url), self.fetchable(url)
        if found is None or fetch is None:
            return None
        parts = urlsplit(found)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if not self.is_article_path(target):
            return None
        return ArticleRef(url=fetch, article_id=0, day=path_day(unquote(parts.path)))

    def link(self, url: str) -> ArticleRef | None:
        return self.article(url)

    def legacy_article_id(self, url: str) -> int | None:
        return None
