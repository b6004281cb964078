"""The article page object on a saved page: fields from metadata, text from the body zone only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.body import extract_text

PAGES = Path(__file__).parent / "data" / "pages"
SITE = SiteUrls("https://www.themoscowtimes.com")
MSK = timezone(timedelta(hours=3))


def page(name: str, url: str = "https://www.themoscowtimes.com/x") -> ArticlePage:
    return ArticlePage(url, (PAGES / name).read_text(encoding="utf-8"), SITE)


def test_fields_come_from_metadata_not_the_byline() -> None:
    fields = page("a81087-mini.html").fields()
    assert fields is not None
    assert fields.article_id == 81087
    assert fields.url.endswith("-a81087")
    assert fields.headline == "Russia Says Roadmap in the Works to Mend Syria-Turkey Ties"
    assert fields.subtitle == ""
    assert fields.authors == ["AFP"]
    # the byline shows "Updated:" 18:02; the publication time is 14:25
    assert fields.published == datetime(2023, 5, 10, 14, 25, tzinfo=MSK)
    assert fields.modified == datetime(2023, 5, 10, 18, 2, 11, tzinfo=MSK)
    assert fields.section == "News"  # JSON-LD, despite the invalid WebSite block
    assert fields.tags == ["Syria", "Turkey"]
    assert fields.language == "en"
    assert len(fields.html_sha256) == 64


def test_body_zone_excludes_every_widget() -> None:
    fields = page("a81087-mini.html").fields()
    assert fields is not None
    text = extract_text(fields.body.zone_html).text
    assert "roadmap to normalize ties between Syria and Turkey" in text
    assert "Lavrov said the proposals" in text
    for widget_text in ("Putin Eyes Rapprochement", "Read more", "Erdogan Says Ready",
                        "Support The Moscow Times", "favor to ask", "Valery Sharifulin",
                        "Erdogan and Assad in 2010", "Advertisement", "Tweet text"):
        assert widget_text not in text, widget_text


def test_soft_404_is_recognised() -> None:
    html = ('<html><body class="page-item"><div class="container"><h1>Oops!</h1>'
            "<h2>We couldn't find your page.</h2></div></body></html>")
    soft = ArticlePage("https://www.themoscowtimes.com/2023/05/10/x-a1", html, SITE)
    assert soft.is_soft_404
    assert soft.fields() is None
    assert not page("a81087-mini.html").is_soft_404


def test_page_without_headline_is_not_an_article() -> None:
    blank = ArticlePage("https://www.themoscowtimes.com/2023/05/10/x-a1", "<html></html>", SITE)
    assert blank.fields() is None


def test_a_json_looking_body_is_read_as_html_not_refused() -> None:
    """Found by the long fuzz: parsel guesses JSON for "{}" and then refuses CSS queries."""
    from crawler.sites.moscowtimes.listing import ListingPage

    for body in ("{}", "[1, 2]", '{"headline": "Erdogan met Assad"}', "null"):
        odd = ArticlePage("https://www.themoscowtimes.com/2023/05/10/x-a1", body, SITE)
        assert not odd.is_soft_404
        assert odd.fields() is None
        assert ListingPage(body, SITE).articles() == []


def _variants(html: str) -> list[str]:
    """The page as it is, and with what the text and the bytes paths treat differently:
    control characters, Unicode whitespace at either end, a page that is only whitespace."""
    return [html, "\x00\x1f" + html.replace("<p>", "<p>\x01\x0b", 3) + "\x1c\n",
            "\xa0\u2028" + html + "\u3000", " \x85", "\t\n", html.replace("</html>", "\xa0")]


def test_a_page_read_from_its_utf8_bytes_is_the_page_read_from_its_text() -> None:
    for name in sorted(p.name for p in PAGES.glob("*.html")):
        for html in _variants((PAGES / name).read_text(encoding="utf-8")):
            text, raw = (ArticlePage("https://www.themoscowtimes.com/x", form, SITE)
                         for form in (html, html.encode("utf-8")))
            assert raw.is_soft_404 == text.is_soft_404, name
            assert raw.fields() == text.fields(), name
