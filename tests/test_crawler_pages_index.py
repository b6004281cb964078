"""crawler/pages/index.py answers as the CSS queries it replaces would."""

from __future__ import annotations

from parsel import Selector

from crawler.pages.index import ElementIndex, texts

_PAGE = """<html lang="en"><head>
<link rel="canonical stylesheet" href="/not-this"><link rel="canonical" href="/this">
</head><body>
<header class="article__headerx"><h1>Not a header</h1></header>
<header class="top	article__header"><h1>First <b>bold</b> part<!-- a comment --> tail</h1></header>
<div class="wrap"><header class="article__header"><h2>Second</h2><h1>Third
</h1></header></div>
<div class="article__content"><div class="article__block x">one</div>
<p><div class="article__block">not a child</div></p>
<div class="article__content"><div class="article__block">nested zone</div></div></div>
<span class="byline__author__name">A. Writer</span><a class="byline__author__name">B.</a>
<div class="article__tags"><a class="tag">Syria</a><a class="tagline">no</a>
<a class="x tag">Turkey</a></div>
</body></html>"""


def _css(sel: Selector, query: str) -> list[str]:
    return sel.css(query).getall()


def test_classes_and_descendants_match_css() -> None:
    sel = Selector(text=_PAGE, type="html")
    index = ElementIndex(sel.root, ("h1", "link", "a"), ("article__header", "article__content",
                                                           "article__block", "tag",
                                                           "byline__author__name",
                                                           "article__tags"))
    headers = index.with_class("article__header", "header")
    assert [h.get("class") for h in headers] == ["top\tarticle__header", "article__header"]
    assert texts(index.descendants(headers, "h1")) == _css(sel, "header.article__header h1 ::text")
    assert texts(index.descendants(headers, "h2")) == _css(sel, "header.article__header h2 ::text")
    zones = index.with_class("article__content", "div")
    assert len(zones) == len(sel.css("div.article__content")) == 2
    children = [b for b in index.with_class("article__block", "div") if b.getparent() in zones]
    assert [b.text for b in children] == [
        s.root.text for s in sel.css("div.article__content > div.article__block")]
    assert texts(index.with_class("byline__author__name")) == _css(
        sel, ".byline__author__name ::text")
    tagged = set(index.with_class("tag"))
    links = index.descendants(index.with_class("article__tags"), "a")
    assert texts(a for a in links if a in tagged) == _css(sel, ".article__tags a.tag ::text")


def test_nested_matches_give_each_text_once_in_document_order() -> None:
    sel = Selector(text="<div class='z'>a<div class='z'>b</div>c</div><div class='z'>d</div>",
                   type="html")
    index = ElementIndex(sel.root, (), ("z",))
    found = index.ordered(reversed(index.with_class("z")))
    assert found == index.with_class("z")
    assert texts(found) == _css(sel, ".z ::text") == ["a", "b", "c", "d"]
