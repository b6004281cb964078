"""Bar row B6: encoding traps. Article responses with a wrong charset header, no charset,
UTF-16 with a BOM, cp1251 Russian text or invalid UTF-8 go through Scrapy's decoding, the
page object and cleaning: the planted phrase is found in every decodable one, none crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.body import extract_text
from pipelines.matcher import Document, Matcher, load_topic

ROOT = Path(__file__).resolve().parents[1]
MATCHER = Matcher(load_topic(ROOT / "config" / "topics" / "syria-turkey.toml"))
TEMPLATE = (ROOT / "tests" / "data" / "extraction" / "article-template.html").read_text("utf-8")
URL = "https://www.themoscowtimes.com/2023/05/10/kremlin-keeps-budget-rule-a81087"
SITE = SiteUrls("https://www.themoscowtimes.com")
EN = "Ankara and Damascus agreed to restore diplomatic ties, officials said."
RU = "Анкара и Дамаск договорились восстановить дипломатические отношения."
BODY = f"<p>Prices rose in May.</p><p>{EN}</p><p>Цены выросли.</p><p>{RU}</p>"


def page(meta: str = "", body: str = BODY) -> str:
    return TEMPLATE.replace("{{META}}", meta).replace("{{BODY}}", body)


def utf8(meta: str = "") -> bytes:
    return page(meta).encode("utf-8")


def cp1251(meta: str = "") -> bytes:
    return page(meta).encode("cp1251", "replace")


def broken_utf8() -> bytes:
    """Valid UTF-8 around paragraphs of invalid byte sequences."""
    junk = b"<p>\xff\xfe\xc3\x28 \xa0\xa1 \xe2\x28\xa1 \xf0\x28\x8c\xbc</p>"
    return page('<meta charset="utf-8">').encode("utf-8").replace(
        b"<p>Prices rose in May.</p>", junk * 3)


# (case, bytes, Content-Type header or None, phrases that must be found)
CASES = [
    ("utf8-declared", utf8(), "text/html; charset=utf-8", (EN, RU)),
    ("utf8-meta-only", utf8('<meta charset="utf-8">'), "text/html", (EN, RU)),
    ("utf8-nothing-declared", utf8(), "text/html", (EN, RU)),
    ("utf8-no-content-type", utf8(), None, (EN, RU)),
    ("utf8-header-says-latin1", utf8(), "text/html; charset=iso-8859-1", (EN,)),
    ("utf8-header-says-cp1251", utf8(), "text/html; charset=windows-1251", (EN,)),
    ("utf16-bom", b"\xff\xfe" + page().encode("utf-16-le"), "text/html", (EN, RU)),
    ("utf16-bom-header-says-utf8", b"\xff\xfe" + page().encode("utf-16-le"),
     "text/html; charset=utf-8", (EN, RU)),
    ("utf16be-bom", b"\xfe\xff" + page().encode("utf-16-be"), None, (EN, RU)),
    ("cp1251-declared", cp1251(), "text/html; charset=windows-1251", (EN, RU)),
    ("cp1251-meta", cp1251('<meta charset="windows-1251">'), "text/html", (EN, RU)),
    ("cp1251-header-says-utf8", cp1251(), "text/html; charset=utf-8", (EN,)),
    ("invalid-utf8", broken_utf8(), "text/html; charset=utf-8", (EN, RU)),
    ("utf8-bom-header-says-latin1", b"\xef\xbb\xbf" + utf8(), "text/html; charset=latin-1",
     (EN, RU)),
]


def clean_text(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(headline, cleaned body text) of a response, the way the spider and Clean see it."""
    headers = {"Content-Type": content_type} if content_type else {}
    response = HtmlResponse(URL, body=body, headers=headers)
    fields = ArticlePage(response.url, response.text, SITE).fields()
    assert fields is not None
    return fields.headline, extract_text(fields.body.zone_html).text


@pytest.mark.parametrize(("case", "body", "content_type", "phrases"), CASES,
                         ids=[case[0] for case in CASES])
def test_planted_phrases_are_found_in_every_decodable_response(
        case: str, body: bytes, content_type: str | None, phrases: tuple[str, ...]) -> None:
    headline, text = clean_text(body, content_type)
    flat = " ".join(text.split())
    for phrase in phrases:
        assert phrase in flat, case
        verdict = MATCHER.evaluate(Document(title=headline, body=phrase, language="ru"))
        assert verdict.matched
    assert MATCHER.evaluate(Document(title=headline, body=text)).matched


@pytest.mark.parametrize("body", [
    b"\x00" * 5000, b"\xff\xfe" + b"\x00\xd8" * 3000, "Анкара".encode("utf-32"),
    page().encode("utf-16-le"), bytes(range(256)) * 40, b"\xef\xbb\xbf\xff\xfe\x00",
], ids=["nul", "lone-surrogates", "utf32", "utf16-no-bom", "all-bytes", "bom-then-junk"])
@pytest.mark.parametrize("content_type", [None, "text/html; charset=utf-8",
                                          "text/html; charset=bogus-8"])
def test_undecodable_responses_do_not_crash(body: bytes, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = HtmlResponse(URL, body=body, headers=headers)
    fields = ArticlePage(response.url, response.text, SITE).fields()
    if fields is not None:
        extract_text(fields.body.zone_html)
