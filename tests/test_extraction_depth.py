"""Bar row B1: deep nesting (libxml2 drops what lies deeper than 255 elements) is never a
silent "no match": the article is recorded ``extraction_failed:depth`` and matched on the
raw-text fallback, which reads every text node whatever the depth."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction import body as clean
from pipelines.extraction.body import extract_text
from pipelines.extraction.rawtext import measure, raw_text
from tests.helpers.extraction import PLANT, matches

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = (ROOT / "tests" / "data" / "extraction" / "article-template.html").read_text("utf-8")
URL = "https://www.themoscowtimes.com/2023/05/10/kremlin-keeps-budget-rule-a81087"
HEADLINE = "Kremlin Keeps Budget Rule"

def nested(depth: int, tag: str = "div") -> str:
    return (f"<div><p>Prices rose again in May.</p>{f'<{tag}>' * depth}<p>{PLANT}</p>"
            f"{f'</{tag}>' * depth}<p>The ruble was stable.</p></div>")


@pytest.mark.parametrize("depth", [300, 1000, 5000])
@pytest.mark.parametrize("tag", ["div", "span", "blockquote"])
def test_a_match_nested_too_deep_is_recorded_failed_and_found(depth: int, tag: str) -> None:
    result = extract_text(nested(depth, tag))
    assert result.status == "extraction_failed:depth"
    assert PLANT in result.text
    assert "Prices rose again in May." in result.text
    assert matches(result.text, HEADLINE)


def test_nested_tables_are_deep_too() -> None:
    body = f"<div>{'<table><tr><td>' * 400}<p>{PLANT}</p>{'</td></tr></table>' * 400}</div>"
    result = extract_text(body)
    assert result.status == "extraction_failed:depth"
    assert matches(result.text, HEADLINE)


def test_ordinary_nesting_still_goes_through_trafilatura() -> None:
    result = extract_text(nested(40))
    assert result.status == "zone"
    assert PLANT in result.text


def test_depth_estimate_ignores_implicitly_closed_and_void_elements() -> None:
    flat = "<div>" + "<p>one<br>two<img src=x>" * 5000 + "</div>"
    assert measure(flat).depth == 2
    assert measure(nested(300)).depth == 200
    assert measure("<ul>" + "<li>item" * 3000 + "</ul>").depth == 2


def test_text_a_parser_drops_is_caught_by_the_raw_text_yardstick(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever made the tree lose text (a limit not predicted here), the raw text wins."""
    body = f"<div><p>First paragraph here.</p><p>{PLANT}</p></div>"
    monkeypatch.setattr(clean, "trafilatura_text", lambda page: "First paragraph here.")
    assert extract_text(body).status == "zone:blocks"
    monkeypatch.setattr(clean, "plain_text", lambda html: "First paragraph here.")
    result = extract_text(body)
    assert result.status == "extraction_failed:lost_text"
    assert PLANT in result.text


def test_raw_text_skips_scripts_captions_and_asides_but_keeps_every_paragraph() -> None:
    body = (f"<div><script>var s = '{PLANT}';</script><figure><figcaption>Erdogan and Assad"
            f"</figcaption></figure><aside>Turkey, Syria talks</aside><!-- Syria Turkey -->"
            f"<p>One &amp; two.</p><p>Th<b>re</b>e</p></div>")
    assert raw_text(body) == "One & two.\n\nThree"


@pytest.mark.parametrize("depth", [300, 1000])
def test_deep_body_through_the_page_object(depth: int) -> None:
    page = TEMPLATE.replace("{{META}}", '<meta charset="utf-8">').replace(
        "{{BODY}}", nested(depth))
    response = HtmlResponse(URL, body=page.encode("utf-8"))
    fields = ArticlePage(response.url, response.text,
                         SiteUrls("https://www.themoscowtimes.com")).fields()
    assert fields is not None
    result = extract_text(fields.body.zone_html)
    assert matches(result.text, HEADLINE)
