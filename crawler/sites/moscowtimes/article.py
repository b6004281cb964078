"""Page object: one Moscow Times article page → fields and the body zone. No requests."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import datetime
from typing import Any

import lxml.html
from lxml.html import HtmlElement
from parsel import Selector

from crawler.items import ArticleFields
from crawler.pages.boilerplate import measure, page_without_widgets
from crawler.pages.index import ElementIndex, texts
from crawler.pages.meta import MetaTags
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.article import ArticleBody
from pipelines.extraction.letters import letter_count
from pipelines.extraction.paths import zone_is_enough
from pipelines.untrusted import clean_line

# Body blocks that carry the article's own words. Related-article asides (--article),
# images and their captions, embeds (tweets, Telegram) and links are not the article's text.
_BODY_BLOCKS = ("article__block--html", "article__block--header", "article__block--quote",
                "article__block--aside")
_NOT_TEXT = ("aside", "figure", "figcaption", "script", "style", "noscript", "iframe",
             "section", "form", "button")
_DEEP_HTML = lxml.html.HTMLParser(huge_tree=True)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: the same characters as UTF-8 bytes, each made a space (``bytes.translate``)
_CONTROL_BYTES = bytes(0x20 if _CONTROL.match(chr(b)) else b for b in range(256))
_NOT_TEXT_XPATH = "|".join(f".//{tag}" for tag in _NOT_TEXT)
_TITLE_SUFFIX = " - The Moscow Times"
#: the site's article text zone (its template since ~2018), and every part the body comes from
ZONE_CSS = "div.article__content"
_ZONE_PARTS = "div.article__intro, div.article__content"
#: JSON-LD types that describe the article itself (a redesign may change NewsArticle)
_LD_ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle",
                               "AnalysisNewsArticle", "OpinionNewsArticle", "BlogPosting",
                               "LiveBlogPosting", "Report"})
#: a standfirst is a sentence or two; longer text after the headline is body
_STANDFIRST_MAX = 400
#: the tags and classes the page object asks for (crawler.pages.index: one walk finds all)
_TAGS = ("html", "link", "script", "h1")
_CLASSES = ("article__header", "article__content", "article__intro", "article__block",
            "byline__author__name", "article__tags", "tag")


def _clean(text: str | None) -> str:
    """A field as it enters mtwatch: entities decoded by the parser, then one line of visible
    text (controls, bidi overrides and other format characters gone: pipelines.untrusted)."""
    return clean_line(text or "")


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp with offset (``2023-05-10T14:25:00+03:00``), else None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


class ArticlePage:
    """Parse an article page; ``is_soft_404`` first, since the site answers 200 "Oops!"."""

    def __init__(self, url: str, html: str | bytes, site: SiteUrls) -> None:
        """``html``: the page's text, or its UTF-8 bytes (a worker's job: read as they came,
        never decoded nor encoded again)."""
        self.url = url
        self.site = site
        self.sel, self.sha256 = _parsed(html)
        self._metas: MetaTags | None = None
        self._ld: dict[str, Any] | None = None
        self.index = index = ElementIndex(self.sel.root, _TAGS, _CLASSES)
        #: ``header.article__header``, ``div.article__content``, ``div.article__intro``
        self._headers = index.with_class("article__header", "header")
        self._zones = index.with_class("article__content", "div")
        self._intros = index.with_class("article__intro", "div")

    @property
    def is_soft_404(self) -> bool:
        """The site's "page not found" view, served with HTTP 200."""
        if self._zones or self.index.descendants(self._headers, "h1"):
            return False
        heading = _clean(" ".join(self.sel.css("h1 ::text, h2 ::text").getall()))
        return "Oops" in heading or "couldn't find" in heading or "page-item" in self._body_class

    @property
    def _body_class(self) -> str:
        return self.sel.css("body::attr(class)").get() or ""

    def fields(self) -> ArticleFields | None:
        """The article's fields, or None when the page is not an article (no headline or ID)."""
        ref = self._canonical()
        headline = self._headline()
        if ref is None or not headline:
            return None
        ld = self._news_article_ld()
        subtitle = self._subtitle()
        h1 = self.index.tag("h1")
        text = measure(self.sel.root, _ZONE_PARTS,
                       zone=self.index.ordered([*self._intros, *self._zones]), h1=h1[:1])
        outside = max(text.letters - text.zone_letters
                      - letter_count(headline + subtitle), 0)
        has_zone = self.has_zone
        whole_page = not has_zone or not zone_is_enough(outside)
        return ArticleFields(
            url=ref.url,
            article_id=ref.article_id,
            headline=headline,
            subtitle=subtitle,
            authors=self._authors() or _ld_names(ld.get("author")),
            published=self._meta_time("article:published_time") or parse_datetime(
                _ld_text(ld.get("datePublished"))),
            modified=self._meta_time("article:modified_time") or parse_datetime(
                _ld_text(ld.get("dateModified"))),
            section=_clean(_ld_text(ld.get("articleSection")) or self._meta("article:section")),
            tags=self._tags(),
            language=(_clean(self._lang()) or "en").split("-")[0].lower(),
            html_sha256=self.sha256,
            body=ArticleBody(
                zone_html=self.body_html(),
                has_zone=has_zone,
                page_html=(page_without_widgets(self.sel.root, _ZONE_PARTS) if whole_page
                           else ""),
                outside_zone=outside,
            ),
        )

    @property
    def has_zone(self) -> bool:
        """The site's article zone is on the page (even if empty, as on a video page)."""
        return bool(self._zones)

    def body_html(self) -> str:
        """Intro plus the text blocks of ``div.article__content``, without widgets."""
        parts = [_html(intro) for intro in self._intros]
        zones = set(self._zones)
        for block in self.index.with_class("article__block", "div"):
            if block.getparent() not in zones:  # div.article__content > div.article__block
                continue
            classes = block.get("class", "")
            if any(name in classes for name in _BODY_BLOCKS):
                parts.append(_without_widgets(block))
        return "<div>" + "\n".join(parts) + "</div>"

    def _lang(self) -> str | None:
        """``html::attr(lang)``."""
        return next((node.get("lang") for node in self.index.tag("html")
                     if node.get("lang") is not None), None)

    def _canonical_href(self) -> str | None:
        """``link[rel="canonical"]::attr(href)``."""
        return next((link.get("href") for link in self.index.tag("link")
                     if link.get("rel") == "canonical" and link.get("href") is not None), None)

    def _canonical(self) -> Any:
        for candidate in (self._canonical_href(), self._meta("og:url"), self.url):
            if candidate and (ref := self.site.article(candidate)) is not None:
                return ref
        return None

    def _headline(self) -> str:
        """The template's h1, else what the page says of itself as an article (og:title,
        the JSON-LD headline, twitter:title): a redesign that renames the header keeps the
        headline, and a page that is no article (a "not found" page) has none."""
        headline = _clean(" ".join(texts(self.index.descendants(self._headers, "h1"))))
        candidates = (headline, self._meta("og:title"),
                      _clean(_ld_text(self._news_article_ld().get("headline"))),
                      self._meta("twitter:title"))
        for text in candidates:
            if text:
                return text.removesuffix(_TITLE_SUFFIX).strip()
        return ""

    def _subtitle(self) -> str:
        """The template's h2, else the standfirst: a short text block right after the h1."""
        if self._headers:
            return _clean(" ".join(texts(self.index.descendants(self._headers, "h2"))))
        after = self.sel.xpath("(//h1)[1]/following-sibling::*[1]")
        if not after or after[0].root.tag not in ("h2", "p", "div"):
            return ""
        if after.css("a, time, img, ul, ol, div div"):
            return ""  # a byline or a widget, not a standfirst
        text = _clean(" ".join(after.css("::text").getall()))
        return text if len(text) <= _STANDFIRST_MAX else ""

    def _authors(self) -> list[str]:
        names = [_clean(n) for n in texts(self.index.with_class("byline__author__name"))]
        return list(dict.fromkeys(n for n in names if n))

    def _tags(self) -> list[str]:
        links = self.index.descendants(self.index.with_class("article__tags"), "a")
        tags = [_clean(t) for t in texts(a for a in links if a in self._tag_class)]
        if not any(tags):
            tags = [_clean(t) for t in self._meta("article:tag").split(",")]
        return list(dict.fromkeys(t for t in tags if t))

    def _meta(self, prop: str) -> str:
        if self._metas is None:
            self._metas = MetaTags(self.sel.root)
        return _clean(self._metas.get(prop))

    def _meta_time(self, prop: str) -> datetime | None:
        return parse_datetime(self._meta(prop))

    @property
    def _tag_class(self) -> set[HtmlElement]:
        return set(self.index.with_class("tag"))

    def _news_article_ld(self) -> dict[str, Any]:
        """The article's JSON-LD block (NewsArticle, or another article type after a
        redesign); the site's other blocks may be invalid JSON."""
        if self._ld is None:
            self._ld = self._find_news_article_ld()
        return self._ld

    def _find_news_article_ld(self) -> dict[str, Any]:
        scripts = [node.text for node in self.index.tag("script")
                   if node.get("type") == "application/ld+json" and node.text]
        for raw in scripts:
            try:
                data = json.loads(raw)
            except (ValueError, RecursionError):
                continue
            for node in data if isinstance(data, list) else [data]:
                if isinstance(node, dict) and _ld_text(node.get("@type")) in _LD_ARTICLE_TYPES:
                    return node
        return {}


def _parsed(html: str | bytes) -> tuple[Selector, str]:
    """The page's selector and the SHA-256 of its UTF-8 bytes.

    lxml refuses C0 control characters in tails and attributes (ValueError): they become
    spaces first, never text. type="html": parsel would read a JSON-looking body ("{}") as JSON
    and refuse CSS. UTF-8 bytes are read as they are (in UTF-8 a byte below 0x20 is always
    that character), as parsel reads the text once stripped and encoded; it strips Unicode
    whitespace around the text, so bytes that begin or end outside ASCII are read as text.
    """
    if isinstance(html, bytes):
        sha256 = hashlib.sha256(html).hexdigest()
        body = html.translate(_CONTROL_BYTES).strip()
        if body and body[0] < 0x80 and body[-1] < 0x80:
            return Selector(body=body, encoding="utf-8", type="html"), sha256
        html = html.decode("utf-8", "replace")
    else:
        sha256 = hashlib.sha256(html.encode("utf-8", "replace")).hexdigest()
    return Selector(text=_CONTROL.sub(" ", html), type="html"), sha256


def _ld_text(value: Any) -> str:
    """A JSON-LD value as text: strings as they are, the first of a list, never a dict."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


def _ld_names(value: Any) -> list[str]:
    """Author names from JSON-LD (a Person, or a list of them)."""
    people = value if isinstance(value, list) else [value]
    names = [_clean(_ld_text(p.get("name"))) for p in people if isinstance(p, dict)]
    return list(dict.fromkeys(n for n in names if n))


def strip_widgets(block: Selector) -> str:
    """The block's HTML with nested asides, figures, scripts and ad slots removed."""
    # huge_tree: libxml2 would silently drop text nested deeper than 255 (bar row B1)
    root = lxml.html.fragment_fromstring(str(block.get()), parser=_DEEP_HTML)
    for node in root.xpath(_NOT_TEXT_XPATH):
        node.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def _without_widgets(block: HtmlElement) -> str:
    """``strip_widgets`` of an element of the page's own tree, read from a copy of it (no
    second parse)."""
    root = copy.deepcopy(block)
    root.tail = None
    for node in root.xpath(_NOT_TEXT_XPATH):
        node.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def _html(node: HtmlElement) -> str:
    """The element's HTML as a CSS query's ``.get()`` gives it."""
    return lxml.html.tostring(node, method="html", encoding="unicode", with_tail=False)


__all__ = ["ZONE_CSS", "ArticleFields", "ArticlePage", "parse_datetime", "strip_widgets"]
