"""Offline replica of The Moscow Times for mtwatch tests.

    from tests.replica import Replica, build_site
    with Replica(articles=300, seed=1) as r:
        r.base_url      # http://127.0.0.1:<port>
        r.truth         # ground truth (planted positives, traps, soft 404s, ...)
        r.access_log    # thread-safe list of AccessRecord
    with Replica(articles=500, faults=FaultPlan.load("plan.json")) as r: ...
    r.publisher(hold=300).publish(50)   # hide the 300 newest articles, then publish 50
    with Replica(articles=300, layout="redesign-a") as r: ...   # the same site, new markup
    r.set_layout("app-shell", only=81087)                       # break one article page

`build_site(articles, seed, corpus)` is pure (no sockets); the CLI is `python -m tests.replica`.
"""

from __future__ import annotations

import ssl
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from .canary import CanaryServer
from .corpus import CorpusError
from .faults import FaultPlan, FaultPlanError
from .model import ANCHOR, Article
from .publisher import Publisher
from .redesign import LAYOUTS, READABLE_REDESIGNS
from .server import AccessLog, AccessRecord, RawReply, ReplicaHTTPServer, Request
from .site import CorpusInput, Response, Site, build_site
from .tls import TestCA, self_signed_context

__all__ = [
    "ANCHOR", "LAYOUTS", "READABLE_REDESIGNS", "AccessLog", "AccessRecord", "Article",
    "CanaryServer", "CorpusError", "FaultPlan", "FaultPlanError", "Publisher", "RawReply",
    "Replica", "ReplicaHTTPServer", "Request", "Response", "Site", "TestCA", "build_site",
]


class Replica:
    """Runs the replica server in a background thread on a free loopback port."""

    def __init__(self, articles: int = 300, seed: int = 1, corpus: CorpusInput = None, *,
                 host: str = "127.0.0.1", port: int = 0,
                 access_log_path: str | Path | None = None, site: Site | None = None,
                 faults: FaultPlan | None = None,
                 tls: bool | TestCA | ssl.SSLContext = False, layout: str | None = None) -> None:
        """``tls``: True = a self-signed certificate, a :class:`TestCA` = one it issued, or a
        ready server context. ``layout``: the article template (``redesign.LAYOUTS``)."""
        self.site = site if site is not None else build_site(articles, seed, corpus)
        self.host, self.port = host, port
        self.access_log = AccessLog(access_log_path)
        self.faults = faults
        self.tls = tls
        self._server: ReplicaHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._publisher: Publisher | None = None
        self._base_url = ""
        if layout is not None:
            self.set_layout(layout)

    @property
    def server(self) -> ReplicaHTTPServer:
        if self._server is None:
            raise RuntimeError("replica is not running; call start() or use it as a context")
        return self._server

    @property
    def base_url(self) -> str:
        if self._server is None and self._base_url:
            return self._base_url  # stopped: the URL it had (a restart keeps it)
        return self.server.base_url

    @property
    def truth(self) -> dict[str, Any]:
        return self.site.truth(self.base_url)

    def url(self, path: str) -> str:
        return self.base_url + path

    def set_layout(self, layout: str, *, only: int | None = None) -> None:
        """Serve every article page (or only article ``only``) in ``layout`` from now on."""
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
        if only is None:
            self.site.layout = layout
            self.site.layout_overrides.clear()
        else:
            self.site.layout_overrides[only] = layout
        if self._server is not None:
            self._server.invalidate()

    def publisher(self, hold: int) -> Publisher:
        """Hide the ``hold`` newest articles now; publish them later with ``.publish(k)``."""
        self._publisher = Publisher(self.site, self._server, hold)
        return self._publisher

    def start(self) -> Replica:
        if self._server is None:
            context = None
            if isinstance(self.tls, ssl.SSLContext):  # the caller's certificate
                context = self.tls
            elif isinstance(self.tls, TestCA):  # a certificate the CA's holders trust
                context = self.tls.server_context(self.host)
            elif self.tls:  # a certificate nobody trusts
                context = self_signed_context(self.host)
            self._server = ReplicaHTTPServer(self.site, self.host, self.port, self.access_log,
                                             context)
            # a restart keeps the port, so "the site comes back" at the same URL
            self.port = self._server.server_address[1]
            self._base_url = self._server.base_url
            if self.faults is not None:
                self.faults.install(self._server)
            if self._publisher is not None:
                self._publisher.server = self._server
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.05},
                                            name="mtwatch-replica", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._publisher is not None:
            self._publisher.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> Replica:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


