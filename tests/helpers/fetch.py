"""Requests to a loopback replica as a test makes them: one request, redirects not followed,
and the path of the replica's seed article (a81087, the roadmap story)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

#: the seed article's path on The Moscow Times replica
SEED_PATH = "/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087"


def fetch(base: str, path: str, method: str = "GET",
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request to ``base`` + ``path``, without following redirects: (status, headers with
    lower-case names, body)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()
