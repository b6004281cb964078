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
import re
from dataclasses import dataclass

import lxml.html
from lxml.html import HtmlElement

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


def _protected(root: HtmlElement, zone_css: str) -> set[HtmlElement]:
    """The headline's and the old zone's ancestors: cutting one would cut the article."""
    keep: set[HtmlElement] = set()
    anchors = root.xpath("//h1")[:1] + root.cssselect(zone_css)
    for node in anchors:
        keep.update(node.iterancestors())
        keep.add(node)
    return keep


def _unwrap_zone(root: HtmlElement, zone_css: str) -> None:
    """The old zone and its wrappers as plain elements: their classes (``article__content``,
    ``…__content-container``) would draw the extractor to the zone alone when the body goes
    on outside it (a partial redesign)."""
    for node in root.cssselect(zone_css):
        for wrapper in [node, *node.iterancestors()]:
            if wrapper.tag not in ("html", "body"):
                wrapper.attrib.clear()


def prune(root: HtmlElement, zone_css: str) -> HtmlElement:
    """A copy of ``root`` (a parsed page) without widgets; the original is left alone."""
    tree = copy.deepcopy(root)
    keep = _protected(tree, zone_css)
    for node in list(tree.iter(*_DROP_TAGS)):
        if node not in keep and node.getparent() is not None:
            node.drop_tree()
    for node in list(tree.iter()):
        if not isinstance(node.tag, str) or node in keep or node.tag in _KEEP_TAGS:
            continue
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if names.strip() and _WIDGET.search(names) and node.getparent() is not None:
            node.drop_tree()
    return tree


@dataclass(frozen=True)
class PrunedPage:
    """The page without its widgets, and how much of its text lies in the old zone."""

    #: the ``<body>`` as an HTML document for a text extractor, the zone unwrapped
    html: str = ""
    #: letters (and digits) of the page's text without widgets
    letters: int = 0
    #: ... of which inside the old article zone (0 without one)
    zone_letters: int = 0


def _letters(node: HtmlElement) -> int:
    return sum(map(str.isalnum, node.text_content()))


def page_without_widgets(root: HtmlElement, zone_css: str) -> PrunedPage:
    """The page's ``<body>`` with its widgets cut, and its text inside and outside the zone
    (``zone_css``: every part of it, e.g. the intro and the content)."""
    tree = prune(root, zone_css)
    body = tree.find(".//body")
    if not isinstance(body, HtmlElement):
        return PrunedPage()
    zone_letters = sum(_letters(node) for node in body.cssselect(zone_css))
    letters = _letters(body)
    _unwrap_zone(tree, zone_css)
    html = "<html>" + lxml.html.tostring(body, encoding="unicode") + "</html>"
    return PrunedPage(html, letters, zone_letters)
