"""HTTP layer of the replica: stdlib threading server, validators, gzip, in-memory access log.

Routing and rendering live in routes.py/site.py; this module only speaks HTTP. Later work can
inject faults through `ReplicaHTTPServer.interceptors` (callables that may answer a request
instead of the site).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from crawler.hosts import is_loopback

from .routes import resolve
from .site import Response, Site


@dataclass(frozen=True)
class AccessRecord:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    bytes: int
    time: float
    #: when the request line arrived (``time`` is when the answer started)
    started: float = 0.0
    #: the answer's status line and headers, in bytes (``bytes`` counts the body only)
    header_bytes: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


class AccessLog:
    """A thread-safe, list-like log of requests; optionally appended to a JSON-lines file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._items: list[AccessRecord] = []
        self._lock = threading.Lock()
        self.path = Path(path) if path else None

    def append(self, record: AccessRecord) -> None:
        with self._lock:
            self._items.append(record)
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(record.to_json() + "\n")

    def snapshot(self) -> list[AccessRecord]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def paths(self) -> list[str]:
        return [r.path for r in self.snapshot()]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __iter__(self) -> Iterator[AccessRecord]:
        return iter(self.snapshot())

    def __getitem__(self, index: int) -> AccessRecord:
        with self._lock:
            return self._items[index]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class RawReply:
    """A fault that writes to the socket itself (drops, truncation, broken chunking)."""

    status: int
    write: Callable[[BaseHTTPRequestHandler], int]


Interceptor = Callable[[Request], "Response | RawReply | None"]


@dataclass
class _Rendered:
    response: Response
    etag: str
    gz: bytes | None = None


class ReplicaHTTPServer(ThreadingHTTPServer):
    """Serves one Site on a loopback address."""

    daemon_threads = True
    # stalled fault handlers must not hold up shutdown
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, site: Site, host: str = "127.0.0.1", port: int = 0,
                 access_log: AccessLog | None = None, tls: ssl.SSLContext | None = None) -> None:
        if not is_loopback(host):
            raise ValueError(f"refusing to bind non-loopback host {host!r}")
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), ReplicaHandler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.site = site
        self.access_log = access_log if access_log is not None else AccessLog()
        self.interceptors: list[Interceptor] = []
        shown = f"[{host}]" if ":" in host else host
        scheme = "https" if tls is not None else "http"
        self.base_url = f"{scheme}://{shown}:{self.server_address[1]}"
        self._cache: dict[str, _Rendered] = {}
        self._cache_lock = threading.Lock()
        #: requests being answered right now, and the most ever at once (politeness tests)
        self.inflight = 0
        self.max_inflight = 0
        self._inflight_lock = threading.Lock()
        #: set on shutdown: stalled faults stop waiting
        self.stopping = threading.Event()

    def track(self, delta: int) -> None:
        with self._inflight_lock:
            self.inflight += delta
            self.max_inflight = max(self.max_inflight, self.inflight)

    def shutdown(self) -> None:
        self.stopping.set()
        super().shutdown()

    def rendered(self, path: str) -> _Rendered:
        with self._cache_lock:
            hit = self._cache.get(path)
        if hit is not None:
            return hit
        resp = resolve(self.site, path, self.base_url)
        digest = hashlib.sha1(resp.body, usedforsecurity=False).hexdigest()[:24]
        item = _Rendered(resp, f'"{digest}"')
        if resp.status == 200 and resp.body:
            item.gz = gzip.compress(resp.body, compresslevel=6, mtime=0)
        with self._cache_lock:
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[path] = item
        return item

    def invalidate(self) -> None:
        """Forget rendered pages (call after changing the site or its clock)."""
        with self._cache_lock:
            self._cache.clear()

    def handle_error(self, request: object, client_address: object) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        print(f"replica: error while handling a request: {exc!r}", file=sys.stderr)


class ReplicaHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    # TCP_NODELAY, as nginx sets on keep-alive connections: the headers and the body leave in
    # two writes, and with Nagle's algorithm the body's last segment waited for the client's
    # delayed ACK of the headers, about 40 ms per response on a kept-alive connection.
    disable_nagle_algorithm = True
    server: ReplicaHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the access log is kept in memory (and optionally in a file)."""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        self.started = time.time()
        self.server.track(+1)
        try:
            self._answer(head)
        finally:
            self.server.track(-1)

    def _answer(self, head: bool) -> None:
        headers = dict(self.headers.items())
        path = urlsplit(self.path).path or "/"
        request = Request(self.command, self.path, headers)
        for hook in self.server.interceptors:
            resp = hook(request)
            if isinstance(resp, RawReply):
                self._log(resp.status, 0)
                self.close_connection = True
                resp.write(self)
                return
            if resp is not None:
                self._send(resp.status, resp.body, self._plain_headers(resp), head)
                return
        item = self.server.rendered(path)
        resp = item.response
        if resp.status != 200:
            self._send(resp.status, resp.body, self._plain_headers(resp), head)
            return
        use_gz = item.gz is not None and accepts_gzip(self.headers.get("Accept-Encoding", ""))
        etag = item.etag[:-1] + '-gzip"' if use_gz else item.etag
        out = {"Content-Type": resp.content_type, "ETag": etag,
               "Cache-Control": resp.cache_control, "Vary": "Accept-Encoding"}
        if resp.last_modified is not None:
            out["Last-Modified"] = http_date(resp.last_modified)
        if self._not_modified(item, resp):
            self._send(304, b"", out, head=True, length=False)
            return
        body = item.gz if use_gz and item.gz is not None else resp.body
        if use_gz:
            out["Content-Encoding"] = "gzip"
        self._send(200, body, out, head)

    def _not_modified(self, item: _Rendered, resp: Response) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {tag.strip().removeprefix("W/") for tag in inm.split(",")}
            return "*" in tags or item.etag in tags or item.etag[:-1] + '-gzip"' in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and resp.last_modified is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return int(resp.last_modified.timestamp()) <= since.timestamp()
        return False

    @staticmethod
    def _plain_headers(resp: Response) -> dict[str, str]:
        out = {"Content-Type": resp.content_type, "Cache-Control": resp.cache_control}
        out.update(resp.headers)
        return out

    def _log(self, status: int, sent: int, header_bytes: int = 0) -> None:
        self.server.access_log.append(AccessRecord(
            self.command, self.path, status, dict(self.headers.items()), sent, time.time(),
            getattr(self, "started", time.time()), header_bytes))

    def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool,
              length: bool = True) -> None:
        sent = 0 if head else len(body)
        if length:
            headers = {**headers, "Content-Length": str(len(body))}
        # send_response adds the status line, Server and Date (about 80 bytes)
        header_bytes = 80 + sum(len(k) + len(v) + 4 for k, v in headers.items()) + 2
        # Logged before anything is sent, so a client that got the response sees its record.
        self._log(status, sent, header_bytes)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if sent:
            self.wfile.write(body)


def accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for p in params.split(";"):
            name, _, value = p.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        return q > 0
    return False


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)
