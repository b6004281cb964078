"""Page object for any news site's article: fields from JSON-LD (NewsArticle), OpenGraph and
the page's metas; the body from the site's selector override, else the whole page for the
generic extraction (pipelines.extraction.body). No requests."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from parsel import Selector

from crawler.items import ArticleFields
from crawler.pages.boilerplate import measure, page_without_widgets
from crawler.pages.meta import MetaTags
from crawler.sites.common import parse_time
from crawler.sites.generic.selectors import is_xpath, select
from crawler.sites.moscowtimes.article import strip_widgets
from pipelines.extraction.article import ArticleBody
from pipelines.extraction.letters import letter_count
from pipelines.extraction.paths import zone_is_enough
from pipelines.untrusted import clean_line

if TYPE_CHECKING:
    from crawler.sites.generic.urls import GenericUrls

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: JSON-LD types of an article (schema.org's Article and its news subtypes)
_LD_ARTICLE = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                         "OpinionNewsArticle", "BackgroundNewsArticle", "BlogPosting",
                         "LiveBlogPosting", "Report", "WebPageArticle"})
#: a CSS selector that matches nothing: the zone of a page read as a whole
_NO_ZONE = "mtwatch-no-zone"
#: what a "not found" page says in its title or heading (English, Russian, Turkish, Arabic)
_NOT_FOUND = re.compile(
    r"\b(?:404|page not found|not found|no longer available|nothing (?:was )?found)\b|"
    r"страница не найдена|ничего не найдено|sayfa bulunamad|الصفحة غير موجودة",
    re.IGNORECASE)
_ERROR_BODY = re.compile(r"(?:^|\s)(?:error404|error-404|page-not-found|not-found)(?:\s|$)")


def _clean(text: str | None) -> str:
    return clean_line(text or "")


def _text(value: Any) -> str:
    """A JSON-LD value as text: a string, the first of a list, never a dict."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


def _ld_nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of a block: a list, an ``@graph`` or one object."""
    for node in data if isinstance(data, list) else [data]:
        if isinstance(node, dict):
            yield node
            graph = node.get("@graph")
            if isinstance(graph, list):
                yield from (n for n in graph if isinstance(n, dict))


def _is_article(node: dict[str, Any]) -> bool:
    kinds = node.get("@type")
    return bool(set(kinds if isinstance(kinds, list) else [kinds]) & _LD_ARTICLE)


class GenericArticlePage:
    """One article page of a generic site; ``is_soft_404`` first (many sites answer 200)."""

    def __init__(self, url: str, html: str, urls: GenericUrls, *, zone: str = "",
                 headline: str = "", published: str = "", language: str = "",
                 timezone: ZoneInfo | None = None) -> None:
        self.url = url
        self.html = html
        self.urls = urls
        self.zone = zone
        self.headline_selector = headline
        self.published_selector = published
        self.language = language or "en"
        self.timezone = timezone
        self.sel = Selector(text=_CONTROL.sub(" ", html), type="html")
        self._metas: MetaTags | None = None
        self.ld = self._article_ld()

    @property
    def is_soft_404(self) -> bool:
        """The site's "not found" page served with HTTP 200: an error class on ``<body>``, or a
        title or heading that says so on a page that calls itself no article."""
        if self.ld:
            return False
        if _ERROR_BODY.search(self.sel.css("body::attr(class)").get() or ""):
            return True
        said = " ".join(self.sel.css("title ::text, h1 ::text").getall())
        return bool(_NOT_FOUND.search(_clean(said)))

    def fields(self) -> ArticleFields | None:
        """The article's fields, or None when the page is not an article of the site."""
        url = self._canonical()
        headline = self._headline()
        if url is None or not headline:
            return None
        return ArticleFields(
            url=url, article_id=0, headline=headline, subtitle=self._subtitle(),
            authors=self._authors(), published=self._published(),
            modified=self._time(_text(self.ld.get("dateModified"))
                                or self._meta("article:modified_time")),
            section=_clean(_text(self.ld.get("articleSection"))
                           or self._meta("article:section")),
            tags=self._tags(), language=self._language(),
            html_sha256=hashlib.sha256(self.html.encode("utf-8", "replace")).hexdigest(),
            body=self._body(),
        )

    # ---- identity ---------------------------------------------------------------------

    def _canonical(self) -> str | None:
        """The first of rel=canonical, og:url, the JSON-LD url and the address it was fetched
        from that is an article URL of this site (as the site spells it)."""
        entity = self.ld.get("mainEntityOfPage")
        candidates = (self.sel.css('link[rel~="canonical"]::attr(href)').get(),
                      self._meta("og:url"), _text(self.ld.get("url")),
                      _text(entity.get("@id")) if isinstance(entity, dict) else _text(entity),
                      self.url)
        for candidate in candidates:
            if candidate and (ref := self.urls.article(candidate)) is not None:
                return ref.url
        return None

    # ---- fields -----------------------------------------------------------------------

    def _headline(self) -> str:
        if self.headline_selector:
            found = _clean(" ".join(select(self.sel, self.headline_selector)
                                    .xpath("string()").getall()))
            if found:
                return found
        for text in (_clean(_text(self.ld.get("headline"))), self._meta("og:title"),
                     _clean(" ".join(self.sel.css("article h1 ::text").getall())),
                     _clean(" ".join(self.sel.css("h1 ::text").getall()[:8])),
                     self._meta("twitter:title")):
            if text:
                return text
        return ""

    def _subtitle(self) -> str:
        return _clean(_text(self.ld.get("description")) or self._meta("og:description")
                      or self._meta("description"))

    def _authors(self) -> list[str]:
        people = self.ld.get("author")
        names = [_clean(_text(p.get("name"))) for p in
                 (people if isinstance(people, list) else [people]) if isinstance(p, dict)]
        names += [_clean(p) for p in (people if isinstance(people, list) else [people])
                  if isinstance(p, str)]
        if not any(names):
            names = [self._meta("author"), self._meta("article:author")]
            names += [_clean(n) for n in self.sel.css('[rel="author"] ::text').getall()]
        return list(dict.fromkeys(n for n in names if n and "://" not in n))

    def _published(self) -> datetime | None:
        if self.published_selector:
            found = select(self.sel, self.published_selector)
            value = found.attrib.get("datetime") or found.attrib.get("content") or _clean(
                found.xpath("string()").get())
            if (when := self._time(value)) is not None:
                return when
        return self._time(_text(self.ld.get("datePublished"))
                          or self._meta("article:published_time")
                          or self.sel.css("article time::attr(datetime)").get()
                          or self.sel.css("time[datetime]::attr(datetime)").get())

    def _tags(self) -> list[str]:
        keywords = self.ld.get("keywords")
        tags = (keywords if isinstance(keywords, list)
                else str(keywords or "").split(","))
        tags += self.sel.css('meta[property="article:tag"]::attr(content)').getall()
        cleaned = (_clean(t) for t in tags if isinstance(t, str))
        return list(dict.fromkeys(t for t in cleaned if t))

    def _language(self) -> str:
        said = (_clean(self.sel.css("html::attr(lang)").get())
                or _clean(_text(self.ld.get("inLanguage"))) or self._meta("og:locale"))
        return (said.replace("_", "-").split("-")[0].lower() or self.language)[:8]

    # ---- body -------------------------------------------------------------------------

    def _body(self) -> ArticleBody:
        """The override zone when the site names one (with the page for generic extraction
        when the zone is too small), else the whole page."""
        blocks = select(self.sel, self.zone) if self.zone else None
        if not blocks:
            return ArticleBody(has_zone=False,
                               page_html=page_without_widgets(self.sel.root, _NO_ZONE))
        zone_html = "<div>" + "\n".join(strip_widgets(b) for b in blocks) + "</div>"
        if is_xpath(self.zone):  # the text measure reads CSS zones only
            return ArticleBody(zone_html=zone_html)
        text = measure(self.sel.root, self.zone)
        headline = letter_count(self._headline())
        outside = max(text.letters - text.zone_letters - headline, 0)
        page = "" if zone_is_enough(outside) else page_without_widgets(self.sel.root, self.zone)
        return ArticleBody(zone_html=zone_html, page_html=page, outside_zone=outside)

    # ---- page metadata ----------------------------------------------------------------

    def _meta(self, prop: str) -> str:
        if self._metas is None:
            self._metas = MetaTags(self.sel.root)
        return _clean(self._metas.get(prop))

    def _time(self, value: str | None) -> datetime | None:
        return parse_time(value, self.timezone)

    def _article_ld(self) -> dict[str, Any]:
        for raw in self.sel.css('script[type="application/ld+json"]::text').getall():
            try:
                data = json.loads(raw)
            except (ValueError, RecursionError):
                continue
            for node in _ld_nodes(data):
                if _is_article(node):
                    return node
        return {}
