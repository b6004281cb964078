"""Bar row B5: arbitrary bytes on the whole path fetch-response → page object → extraction →
matching raise nothing and keep the verdict's invariants. 500 examples in the default run,
mutating replica pages; the long fuzz (100 000 inputs, each within 5 s) runs with -m slow."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse

from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.body import extract_text
from pipelines.matcher import Document, Matcher, load_topic
from tests.replica import build_site
from tests.replica.routes import resolve

ROOT = Path(__file__).resolve().parents[1]
MATCHER = Matcher(load_topic(ROOT / "config" / "topics" / "syria-turkey.toml"))
BASE = "https://www.themoscowtimes.com"
SITE = SiteUrls(BASE)


def replica_pages(count: int = 12) -> list[tuple[str, bytes]]:
    """Seeds: replica article pages, planted positives and traps first."""
    site = build_site(120, 3)
    truth = site.truth(BASE)
    items = sorted(truth["articles"], key=lambda a: a["kind"] == "filler")[:count]
    return [(a["url"], resolve(site, urlsplit(a["url"]).path, BASE).body) for a in items]


SEEDS = replica_pages()
TOKENS = [
    b"<div>" * 300, b"</div>" * 50, b"<table><tr><td>" * 100, b"<script>", b"</script>",
    b"<!--", b"-->", b"<![CDATA[", b"&#x0;", b"&#xD800;", b"&amp;", b"\xff\xfe", b"\xef\xbb\xbf",
    b"\x00", b"\xc3(", b"Syria", b"Turkey", b"Erdo\xc4\x9fan", "Анкара".encode(),
    "Дамаск".encode("cp1251"), b"<p>Ankara and Damascus held talks.</p>",
    b'<div class="article__block article__block--html">', b'<div class="article__content">',
    b"<h1>", b"</header>", b"<link rel=\"canonical\" href=\"", b"<p>" * 200, b"<" * 500,
]
CONTENT_TYPES = [None, "text/html", "text/html; charset=utf-8", "text/html; charset=latin-1",
                 "text/html; charset=utf-16", "text/html; charset=windows-1251",
                 "text/html; charset=bogus", "application/xhtml+xml"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    url, base = draw(st.sampled_from(SEEDS))
    body = bytearray(base)
    edits = st.tuples(st.integers(0, len(base)), st.integers(0, 2000),
                      st.one_of(st.binary(max_size=64), st.sampled_from(TOKENS)))
    for position, cut, insert in draw(st.lists(edits, max_size=8)):
        position = min(position, len(body))
        body[position:position + cut] = insert
    return url, bytes(body)


RESPONSES = st.tuples(
    st.one_of(mutated(), st.tuples(st.sampled_from([url for url, _ in SEEDS]),
                                   st.binary(max_size=4096))),
    st.sampled_from(CONTENT_TYPES))


def run_path(url: str, body: bytes, content_type: str | None) -> None:
    """The crawler's path for one response, with the matcher's invariants checked."""
    headers = {"Content-Type": content_type} if content_type else {}
    response = HtmlResponse(url, body=body, headers=headers)
    page = ArticlePage(response.url, response.text, SITE)
    if page.is_soft_404:
        return
    fields = page.fields()
    if fields is None:
        return
    extraction = extract_text(fields.body.zone_html)
    assert extraction.status in {"zone", "zone:blocks", "no_body"} or extraction.status.startswith(
        "extraction_failed:")
    document = Document(title=fields.headline, subtitle=fields.subtitle, body=extraction.text,
                        language=fields.language, published=fields.published)
    verdict = MATCHER._evaluate(document)  # no safety net: an exception fails the test
    assert verdict.matched == bool(verdict.evidence)
    for item in verdict.evidence + verdict.near_misses:
        assert getattr(document, item.field)[item.start:item.end] == item.sentence


def test_seed_pages_go_through_the_whole_path() -> None:
    for url, body in SEEDS:
        run_path(url, body, "text/html; charset=utf-8")


@settings(max_examples=500, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(RESPONSES)
def test_arbitrary_responses_never_crash_the_path(case: tuple[tuple[str, bytes], str | None]
                                                  ) -> None:
    (url, body), content_type = case
    run_path(url, body, content_type)


@pytest.mark.slow
@pytest.mark.timeout(2 * 3600)  # the bar's nightly run: 100,000 inputs, ~30 min (per input: 5 s)
@settings(max_examples=100_000, deadline=timedelta(seconds=5),
          suppress_health_check=list(HealthCheck))
@given(RESPONSES)
def test_long_fuzz_every_input_within_five_seconds(case: tuple[tuple[str, bytes], str | None]
                                                   ) -> None:
    (url, body), content_type = case
    run_path(url, body, content_type)


def test_a_malformed_canonical_link_does_not_crash_the_page_object() -> None:
    url, body = SEEDS[0]
    broken = body.replace(b'rel="canonical" href="https://', b'rel="canonical" href="https://[')
    assert broken != body
    run_path(url, broken, "text/html; charset=utf-8")


def test_a_control_character_after_a_widget_does_not_crash_the_page_object() -> None:
    template = (ROOT / "tests" / "data" / "extraction" / "article-template.html").read_text()
    body = "<p>Erdogan met Assad.<figure>photo</figure>\x0bThey met in Moscow.</p>"
    page = template.replace("{{META}}", "").replace("{{BODY}}", body)
    run_path("https://www.themoscowtimes.com/2023/05/10/kremlin-keeps-budget-rule-a81087",
             page.encode("utf-8"), "text/html; charset=utf-8")
