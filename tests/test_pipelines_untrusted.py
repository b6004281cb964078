"""Crawled text is hostile: no string, with any code point, raw or as a character reference in
the page, puts a control character into a table cell, a CSV cell or a log line, nor a formula
into a CSV cell. The page object, the cleaner, Rich, the CSV writer and the log are the real ones.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.logsafe import INDENT, SafeLogRecord, SafeLogs, install
from crawler.output import cell, print_matches
from crawler.safecsv import FORMULA_PREFIXES
from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.body import extract_text
from pipelines.untrusted import clean_line, clean_text, escape_line, is_unsafe, json_line
from tests.helpers.output import unsafe

SITE = SiteUrls("https://www.themoscowtimes.com")
URL = "https://www.themoscowtimes.com/2023/05/10/turkey-and-syria-a81087"
#: what an attacker reaches for first; the rest of Unicode comes from the integers
HOSTILE = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x200B, 0x200C, 0x200D, 0x200E,
           0x202A, 0x202E, 0x2066, 0x2069, 0x2028, 0x2029, 0xFEFF, 0xE0041, 0xD800,
           *map(ord, "=+-@[]/;\"'&<>")]
CODE_POINTS = st.lists(st.one_of(st.sampled_from(HOSTILE), st.integers(0, 0x10FFFF)),
                       max_size=40)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ hostile: ")


def page(title: str, body: str) -> str:
    """An article page of the site's shape with these (already encoded) title and body."""
    return (f'<html lang="en"><head><link rel="canonical" href="{URL}"></head><body>'
            f'<header class="article__header"><h1>Turkey {title}</h1></header>'
            f'<div class="article__content"><div class="article__block article__block--html">'
            f"<p>Syria and Turkey agreed {body} today.</p></div></div></body></html>")


def encodings(points: list[int]) -> list[str]:
    """The code points as character references (decoded by the parser), and raw in the page
    (except surrogates, which UTF-8 cannot carry)."""
    raw = "".join(chr(p) for p in points if not 0xD800 <= p <= 0xDFFF)
    return ["".join(f"&#{p};" for p in points), html.escape(raw)]


@contextlib.contextmanager
def hostile_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing to a buffer, with the log layer of the mtwatch processes installed."""
    previous = logging.getLogRecordFactory()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger("hostile")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    install()
    try:
        yield logger, out
    finally:
        logging.setLogRecordFactory(previous)
        logger.removeHandler(handler)


def shown(fmt: str, headline: str, sentence: str) -> str:
    # a site that keys articles by URL: the key is crawled text too
    row = SimpleNamespace(article_id=1, published=datetime(2023, 5, 10, tzinfo=UTC),
                          grade="mention", headline=headline, url=URL, topic="syria-turkey",
                          rule="core", evidence=[{"sentence": sentence}], site="generic",
                          article_key=headline, story_id=None)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print_matches([row], fmt)
    return out.getvalue()


def check_log(out: str, records: int) -> None:
    lines = out.splitlines()
    assert RECORD_START.match(lines[0]), lines[0]
    for line in lines:
        assert unsafe(line) == [], line
        assert RECORD_START.match(line) or line.startswith(INDENT), line
    # no text poses as a record of its own
    assert sum(1 for line in lines if RECORD_START.match(line)) == records


def check_csv(out: str, *, crawled: bool) -> None:
    """Cells: no formula; no control but line breaks and tabs, none at all in a headline that
    came through the crawl (a single-line field)."""
    header, *rows = list(csv.reader(io.StringIO(out)))
    for row in rows:
        for name, value in zip(header, row, strict=True):
            assert not value.startswith(FORMULA_PREFIXES), (name, value)
            assert unsafe(value.replace("\t", "").replace("\n", "")) == [], (name, value)
            if crawled and name == "headline":
                assert unsafe(value) == [], value


@settings(max_examples=150, deadline=None)
@given(points=CODE_POINTS, raw=st.booleans())
def test_no_crawled_string_reaches_a_table_csv_or_log_unsafe(points: list[int], raw: bool) -> None:
    encoded = encodings(points)[raw]
    fields = ArticlePage(URL, page(encoded, encoded), SITE).fields()
    assert fields is not None
    body = extract_text(fields.body.zone_html).text
    assert unsafe(fields.headline) == []
    assert unsafe(body, newlines=True) == [] or set(unsafe(body, newlines=True)) == {"'\\t'"}
    sentence = body.splitlines()[0] if body else ""
    assert unsafe(shown("table", fields.headline, sentence), newlines=True) == []
    check_csv(shown("csv", fields.headline, sentence), crawled=True)
    with hostile_log() as (logger, out):
        logger.info("match %s (%s): %s", 1, "mention", fields.headline)
    check_log(out.getvalue(), 1)


@settings(max_examples=150, deadline=None)
@given(text=st.text(st.characters(codec=None), max_size=60))
def test_text_from_anywhere_is_safe_in_every_sink(text: str) -> None:
    """What was stored before cleaning, a receiver's answer, an exception: the sinks alone."""
    assert unsafe(str(cell(text, text)), newlines=True) == []
    assert unsafe(shown("table", text, text), newlines=True) == []
    check_csv(shown("csv", text, text), crawled=False)
    with hostile_log() as (logger, out):
        logger.warning("answer %r then %s", text, text)
        try:
            raise ValueError(text)
        except ValueError:
            logger.exception("failed: %s", text)
    check_log(out.getvalue(), 2)


@given(st.text(st.characters(codec=None)))
def test_json_lines_are_safe_to_print_and_lossless(text: str) -> None:
    line = json_line({"headline": text})
    assert unsafe(line) == []
    assert json.loads(line) == {"headline": text}


@pytest.mark.parametrize(("text", "line"), [
    ("Turkey\x1b[2K\x1b[1A and Syria", "Turkey[2K[1A and Syria"),
    ("a\u202eb\u2066c\u2069\u200fd", "abcd"),
    ("\x9b31mred\x7f\x07", "31mred"),
    ("zero\u200bwidth soft\u00adhyphen bom\ufeff", "zerowidth softhyphen bom"),
    ("line\nbreak\r\nand\u2028more\ttab\x0bvt\x85nel", "line break and more tab vt nel"),
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f468\u200d\U0001f469",
     "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f468\u200d\U0001f469"),
    ("  Ankara\u00a0and  Damascus ", "Ankara and Damascus"),
])
def test_clean_line(text: str, line: str) -> None:
    assert clean_line(text) == line


def test_clean_text_keeps_paragraphs_and_tabs() -> None:
    text = "First\x1b[2K para.\r\nSecond\tpara.\u2029Third\x0cfourth\x1c\u202efifth"
    assert clean_text(text) == "First[2K para.\nSecond\tpara.\nThird\nfourth\nfifth"


@given(st.text(st.characters(codec=None)))
def test_clean_text_has_only_newlines_and_tabs_left(text: str) -> None:
    cleaned = clean_text(text)
    assert [c for c in cleaned if is_unsafe(c) and c not in "\n\t"] == []
    assert (cleaned + ".").splitlines() == (cleaned + ".").split("\n")


def test_escape_line_shows_what_was_there() -> None:
    assert escape_line("ok\x1b[2K\n\u202e\U000e0041") == "ok\\x1b[2K\\n\\u202e\\U000e0041"
    assert escape_line("Ankara и Дамаск") == "Ankara и Дамаск"


def test_the_crawl_process_installs_the_log_layer() -> None:
    from scrapy.utils.test import get_crawler

    from crawler import settings as crawl_settings

    previous = logging.getLogRecordFactory()
    try:
        logging.setLogRecordFactory(logging.LogRecord)
        assert "crawler.logsafe.SafeLogs" in crawl_settings.EXTENSIONS
        SafeLogs.from_crawler(get_crawler())
        assert logging.getLogRecordFactory() is SafeLogRecord
    finally:
        logging.setLogRecordFactory(previous)
