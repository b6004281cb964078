"""Replicas of other CMS layouts (a WordPress-like blog, a large publisher, a Russian-language
site) for the generic site rules: seeded content with planted positives and traps, a truth
file, a loopback HTTP server. ``python -m tests.replica.cms --layout L --host 127.0.0.x``."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.replica.server import AccessLog, AccessRecord

from . import publisher, russian, wordpress
from .model import Story, english_stories, russian_stories, truth

Routes = dict[str, tuple[int, str, str]]


@dataclass(frozen=True)
class Layout:
    """One CMS: its stories, its pages, the path of each article, its removed article."""

    stories: Callable[[], list[Story]]
    routes: Callable[[list[Story], str], Routes]
    path: Callable[[Story], str]
    ghost: str


#: per layout, the keys of the ``[sites.<name>]`` table that reads it (after ``kind`` and ``url``)
SITE_KEYS = {
    "wordpress": 'feeds = ["/feed/"]\nsitemaps = ["/wp-sitemap.xml"]\ntimezone = "UTC"\n',
    "publisher": ('sitemaps = ["/sitemaps/news.xml", "/sitemaps/index.xml"]\n'
                  'body = "div.article-body"\ntimezone = "Europe/London"\n'),
    "russian": 'feeds = ["/feeds/atom.xml"]\nlanguage = "ru"\ntimezone = "Europe/Moscow"\n',
}

LAYOUTS = {
    "wordpress": Layout(lambda: english_stories(seed=11), wordpress.routes, wordpress.path,
                        wordpress.GHOST),
    "publisher": Layout(lambda: english_stories(seed=12), publisher.routes, publisher.path,
                        publisher.GHOST),
    "russian": Layout(russian_stories, russian.routes, russian.path, russian.GHOST),
}


class CmsSite:
    """Every page of one CMS replica at ``base``, by decoded path.

    ``stories``: the site's stories (default: its layout's own); ``now``: the site clock, only
    stories published at or before it are served (None: all of them). :meth:`set_now` moves
    it: that is how a story is published. The visible stories must include a positive (the
    layouts show one in their widgets)."""

    def __init__(self, layout: str, base: str, stories: list[Story] | None = None,
                 now: datetime | None = None) -> None:
        self.layout = LAYOUTS[layout]
        self.name = layout
        self.base = base
        self.all_stories = stories if stories is not None else self.layout.stories()
        self.stories: list[Story] = []
        self.set_now(now)

    def set_now(self, now: datetime | None) -> None:
        """Move the site clock: pages, feeds and sitemaps list the stories published by then."""
        visible = [s for s in self.all_stories if now is None or s.published <= now]
        if visible == self.stories:
            return
        self.stories = visible
        self.routes = self.layout.routes(visible, self.base)
        self.truth = truth(self.name, self.base, visible,
                           {s.key: self.layout.path(s) for s in visible}, [self.layout.ghost])

    def answer(self, raw_path: str) -> tuple[int, str, str, dict[str, str]]:
        """(status, content type, body, headers) for a request path."""
        decoded = unquote(urlsplit(raw_path).path)
        if decoded in self.routes:
            status, ctype, body = self.routes[decoded]
            return status, ctype, body, {}
        target = (wordpress.redirect(decoded, self.routes, self.stories)
                  if self.name == "wordpress" else None)
        if target is not None:
            return 301, "text/html", "", {"Location": target}
        return 404, "text/html; charset=utf-8", "<html><body>404</body></html>", {}


class CmsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], layout: str,
                 stories: list[Story] | None = None, now: datetime | None = None) -> None:
        super().__init__(address, _Handler)
        host, port = self.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"
        self.site = CmsSite(layout, self.base_url, stories, now)
        self.access_log = AccessLog()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a crawl closing its kept-alive connections) is no error."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: CmsServer

    def do_GET(self) -> None:
        started = time.time()
        status, ctype, body, headers = self.server.site.answer(self.path)
        data = body.encode("utf-8")
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            status, data = 304, b""
        if status in (200, 304):
            headers = {**headers, "ETag": etag}
        self.server.access_log.append(AccessRecord(
            "GET", self.path, status, dict(self.headers.items()), len(data), time.time(),
            started))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read the truth file, not the log."""


__all__ = ["LAYOUTS", "SITE_KEYS", "CmsServer", "CmsSite", "Story"]
