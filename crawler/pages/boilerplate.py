"""The page without its widgets, for generic extraction when the article zone is gone.

When a redesign renames the article zone, trafilatura reads the whole page; its own
boilerplate removal is good, but it does not know this site's traps: "Most read"/"Just in"
headlines, "Read more" cards and in-body related boxes (other articles' headlines, some about
Syria and Turkey), photo captions, donation boxes. They are cut from a copy of the tree first,
by element (asides, figures, navigation, forms) and by class or id words that name widgets
on news sites (``sidebar``, ``related``, ``caption``, ``promo``, …, as in Readability's list
of unlikely candidates), plus the site's own widget classes. An element that holds the
headline or the old article zone is never cut (``<div class="page has-sidebar">``).
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass

import lxml.html
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from pipelines.extraction.letters import letter_count

#: elements that are never article text
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "form",
              "button", "select", "textarea", "nav", "footer", "aside", "figure", "figcaption",
              "video", "audio", "canvas", "dialog")
#: class/id words of widgets: whole words of a class or id, split at spaces, "-" and "_"
_WIDGET_WORDS = (
    # other articles: side columns, related and recommended stories, excerpts, cards
    "sidebar", "rail", "related", "read-?more", "more-?stories", "recommend\\w*", "popular",
    "most-?read", "trending", "latest", "just-?in", "excerpt", "teaser", "cluster",
    "outbrain", "taboola",
    # photos and their credits
    "caption", "credits?", "gallery", "slider",
    # appeals, ads and sharing
    "promo", "newsletter", "subscribe", "sign-?up", "donate", "donation", "support",
    "contribute", "paywall", "banner", "ads?", "advert\\w*", "ad-?slot", "sponsor\\w*",
    "share", "sharing", "social",
    # page furniture
    "tags?", "byline", "author-bio", "bio", "comments?", "breadcrumbs?", "nav\\w*", "menu",
    "footer", "site-header", "topbar", "widget", "disclaimer", "loader",
)
_WIDGET = re.compile(r"(?:^|[\s_-])(?:" + "|".join(_WIDGET_WORDS) + r")(?=$|[\s_-])",
                     re.IGNORECASE)
#: containers that are never cut as a whole, whatever their class says
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})


@functools.lru_cache(maxsize=8)
def _selector(css: str) -> CSSSelector:
    return CSSSelector(css, translator="html")


def _zone(root: HtmlElement, zone_css: str) -> list[HtmlElement]:
    return list(_selector(zone_css)(root))


def _protected(root: HtmlElement, zone: list[HtmlElement],
               h1: list[HtmlElement] | None = None) -> set[HtmlElement]:
    """The headline's and the old zone's ancestors: cutting one would cut the article
    (``h1``: the page's first h1, when the caller knows it)."""
    keep: set[HtmlElement] = set()
    anchors = (root.xpath("//h1")[:1] if h1 is None else h1) + zone
    for node in anchors:
        keep.update(node.iterancestors())
        keep.add(node)
    return keep


def _unwrap_zone(root: HtmlElement, zone_css: str) -> None:
    """The old zone and its wrappers as plain elements: their classes (``article__content``,
    ``…__content-container``) would draw the extractor to the zone alone when the body goes
    on outside it (a partial redesign)."""
    for node in _zone(root, zone_css):
        for wrapper in [node, *node.iterancestors()]:
            if wrapper.tag not in ("html", "body"):
                wrapper.attrib.clear()


def _cut(node: HtmlElement, keep: set[HtmlElement]) -> bool:
    """Whether ``node`` is a widget (and never the headline, the zone or their containers)."""
    if not isinstance(node.tag, str) or node in keep:
        return False
    if node.tag in _DROP_TAGS:
        return True
    if node.tag in _KEEP_TAGS:
        return False
    names = f"{node.get('class') or ''} {node.get('id') or ''}"
    return bool(names.strip()) and _WIDGET.search(names) is not None


def prune(root: HtmlElement, zone_css: str) -> HtmlElement:
    """A copy of ``root`` (a parsed page) without widgets; the original is left alone."""
    tree = copy.deepcopy(root)
    keep = _protected(tree, _zone(tree, zone_css))
    for node in list(tree.iter()):
        if node.getparent() is not None and _cut(node, keep):
            node.drop_tree()
    return tree


@dataclass(frozen=True)
class TextMeasure:
    """How much text the page holds without its widgets, and how much of it is in the zone."""

    #: letters (and digits) of the page's text without widgets
    letters: int = 0
    #: ... of which inside the old article zone (every part of it; 0 without one)
    zone_letters: int = 0


def measure(root: HtmlElement, zone_css: str, *, zone: list[HtmlElement] | None = None,
            h1: list[HtmlElement] | None = None) -> TextMeasure:
    """The letters of the page's ``<body>`` without widgets, in and out of the zone, read in
    place (no copy: the site's own pages need no generic extraction, only this count).
    A caller that has already found the zone's elements (``zone_css``, in document order)
    and the page's first h1 (a list of at most one) passes them: no query runs again."""
    body = root.find(".//body")
    if not isinstance(body, HtmlElement):
        return TextMeasure()
    parts = _zone(root, zone_css) if zone is None else zone
    keep, zone_set = _protected(root, parts, h1), set(parts)
    total = in_zone = 0
    stack: list[tuple[HtmlElement, bool]] = [(body, False)]
    while stack:  # iterative: a page may nest thousands deep
        node, inside = stack.pop()
        inside = inside or node in zone_set
        counted = letter_count(node.text)
        for child in node:
            counted += letter_count(child.tail)
            if isinstance(child.tag, str) and not _cut(child, keep):
                stack.append((child, inside))
        total += counted
        in_zone += counted if inside else 0
    return TextMeasure(total, in_zone)


def page_without_widgets(root: HtmlElement, zone_css: str) -> str:
    """The page's ``<body>`` with its widgets cut and the zone unwrapped, as an HTML document
    for a text extractor (``zone_css``: every part of the zone, e.g. intro and content)."""
    tree = prune(root, zone_css)
    body = tree.find(".//body")
    if not isinstance(body, HtmlElement):
        return ""
    _unwrap_zone(tree, zone_css)
    return "<html>" + lxml.html.tostring(body, encoding="unicode") + "</html>"
