"""A JSON request serializer for scrapy-redis's queue (``SCHEDULER_SERIALIZER``), never pickle.

scrapy-redis calls ``dumps(request.to_dict(spider=...))`` when it queues a request and
``request_from_dict(loads(data), spider=...)`` when it takes one out. Only what a plain
``scrapy.Request`` needs goes through: url, method, callback/errback *names*, headers, body,
cookies, meta, cb_kwargs, encoding, priority, dont_filter, flags. Anything that is not plain
JSON (objects, bytes, tuples, sets, non-string keys, NaN) is refused with the path to the bad
value, so whoever can write to Redis can hand the workers data, never code.

``request_from_data`` builds a plain ``Request`` from the small JSON document the leader pushes
to a start key; unlike scrapy-redis's default it never turns extra keys into form data, so a
URL's query string goes through untouched.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping
from typing import Any

from scrapy import Request, Spider

#: the document format; a worker refuses documents from a newer leader
VERSION = 1
#: requests are GETs and small POSTs; a bigger document in the queue is refused
MAX_DOCUMENT_BYTES = 1 << 20


class RequestSerializationError(ValueError):
    """A request (or a queue document) that cannot cross the queue as plain JSON."""


def dumps(request: Mapping[str, Any]) -> str:
    """``request.to_dict(spider=...)`` → one JSON document (scrapy-redis's serializer API)."""
    if "_class" in request:
        raise RequestSerializationError(
            f"only plain scrapy.Request objects can be queued, not {request['_class']!s:.100}")
    doc: dict[str, Any] = {
        "v": VERSION,
        "url": _text(request.get("url"), "url"),
        "method": _text(request.get("method", "GET"), "method"),
        "callback": _name(request.get("callback"), "callback"),
        "errback": _name(request.get("errback"), "errback"),
        "headers": _headers(request.get("headers") or {}),
        "body": base64.b64encode(_bytes(request.get("body", b""), "body")).decode("ascii"),
        "cookies": _json_safe(request.get("cookies") or {}, "cookies"),
        "meta": _json_safe(request.get("meta") or {}, "meta"),
        "cb_kwargs": _json_safe(request.get("cb_kwargs") or {}, "cb_kwargs"),
        "encoding": _text(request.get("encoding", "utf-8"), "encoding"),
        "priority": _int(request.get("priority", 0), "priority"),
        "dont_filter": _bool(request.get("dont_filter", False), "dont_filter"),
        "flags": _json_safe(list(request.get("flags") or []), "flags"),
    }
    # a queue holds millions of these: leave out what equals the default ``loads`` fills in
    compact = {k: v for k, v in doc.items() if k not in _DEFAULTS or _DEFAULTS[k] != v}
    return json.dumps(compact, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


_DEFAULTS: dict[str, Any] = {"method": "GET", "callback": None, "errback": None, "headers": {},
                             "body": "", "cookies": {}, "meta": {}, "cb_kwargs": {},
                             "encoding": "utf-8", "priority": 0, "dont_filter": False,
                             "flags": []}


def loads(data: str | bytes) -> dict[str, Any]:
    """One JSON document → the keyword dict ``scrapy.utils.request.request_from_dict`` takes.

    Never carries ``_class``: what comes out is always a plain ``Request``.
    """
    doc = _document(data)
    if doc.get("v") != VERSION:
        raise RequestSerializationError(f"unknown queue document version {doc.get('v')!r:.20}")
    try:
        body = base64.b64decode(_text(doc.get("body", ""), "body"), validate=True)
    except ValueError as exc:
        raise RequestSerializationError(f"body is not base64: {exc}") from None
    headers = doc.get("headers", {})
    if not isinstance(headers, dict):
        raise RequestSerializationError("headers must be an object")
    return {
        "url": _text(doc.get("url"), "url"),
        "method": _text(doc.get("method", "GET"), "method"),
        "callback": _name(doc.get("callback"), "callback"),
        "errback": _name(doc.get("errback"), "errback"),
        "headers": {_text(k, "header name").encode("latin-1"):
                    [_text(v, "header value").encode("latin-1") for v in _list(vs, "header")]
                    for k, vs in headers.items()},
        "body": body,
        "cookies": _json_safe(doc.get("cookies", {}), "cookies"),
        "meta": _dict(doc.get("meta", {}), "meta"),
        "cb_kwargs": _dict(doc.get("cb_kwargs", {}), "cb_kwargs"),
        "encoding": _text(doc.get("encoding", "utf-8"), "encoding"),
        "priority": _int(doc.get("priority", 0), "priority"),
        "dont_filter": _bool(doc.get("dont_filter", False), "dont_filter"),
        "flags": _list(doc.get("flags", []), "flags"),
    }


def data_for(url: str, *, callback: str | None = None, meta: Mapping[str, Any] | None = None,
             priority: int = 0, dont_filter: bool = False) -> str:
    """The start-key document the leader pushes for one URL (read by ``request_from_data``)."""
    doc = {"v": VERSION, "url": _text(url, "url"), "callback": _name(callback, "callback"),
           "meta": _json_safe(dict(meta or {}), "meta"), "priority": _int(priority, "priority"),
           "dont_filter": _bool(dont_filter, "dont_filter")}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def request_from_data(data: str | bytes, spider: Spider) -> Request:
    """A plain GET ``Request`` from a start-key document (``make_request_from_data``'s job).

    The callback must name a method of ``spider``; the URL is used as given (Scrapy only
    percent-escapes what is unsafe), never rebuilt from form data.
    """
    doc = _document(data)
    if doc.get("v") != VERSION:
        raise RequestSerializationError(f"unknown start document version {doc.get('v')!r:.20}")
    unknown = set(doc) - {"v", "url", "callback", "meta", "priority", "dont_filter"}
    if unknown:
        raise RequestSerializationError(
            f"unknown keys in a start document: {', '.join(sorted(unknown))[:200]}")
    callback_name = _name(doc.get("callback"), "callback")
    callback = None
    if callback_name is not None:
        callback = getattr(spider, callback_name, None)
        if not callable(callback) or callback_name.startswith("_"):
            raise RequestSerializationError(
                f"spider {spider.name!r} has no callback {callback_name!r:.100}")
    return Request(_text(doc.get("url"), "url"), callback=callback,
                   meta=_dict(doc.get("meta", {}), "meta"),
                   priority=_int(doc.get("priority", 0), "priority"),
                   dont_filter=_bool(doc.get("dont_filter", False), "dont_filter"))


def _document(data: str | bytes) -> dict[str, Any]:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise RequestSerializationError(f"queue document of {len(data)} bytes is too big")
    try:
        doc = json.loads(data, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestSerializationError(f"queue document is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise RequestSerializationError("queue document must be a JSON object")
    return doc


def _no_constant(name: str) -> None:
    raise RequestSerializationError(f"{name} is not JSON")


def _json_safe(value: Any, path: str) -> Any:
    """``value`` if it is plain JSON (str, finite number, bool, None, list, str-keyed dict)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RequestSerializationError(f"{path} is {value!r}, which JSON cannot carry")
        return value
    if isinstance(value, list):
        return [_json_safe(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise RequestSerializationError(
                    f"{path} has a {type(key).__name__} key {key!r:.60}; only strings are JSON")
        return {key: _json_safe(item, f"{path}[{key!r:.60}]") for key, item in value.items()}
    raise RequestSerializationError(
        f"{path} is a {type(value).__name__}, which is not JSON-safe "
        "(only str, int, finite float, bool, None, list and str-keyed dict cross the queue)")


def _dict(value: Any, path: str) -> dict[str, Any]:
    value = _json_safe(value, path)
    if not isinstance(value, dict):
        raise RequestSerializationError(f"{path} must be an object")
    return value


def _list(value: Any, path: str) -> list[Any]:
    value = _json_safe(value, path)
    if not isinstance(value, list):
        raise RequestSerializationError(f"{path} must be a list")
    return value


def _text(value: Any, path: str) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if not isinstance(value, str):
        raise RequestSerializationError(f"{path} must be a string, not {type(value).__name__}")
    return value


def _bytes(value: Any, path: str) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if not isinstance(value, bytes):
        raise RequestSerializationError(f"{path} must be bytes, not {type(value).__name__}")
    return value


def _name(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.isidentifier():
        raise RequestSerializationError(
            f"{path} must be a spider method name, not {value!r:.100}")
    return value


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestSerializationError(f"{path} must be an integer, not {value!r:.40}")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise RequestSerializationError(f"{path} must be true or false, not {value!r:.40}")
    return value


def _headers(headers: Mapping[Any, Any]) -> dict[str, list[str]]:
    """Scrapy's ``{bytes: [bytes, ...]}`` as latin-1 text (every byte survives the trip)."""
    out: dict[str, list[str]] = {}
    for name, values in headers.items():
        items = values if isinstance(values, list | tuple) else [values]
        out[_text(name, "header name")] = [_text(v, "header value") for v in items]
    return out
