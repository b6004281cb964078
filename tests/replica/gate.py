"""A gate for kill tests: answer the first N matching requests, then hold the next ones until
the test opens it. A crawl parked at the gate is at a known point (exactly N sitemaps or article
pages answered), so a test can kill it there without guessing with sleeps.

    gate = Gate(r"^/sitemap/\\d{4}-\\d+\\.xml", after=7).install(replica.server)
    gate.wait_held(timeout=120)   # the crawl asked for the 8th monthly sitemap
    os.kill(pid, signal.SIGKILL)
    gate.open()                   # let the held requests go (their client may be gone)
"""

from __future__ import annotations

import re
import threading

from .server import RawReply, ReplicaHTTPServer, Request
from .site import Response

#: a held request is let go after this long anyway (a test that forgot to open the gate)
MAX_HOLD = 120.0


class Gate:
    """Holds matching requests after the first ``after`` of them, until :meth:`open`."""

    def __init__(self, match: str, after: int) -> None:
        self.pattern = re.compile(match)
        self.after = after
        #: matching requests answered before the gate closed
        self.passed = 0
        self.held = threading.Event()
        self._open = threading.Event()
        self._lock = threading.Lock()
        self._server: ReplicaHTTPServer | None = None

    def install(self, server: ReplicaHTTPServer) -> Gate:
        self._server = server
        server.interceptors.insert(0, self.intercept)
        return self

    def intercept(self, request: Request) -> Response | RawReply | None:
        if self._open.is_set() or not self.pattern.search(request.path):
            return None
        with self._lock:
            if self.passed < self.after:
                self.passed += 1
                return None
        self.held.set()
        stopping = self._server.stopping if self._server is not None else None
        for _ in range(int(MAX_HOLD / 0.05)):
            if self._open.wait(0.05) or (stopping is not None and stopping.is_set()):
                break
        return None  # answered as usual (the other interceptors and the site)

    def wait_held(self, timeout: float) -> bool:
        """Block until a request is held (the crawl reached the gate); False on timeout."""
        return self.held.wait(timeout)

    def open(self) -> None:
        self._open.set()

    def remove(self) -> None:
        self.open()
        if self._server is not None and self.intercept in self._server.interceptors:
            self._server.interceptors.remove(self.intercept)
