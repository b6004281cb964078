"""Extraction that survives a redesign: the same article in new markup keeps its fields, its
body and its match, takes the path the ``extraction`` column names, and keeps the traps out."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.items import ArticleFields
from crawler.pages.boilerplate import measure, page_without_widgets, prune
from crawler.sites.moscowtimes.article import ZONE_CSS, ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction import body as clean
from pipelines.extraction import paths
from pipelines.extraction.body import extract_article
from pipelines.matcher import Document, Matcher, load_topic
from tests.replica import READABLE_REDESIGNS, build_site
from tests.replica.routes import resolve

BASE = "http://127.0.0.1:8000"
URLS = SiteUrls(BASE)
SITE = build_site(300, 1)
MATCHER = Matcher(load_topic(Path(__file__).parent.parent / "config/topics/syria-turkey.toml"))
SEED = 81087


def page_in(layout: str, article_id: int) -> tuple[ArticleFields, str]:
    SITE.layout = layout
    try:
        article = SITE.by_id[article_id]
        html = resolve(SITE, article.path, BASE).body.decode()
    finally:
        SITE.layout = "classic"
    fields = ArticlePage(BASE + article.path, html, URLS).fields()
    assert fields is not None, layout
    return fields, html


def body(fields: ArticleFields) -> clean.Extraction:
    return extract_article(fields.body)


def matches(fields: ArticleFields, text: str) -> bool:
    doc = Document(title=fields.headline, subtitle=fields.subtitle, body=text,
                   language=fields.language, published=fields.published)
    return MATCHER.evaluate(doc).matched


@pytest.mark.parametrize("layout", READABLE_REDESIGNS)
def test_fields_survive_a_redesign(layout: str) -> None:
    classic, _ = page_in("classic", SEED)
    fields, _ = page_in(layout, SEED)
    assert (fields.article_id, fields.url, fields.headline) == (
        classic.article_id, classic.url, classic.headline)
    assert fields.published == classic.published  # redesign-b: from JSON-LD, no meta
    assert fields.authors == ["AFP"]


@pytest.mark.parametrize("layout", READABLE_REDESIGNS)
def test_a_subtitle_only_positive_keeps_its_standfirst(layout: str) -> None:
    article = next(a for a in SITE.articles if a.kind == "subtitle_only")
    fields, _ = page_in(layout, article.id)
    assert fields.subtitle == article.subtitle
    assert matches(fields, body(fields).text)


@pytest.mark.parametrize(("layout", "path"), [
    ("classic", paths.ZONE), ("redesign-a", paths.GENERIC), ("redesign-b", paths.GENERIC),
    ("liveblog", paths.GENERIC), ("redesign-split", paths.GENERIC_SMALL_ZONE),
    ("app-shell", paths.NO_BODY),
])
def test_each_layout_takes_its_path_and_the_seed_still_matches(layout: str, path: str) -> None:
    fields, _ = page_in(layout, SEED)
    found = body(fields)
    assert found.status == path
    if path == paths.NO_BODY:
        assert found.text == ""
        return
    assert "roadmap to normalize ties between Syria and Turkey" in found.text
    assert "Damascus is a staunch ally of Moscow" in found.text  # the last paragraph
    assert matches(fields, found.text)


def test_a_deep_mention_outside_a_shrunken_zone_is_found() -> None:
    """redesign-split: the old zone holds the first block; the mention is blocks later."""
    deep = [a for a in SITE.articles
            if a.kind == "deep" and sum(b.type == "html" for b in a.blocks) > 1]
    assert len(deep) >= 3
    for article in deep:
        fields, _ = page_in("redesign-split", article.id)
        zone_only = clean.extract_text(fields.body.zone_html)
        found = body(fields)
        assert matches(fields, found.text), article.id
        assert len(found.text) > len(zone_only.text)


@pytest.mark.parametrize("layout", READABLE_REDESIGNS)
def test_traps_stay_out_of_a_generic_body(layout: str) -> None:
    """Captions, in-body related boxes, the side column and the bottom cards hold other
    articles' Syria-Turkey headlines: none of them reaches the body."""
    for article in SITE.articles:
        if article.kind not in ("aside_trap", "caption_trap"):
            continue
        fields, html = page_in(layout, article.id)
        text = body(fields).text
        asides = [b.body for b in article.blocks if b.type == "article"]
        for trap in [*asides, article.caption]:
            words = " ".join(trap.split()[:6])
            assert words in html or "&" in words  # the trap is on the page ...
            assert words not in text, (layout, article.id, trap)  # ... not in the body
        assert not matches(fields, text), (layout, article.id)


def test_a_classic_video_page_stays_no_body() -> None:
    video = next(a for a in SITE.articles if a.type == "video")
    fields, _ = page_in("classic", video.id)
    assert body(fields).status == paths.NO_BODY


def test_without_zone_and_without_trafilatura_body_the_raw_text_is_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fields, _ = page_in("redesign-a", SEED)
    monkeypatch.setattr(clean, "generic_text", lambda page: "")
    found = body(fields)
    assert found.status == paths.RAW
    assert "roadmap to normalize ties between Syria and Turkey" in found.text
    assert "Most read" not in found.text  # still the page without its widgets


def test_a_healthy_zone_never_runs_the_generic_extractor(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(page: str) -> str:
        raise AssertionError("the zone stands for the page: no generic extraction")

    monkeypatch.setattr(clean, "generic_text", refuse)
    fields, _ = page_in("classic", SEED)
    assert fields.body.page_html == ""  # not even built
    assert body(fields).status == paths.ZONE


def test_the_zone_rule() -> None:
    assert paths.zone_is_enough(12)  # a label: "News Analysis"
    assert not paths.zone_is_enough(90)  # one sentence of the body outside the zone
    assert paths.current("ok") == paths.ZONE
    assert paths.current("ok:fallback") == "zone:blocks"


@pytest.mark.parametrize("layout", ["classic", "redesign-split"])
def test_text_outside_the_zone_is_measured(layout: str) -> None:
    """The site's own pages hold no more than a label outside the zone; a split body does."""
    for article in SITE.articles[::7]:
        fields, _ = page_in(layout, article.id)
        blocks = sum(b.type == "html" for b in article.blocks)
        if layout == "classic":
            assert fields.body.outside_zone < paths.ZONE_MAX_OUTSIDE, article.id
        elif blocks > 1:
            assert fields.body.outside_zone >= paths.ZONE_MAX_OUTSIDE, article.id


def test_pruning_never_cuts_the_headline_or_the_zone() -> None:
    html = ('<html><body class="layout has-sidebar"><div class="with-rail">'
            '<h1>Erdogan Meets Assad</h1><div class="sidebar">Most read</div>'
            '<div class="article__content"><p>Body text.</p></div></div></body></html>')
    root = lxml.html.fromstring(html)
    counted = measure(root, ZONE_CSS)
    assert (counted.letters, counted.zone_letters) == (len("ErdoganMeetsAssadBodytext"), 8)
    kept = lxml.html.fromstring(page_without_widgets(root, ZONE_CSS)).text_content()
    assert "Erdogan Meets Assad" in kept
    assert "Body text." in kept
    assert "Most read" not in kept


_WORDS = st.sampled_from(["story", "sidebar", "rail-list", "caption", "body", "main",
                          "related", "content", "x_promo", "post", "tags", "card"])


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(["div", "section", "p", "span", "aside", "figure", "h2"]))
    cls = " ".join(draw(st.lists(_WORDS, max_size=2)))
    kids = draw(st.lists(_trees(depth + 1), max_size=3)) if depth < 4 else []
    words = draw(st.text(alphabet="abcdefgh ", max_size=12))
    return f'<{tag} class="{cls}">{words}{"".join(kids)}</{tag}>'


@given(inner=st.lists(_trees(), max_size=4))
@settings(max_examples=150, deadline=None)
def test_pruning_keeps_the_headline_and_drops_every_widget(inner: list[str]) -> None:
    html = f"<html><body><h1>HEADLINE</h1>{''.join(inner)}</body></html>"
    root = lxml.html.fromstring(html)
    pruned = prune(root, ZONE_CSS)
    assert "HEADLINE" in pruned.text_content()
    for node in pruned.iter():
        names = node.get("class") or ""
        assert not any(w in names.split() for w in ("sidebar", "caption", "related", "tags"))
        assert node.tag not in ("aside", "figure")
    assert lxml.html.tostring(root) == lxml.html.tostring(lxml.html.fromstring(html))
