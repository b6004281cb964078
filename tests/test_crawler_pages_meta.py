"""MetaTags: the page's meta tags read in one pass give what the per-tag CSS queries gave."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.pages.meta import MetaTags

PAGE = """<html><head>
<meta property="og:title">
<meta property="og:title" content="First with content">
<meta property="og:title" content="Second">
<meta name="og:title" content="By name">
<meta name="description" content="Only by name">
<meta property="article:tag" content="">
</head><body><p>text</p><meta property="late" content="In the body"></body></html>"""


def css_meta(sel: Selector, key: str) -> str | None:
    """What the page objects asked before: by property, then by name."""
    value = sel.css(f'meta[property="{key}"]::attr(content)').get()
    return value if value is not None else sel.css(f'meta[name="{key}"]::attr(content)').get()


@pytest.mark.parametrize("key", ["og:title", "description", "article:tag", "late", "missing"])
def test_same_answer_as_the_css_queries(key: str) -> None:
    sel = Selector(text=PAGE, type="html")
    assert MetaTags(sel.root).get(key) == css_meta(sel, key)


def test_property_wins_over_name_and_first_with_content_wins() -> None:
    metas = MetaTags(Selector(text=PAGE, type="html").root)
    assert metas.get("og:title") == "First with content"
    assert metas.get("description") == "Only by name"
    assert metas.get("article:tag") == ""
    assert metas.get("missing") is None
