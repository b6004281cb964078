"""Serving the desk with uvicorn: in the foreground (`mtwatch serve`) or in a thread of the
daemon (``[web] enabled = true``). The socket is bound before serving, so the URL printed is
already accepting connections."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import uvicorn

from crawler.config import Config
from crawler.web.settings import WebSettings
from pipelines.matcher import Matcher
from pipelines.storage import Store

logger = logging.getLogger(__name__)


def bind(settings: WebSettings) -> socket.socket:
    """A listening socket on the desk's address (OSError when it is taken)."""
    host = "127.0.0.1" if settings.host == "localhost" else settings.host
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, settings.port), family=family, backlog=128)


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_server(store: Store, config: Config, settings: WebSettings,
                matchers: Sequence[Matcher] | None = None) -> uvicorn.Server:
    """The desk's server over ``store``; ``matchers``: the compiled enabled topics (compiled
    here when not given: the daemon has checked them already)."""
    from crawler.web.app import build
    from pipelines.wiring import load_matchers

    if matchers is None:
        matchers = load_matchers(config.topics_dir, config.topics.enabled)
    app = build(store, config, settings, matchers)
    return uvicorn.Server(uvicorn.Config(
        app, log_level="warning", access_log=False, server_header=False, proxy_headers=False,
        timeout_graceful_shutdown=5, lifespan="off"))


@dataclass
class WebThread:
    """The desk served from a background thread (the daemon's)."""

    server: uvicorn.Server
    thread: threading.Thread
    url: str

    def stop(self, timeout: float = 10) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def start_in_thread(store: Store, config: Config, settings: WebSettings) -> WebThread:
    """Bind (OSError if the port is taken), then serve in a daemon thread."""
    sock = bind(settings)
    server = make_server(store, config, settings)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name="mtwatch-desk", daemon=True)
    thread.start()
    url = url_of(sock)
    logger.info("desk: serving %s", url)
    return WebThread(server, thread, url)
