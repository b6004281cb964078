"""The JSON queue serializer: round trips keep hostile URLs and query strings byte for byte,
callbacks travel as names, and anything that is not plain JSON is refused (never pickled)."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import Request, Spider
from scrapy.http import FormRequest
from scrapy.utils.request import request_from_dict

from crawler.cluster import serializer
from crawler.cluster.serializer import RequestSerializationError


class NewsSpider(Spider):
    name = "news"

    def parse_feed(self, response: Any) -> None:
        pass

    def on_error(self, failure: Any) -> None:
        pass


SPIDER = NewsSpider()

# query strings that a form-data rebuild or a normaliser would rewrite
QUERY_CHARS = st.sampled_from([*"aZ09=&;+%?#/:@!$'()*,~-._ ", "%20", "%2B", "%26", "%3D", "%zz",
                               "ç", "ş", "Ж", "\ufffd", "\u202e", "&&", "==", "=&="])
QUERY = st.lists(QUERY_CHARS, max_size=30).map("".join)
PATH = st.lists(st.sampled_from([*list("abc/%-_.~"), "%2F", "ü", " ", "..", "//"]),
                max_size=15).map("".join)
PLAIN_QUERY = set("aZ09=&;+?/:@!$()*,~-._")
HOST = st.sampled_from(["example.org", "127.0.0.2", "xn--bcher-kva.example", "bücher.example",
                        "EXAMPLE.org:8080", "[::1]:8080"])
URL = st.builds(lambda scheme, host, path, query: f"{scheme}://{host}/{path}?{query}",
                st.sampled_from(["http", "https"]), HOST, PATH, QUERY)

JSON_LEAF = st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(
    allow_nan=False, allow_infinity=False)
JSON = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


def through_queue(request: Request) -> Request:
    """What scrapy-redis does: to_dict → dumps → (Redis) → loads → request_from_dict."""
    data = serializer.dumps(request.to_dict(spider=SPIDER))
    assert isinstance(data, str)
    return request_from_dict(serializer.loads(data.encode("utf-8")), spider=SPIDER)


@settings(max_examples=60, deadline=None)
@given(url=URL, meta=st.dictionaries(st.text(max_size=10), JSON, max_size=4),
       priority=st.integers(-(2**31), 2**31), dont_filter=st.booleans())
def test_round_trip_keeps_every_field(url: str, meta: dict[str, Any], priority: int,
                                      dont_filter: bool) -> None:
    request = Request(url, callback=SPIDER.parse_feed, errback=SPIDER.on_error, meta=meta,
                      priority=priority, dont_filter=dont_filter,
                      headers={"If-None-Match": 'W/"x"', "X-Raw": b"\xff\x00caf\xe9"})
    back = through_queue(request)
    assert type(back) is Request
    assert back.url == request.url
    assert back.method == "GET"
    assert back.callback == SPIDER.parse_feed
    assert back.errback == SPIDER.on_error
    assert back.meta == meta
    assert back.priority == priority
    assert back.dont_filter is dont_filter
    assert back.headers.getlist(b"X-Raw") == [b"\xff\x00caf\xe9"]
    assert back.headers.get(b"If-None-Match") == b'W/"x"'


@settings(max_examples=60, deadline=None)
@given(url=URL, meta=st.dictionaries(st.text(max_size=10), JSON, max_size=3),
       priority=st.integers(-1000, 1000))
def test_start_document_keeps_the_query_string(url: str, meta: dict[str, Any],
                                               priority: int) -> None:
    data = serializer.data_for(url, callback="parse_feed", meta=meta, priority=priority)
    request = serializer.request_from_data(data.encode("utf-8"), SPIDER)
    assert type(request) is Request
    assert request.url == Request(url).url  # Scrapy's own escaping only, no rebuild
    query = url.split("?", 1)[1]
    if query and all(c in PLAIN_QUERY for c in query):  # nothing to escape: must stay byte for byte
        assert request.url.endswith("?" + query)
    assert request.method == "GET"
    assert request.body == b""
    assert request.callback == SPIDER.parse_feed
    assert request.meta == meta
    assert request.priority == priority
    assert through_queue(request).url == request.url


def test_query_string_is_not_replaced_by_form_data() -> None:
    url = "https://example.org/feed?cat=guncel&page=2&x=a%26b&empty=&flag"
    request = serializer.request_from_data(serializer.data_for(url), SPIDER)
    assert request.url == url
    assert through_queue(request).url == url


def test_body_and_post_survive() -> None:
    request = Request("https://example.org/api", method="POST", body=b"\x00\xffa=1&b=2")
    back = through_queue(request)
    assert back.method == "POST"
    assert back.body == b"\x00\xffa=1&b=2"


@pytest.mark.parametrize(("meta", "where"), [
    ({"obj": object()}, "meta['obj']"),
    ({"b": b"bytes"}, "meta['b']"),
    ({"t": (1, 2)}, "meta['t']"),
    ({"s": {1}}, "meta['s']"),
    ({"nan": float("nan")}, "meta['nan']"),
    ({"deep": [{"x": [1, object()]}]}, "meta['deep'][0]['x'][1]"),
    ({1: "int key"}, "int key"),
])
def test_non_json_meta_is_refused_with_its_path(meta: dict[Any, Any], where: str) -> None:
    request = Request("https://example.org/", meta=meta)
    with pytest.raises(RequestSerializationError, match="meta") as info:
        serializer.dumps(request.to_dict(spider=SPIDER))
    assert where in str(info.value) or "key" in str(info.value)


def test_subclasses_and_unnamed_callbacks_are_refused() -> None:
    form = FormRequest("https://example.org/", formdata={"a": "b"})
    with pytest.raises(RequestSerializationError, match=r"plain scrapy\.Request"):
        serializer.dumps(form.to_dict(spider=SPIDER))
    doc = Request("https://example.org/").to_dict(spider=SPIDER)
    doc["callback"] = "os.system"
    with pytest.raises(RequestSerializationError, match="method name"):
        serializer.dumps(doc)


def test_pickle_and_hostile_documents_are_refused() -> None:
    class Boom:
        def __reduce__(self) -> Any:
            return (print, ("pwned",))

    for data in (pickle.dumps(Boom()), b"[]", b'{"v": 1, "url": 5}', b'{"v": 99, "url": "x"}',
                 b'{"v": 1, "url": "http://a/", "meta": {"x": NaN}}',
                 b'{"v": 1, "url": "http://a/", "_class": "scrapy.FormRequest"}',
                 b"{" + b" " * serializer.MAX_DOCUMENT_BYTES + b"}"):
        with pytest.raises(RequestSerializationError):
            serializer.request_from_data(data, SPIDER)
    with pytest.raises(RequestSerializationError):
        serializer.loads(pickle.dumps({"url": "http://a/"}))


def test_start_document_callback_must_be_a_public_spider_method() -> None:
    for name in ("nope", "_private", "__init__"):
        data = json.dumps({"v": 1, "url": "http://a/", "callback": name})
        with pytest.raises(RequestSerializationError, match="callback"):
            serializer.request_from_data(data, SPIDER)


def test_defaults_are_left_out_of_the_document() -> None:
    plain = serializer.dumps(Request("https://example.org/a?b=1").to_dict(spider=SPIDER))
    assert json.loads(plain) == {"v": 1, "url": "https://example.org/a?b=1"}
    back = request_from_dict(serializer.loads(plain), spider=SPIDER)
    assert (back.method, back.body, back.meta, back.priority, back.dont_filter) == \
        ("GET", b"", {}, 0, False)
