"""Loopback webhook receiver for tests: verifies Standard Webhooks signatures on its own.

It checks every delivery with the ``standardwebhooks`` reference verifier (not mtwatch code),
dedupes effects on ``webhook-id``, and answers from a script: status codes, Retry-After and
Location headers, and delays (released at once when the receiver stops).
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

HOST = "127.0.0.1"


def new_secret(size: int = 32) -> str:
    """A Standard Webhooks secret made here, independently of mtwatch."""
    return "whsec_" + base64.b64encode(os.urandom(size)).decode()


@dataclass(frozen=True)
class Reply:
    """What the receiver answers to one request."""

    status: int = 204
    headers: dict[str, str] = field(default_factory=dict)
    #: seconds to wait before answering (a slow or hung receiver)
    delay: float = 0.0


@dataclass(frozen=True)
class Delivery:
    """One request as received, whether its signature verified, and what we answered."""

    webhook_id: str | None
    headers: dict[str, str]
    body: bytes
    path: str
    peer: tuple[str, int]
    verified: bool
    error: str
    status: int

    @property
    def accepted(self) -> bool:
        return self.verified and 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body)


class WebhookReceiver:
    """A real HTTP server on 127.0.0.1 recording webhook deliveries for one test.

    ``verify=False`` accepts unsigned posts (e.g. from Apprise's json:// plugin);
    ``tls`` serves HTTPS with that server context.
    """

    def __init__(self, secret: str | None = None, *, verify: bool = True,
                 replies: tuple[Reply | int, ...] = (), default: Reply | int = 204,
                 tls: ssl.SSLContext | None = None) -> None:
        self.secret = secret or new_secret()
        self.verify = verify
        self._replies = [_reply(r) for r in replies]
        self._default = _reply(default)
        self._log: list[Delivery] = []
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((HOST, 0), _handler(self))
        self._server.daemon_threads = True
        self.scheme = "https" if tls else "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        return f"{self.scheme}://{HOST}:{self.port}/hook"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def script(self, *replies: Reply | int) -> None:
        """Answer the next requests with these replies, then with the default."""
        with self._changed:
            self._replies.extend(_reply(r) for r in replies)

    def set_default(self, reply: Reply | int) -> None:
        with self._changed:
            self._default = _reply(reply)

    @property
    def deliveries(self) -> list[Delivery]:
        with self._changed:
            return list(self._log)

    @property
    def effects(self) -> dict[str, Any]:
        """What an idempotent consumer acts on: the first accepted body per webhook-id."""
        found: dict[str, Any] = {}
        for delivery in self.deliveries:
            if delivery.accepted and delivery.webhook_id not in found:
                found[str(delivery.webhook_id)] = delivery.json()
        return found

    def redeliveries(self) -> dict[str, int]:
        """webhook-ids accepted more than once, and how many extra times."""
        counts: dict[str, int] = {}
        for delivery in self.deliveries:
            if delivery.accepted:
                counts[str(delivery.webhook_id)] = counts.get(str(delivery.webhook_id), 0) + 1
        return {key: n - 1 for key, n in counts.items() if n > 1}

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        """Block until ``count`` requests arrived (or the timeout passed); the log."""
        with self._changed:
            self._changed.wait_for(lambda: len(self._log) >= count, timeout=timeout)
            return list(self._log)

    def _next(self) -> Reply:
        with self._changed:
            return self._replies.pop(0) if self._replies else self._default

    def _check(self, body: bytes, headers: dict[str, str]) -> tuple[bool, str]:
        if not self.verify:
            return True, ""
        try:
            Webhook(self.secret).verify(body, headers)
        except (WebhookVerificationError, ValueError) as exc:
            return False, str(exc) or type(exc).__name__
        return True, ""

    def _record(self, delivery: Delivery) -> None:
        with self._changed:
            self._log.append(delivery)
            self._changed.notify_all()


def _reply(value: Reply | int) -> Reply:
    return value if isinstance(value, Reply) else Reply(status=value)


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            verified, error = receiver._check(body, headers)
            reply = receiver._next()
            status = reply.status if verified else 401
            peer = (str(self.client_address[0]), int(self.client_address[1]))
            receiver._record(Delivery(headers.get("webhook-id"), headers, body, self.path, peer,
                                      verified, error, status))
            if reply.delay:
                receiver._stopping.wait(reply.delay)
            try:
                self.send_response(status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the client gave up (its timeout): nothing to answer

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


@contextmanager
def receiving(**kwargs: Any) -> Iterator[WebhookReceiver]:
    with WebhookReceiver(**kwargs) as receiver:
        yield receiver
