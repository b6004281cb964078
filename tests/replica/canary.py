"""A canary listener on loopback: counts every connection and keeps what each one sent.

Faults point redirects, external DTDs and entities at it; a test then asserts that nobody came.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

CANARY_BODY = b"CANARY-7f3e-SHOULD-NEVER-BE-SEEN"


@dataclass
class CanaryServer:
    """``with CanaryServer() as c: ... c.url, c.connections, c.requests``"""

    connections: int = 0
    requests: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="canary", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> CanaryServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    data = conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close"
                                 b"\r\n\r\n%s" % (len(CANARY_BODY), CANARY_BODY))
                except OSError:
                    data = b""
            with self._lock:
                self.connections += 1
                self.requests.append(data)
