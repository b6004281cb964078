"""Fault plans for the replica (``--faults PLAN.json``): per-URL failures, via the interceptor hook.

A plan is ``{"seed": 1, "rules": [RULE, ...]}``; the first rule that applies to a request answers
it (``delay`` rules only wait, then the next rules and the site answer). A rule has a matcher,
``path`` (exact path or list of paths, query ignored) or ``match`` (a regex searched in the path
with its query), optional ``times`` (only the first N matching requests of each path), ``after``
(skip the first N), ``probability`` (seeded per path and attempt: the same plan fails the same
requests every time), and a ``fault``:

=================  ===========================================================================
``status``         ``status`` (503), ``headers`` (e.g. ``{"Retry-After": "120"}``), ``body``,
                   ``content_type``: a plain answer (also a custom robots.txt)
``redirect``       302 to ``location`` (``{base}`` = the replica's URL)
``chain``          ``hops`` redirects to the same path (``?hop=N``), then the page
``delay``          wait ``seconds``, then answer as usual (latency)
``stall``          wait ``seconds`` (40), then answer as usual (clients time out first)
``drop``           close the connection without an answer
``truncate``       the page with its true Content-Length, cut in half, then close
``length_mismatch``  the whole page with a Content-Length 100 bytes too big, then close
``broken_chunked`` chunked encoding, half the page, never the last chunk
``gzip_bomb``      ``Content-Encoding: gzip`` of ``size_mb`` (1024) MiB of zeros (~1 MiB sent);
                   ``"as_file": true`` sends the gzip file itself (``sitemap.xml.gz``)
``huge``           a ``size_mb`` MiB page
``pad``            the page padded to ``size_mb`` MiB
``headers``        the page with extra ``headers`` (e.g. Set-Cookie)
``replace``        the page with each key of ``replace`` replaced by its value, byte for byte:
                   entities, markup and control characters the site's escaping never emits
``xxe``            the XML document with an external entity (``file``), a billion-laughs block
                   and an external DTD (``dtd`` URL) declared and referenced
``random``         one of ``choices`` (fault specs), picked with the seeded RNG
=================  ===========================================================================
"""

from __future__ import annotations

import json
import random
import re
import threading
import zlib
from collections import defaultdict
from functools import lru_cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .server import RawReply, ReplicaHTTPServer, Request
from .site import Response

FAULTS = ("status", "redirect", "chain", "delay", "stall", "drop", "truncate", "length_mismatch",
          "broken_chunked", "gzip_bomb", "huge", "pad", "headers", "replace", "xxe", "random")
_MIB = 1024 * 1024
_CLOSERS = {"</urlset>": "<url><loc>{link}</loc></url>",
            "</sitemapindex>": "<sitemap><loc>{link}</loc></sitemap>",
            "</channel>": "<item><title>{title}</title><link>{link}</link></item>"}


class FaultPlanError(ValueError):
    """A fault plan that cannot be used (one line for the command line)."""


@lru_cache(maxsize=4)
def gzip_bomb(size_mb: int) -> bytes:
    """``size_mb`` MiB of zeros, gzip-compressed (about 1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(_MIB)
    parts = [packer.compress(chunk) for _ in range(size_mb)]
    return b"".join([*parts, packer.flush()])


def _check_rule(index: int, rule: Any) -> dict[str, Any]:
    if not isinstance(rule, dict):
        raise FaultPlanError(f"rule {index}: must be an object")
    if rule.get("fault") not in FAULTS:
        raise FaultPlanError(f"rule {index}: fault must be one of {', '.join(FAULTS)}")
    if "path" not in rule and "match" not in rule:
        raise FaultPlanError(f"rule {index}: needs 'path' or 'match'")
    if "match" in rule:
        try:
            rule = {**rule, "_re": re.compile(rule["match"])}
        except re.error as exc:
            raise FaultPlanError(f"rule {index}: bad 'match' regex: {exc}") from None
    for choice in rule.get("choices", []):
        if not isinstance(choice, dict) or choice.get("fault") not in FAULTS[:-1]:
            raise FaultPlanError(f"rule {index}: each choice needs a fault (not 'random')")
    return dict(rule)


class FaultPlan:
    """The rules of one plan, answering requests through ``ReplicaHTTPServer.interceptors``."""

    def __init__(self, rules: list[dict[str, Any]], seed: int = 1) -> None:
        self.rules = [_check_rule(i, rule) for i, rule in enumerate(rules)]
        self.seed = seed
        self.server: ReplicaHTTPServer | None = None
        self._hits: defaultdict[tuple[int, str], int] = defaultdict(int)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: str | Path) -> FaultPlan:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FaultPlanError(f"cannot read fault plan {path}: {exc}") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
            raise FaultPlanError(f"{path}: a fault plan is {{'seed': N, 'rules': [...]}}")
        return cls(doc["rules"], int(doc.get("seed", 1)))

    def install(self, server: ReplicaHTTPServer) -> FaultPlan:
        self.server = server
        server.interceptors.append(self.intercept)
        return self

    def intercept(self, request: Request) -> Response | RawReply | None:
        path = urlsplit(request.path).path or "/"
        for index, rule in enumerate(self.rules):
            spec = self._applies(index, rule, path, request.path)
            if spec is None:
                continue
            if spec["fault"] == "delay":
                self._wait(float(spec.get("seconds", 0.2)))
                continue
            return self._answer(spec, path, request.path)
        return None

    def _applies(self, index: int, rule: dict[str, Any], path: str, full: str
                 ) -> dict[str, Any] | None:
        paths = rule.get("path")
        if paths is not None and path not in ([paths] if isinstance(paths, str) else paths):
            return None
        if "_re" in rule and not rule["_re"].search(full):
            return None
        with self._lock:
            hit = self._hits[(index, path)]
            self._hits[(index, path)] += 1
        if hit < int(rule.get("after", 0)):
            return None
        if "times" in rule and hit - int(rule.get("after", 0)) >= int(rule["times"]):
            return None
        rng = random.Random(f"{self.seed}:{index}:{path}:{hit}")
        if rng.random() >= float(rule.get("probability", 1.0)):
            return None
        if rule["fault"] == "random":
            return dict(rng.choice(rule["choices"]))
        return rule

    def _wait(self, seconds: float) -> None:
        if self.server is not None:
            self.server.stopping.wait(seconds)

    def _page(self, path: str) -> Response:
        if self.server is None:
            raise RuntimeError("install() the plan on a server first")
        return self.server.rendered(path).response

    def _answer(self, spec: dict[str, Any], path: str, full: str) -> Response | RawReply | None:
        fault = spec["fault"]
        base = self.server.base_url if self.server is not None else ""
        if fault == "status":
            body = str(spec.get("body", "")).encode()
            return Response(int(spec.get("status", 503)), body,
                            spec.get("content_type", "text/html; charset=utf-8"),
                            headers=dict(spec.get("headers", {})), cache_control="no-cache")
        if fault == "redirect":
            location = str(spec["location"]).replace("{base}", base)
            return Response(int(spec.get("status", 302)), b"", headers={"Location": location,
                            **spec.get("headers", {})}, cache_control="no-cache")
        if fault == "chain":
            hop = int(parse_qs(urlsplit(full).query).get("hop", ["0"])[0])
            if hop < int(spec.get("hops", 6)):
                return Response(302, b"", headers={"Location": f"{base}{path}?hop={hop + 1}"},
                                cache_control="no-cache")
            return self._page(path)
        if fault == "stall":
            self._wait(float(spec.get("seconds", 40)))
            return None
        return _BUILDERS[fault](self, spec, path)


def _page_bytes(plan: FaultPlan, path: str) -> tuple[Response, bytes]:
    page = plan._page(path)
    return page, page.body


def _raw(status: int, head: str, body: bytes, *, chunked: bool = False) -> RawReply:
    def write(handler: BaseHTTPRequestHandler) -> int:
        out = handler.wfile
        out.write(head.encode("latin-1"))
        if chunked:
            out.write(f"{len(body):x}\r\n".encode() + body + b"\r\n")
        else:
            out.write(body)
        out.flush()
        return len(body)
    return RawReply(status, write)


def _truncate(plan: FaultPlan, spec: dict[str, Any], path: str) -> RawReply:
    page, body = _page_bytes(plan, path)
    head = (f"HTTP/1.1 {page.status} OK\r\nContent-Type: {page.content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return _raw(page.status, head, body[: len(body) // 2])


def _length_mismatch(plan: FaultPlan, spec: dict[str, Any], path: str) -> RawReply:
    page, body = _page_bytes(plan, path)
    head = (f"HTTP/1.1 {page.status} OK\r\nContent-Type: {page.content_type}\r\n"
            f"Content-Length: {len(body) + 100}\r\n\r\n")
    return _raw(page.status, head, body)


def _broken_chunked(plan: FaultPlan, spec: dict[str, Any], path: str) -> RawReply:
    page, body = _page_bytes(plan, path)
    head = (f"HTTP/1.1 {page.status} OK\r\nContent-Type: {page.content_type}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n")
    return _raw(page.status, head, body[: len(body) // 2], chunked=True)


def _drop(plan: FaultPlan, spec: dict[str, Any], path: str) -> RawReply:
    return RawReply(0, lambda handler: 0)


def _gzip_bomb(plan: FaultPlan, spec: dict[str, Any], path: str) -> Response:
    bomb = gzip_bomb(int(spec.get("size_mb", 1024)))
    if spec.get("as_file"):
        return Response(200, bomb, "application/x-gzip", cache_control="no-cache")
    content_type = plan._page(path).content_type
    return Response(200, bomb, content_type, headers={"Content-Encoding": "gzip"},
                    cache_control="no-cache")


def _huge(plan: FaultPlan, spec: dict[str, Any], path: str) -> Response:
    size = int(float(spec.get("size_mb", 50)) * _MIB)
    return Response(200, b"<html><body><p>" + b"x" * size + b"</p></body></html>",
                    cache_control="no-cache")


def _pad(plan: FaultPlan, spec: dict[str, Any], path: str) -> Response:
    page = plan._page(path)
    size = int(float(spec.get("size_mb", 3)) * _MIB)
    padding = b"<!-- " + b"p" * max(size - len(page.body), 0) + b" -->"
    return Response(page.status, page.body + padding, page.content_type,
                    cache_control="no-cache")


def _headers(plan: FaultPlan, spec: dict[str, Any], path: str) -> Response:
    page = plan._page(path)
    return Response(page.status, page.body, page.content_type,
                    headers={**page.headers, **spec.get("headers", {})},
                    last_modified=page.last_modified)


def _replace(plan: FaultPlan, spec: dict[str, Any], path: str) -> Response:
    page = plan._page(path)
    body = page.body
    for old, new in dict(spec.get("replace", {})).items():
        body = body.replace(str(old).encode("utf-8"), str(new).encode("utf-8"))
    return Response(page.status, body, page.content_type, headers=dict(page.headers),
                    last_modified=page.last_modified)


def _xxe(plan: FaultPlan, spec: dict[str, Any], path: str) -> Response:
    page = plan._page(path)
    text = page.body.decode("utf-8")
    laughs = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)]
    doctype = (f'<!DOCTYPE root SYSTEM "{spec.get("dtd", "http://127.0.0.1:9/x.dtd")}" [\n'
               f'<!ENTITY xxe SYSTEM "file://{spec.get("file", "/etc/hostname")}">\n'
               + "\n".join(laughs) + "\n]>\n")
    head, sep, rest = text.partition("?>")
    text = head + sep + "\n" + doctype + rest.lstrip("\n") if sep else doctype + text
    for closer, element in _CLOSERS.items():
        if closer in text:
            extra = element.format(link="&xxe;", title="&lol9;")
            text = text.replace(closer, extra + closer, 1)
    return Response(200, text.encode("utf-8"), page.content_type, cache_control="no-cache")


_BUILDERS: dict[str, Any] = {
    "truncate": _truncate, "length_mismatch": _length_mismatch,
    "broken_chunked": _broken_chunked, "drop": _drop, "gzip_bomb": _gzip_bomb, "huge": _huge,
    "pad": _pad, "headers": _headers, "replace": _replace, "xxe": _xxe,
}
