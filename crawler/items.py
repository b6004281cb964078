"""The article as the crawl carries it: what its page says (``ArticleFields``, the result of
every site's page object), and the item that takes it through the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipelines.extraction.article import ArticleBody
from pipelines.storage.records import DEFAULT_SITE, ArticleMeta


@dataclass(frozen=True, kw_only=True)
class ArticleFields(ArticleMeta):
    """What an article page says about itself: the article's metadata (``ArticleMeta``, what
    the store keeps) and its body as HTML (``ArticleBody``), which only extraction reads."""

    body: ArticleBody = field(default_factory=ArticleBody, repr=False)


@dataclass
class ArticleItem:
    """One article page, as parsed by the page object and enriched by the pipelines.

    The spider gives it the page's ``fields`` and the site; ``CleanPipeline`` fills ``text``;
    ``DetectPipeline`` fills ``verdicts``; ``StorePipeline`` stores the metadata and the text
    (``ArticleRecord.of``), never the HTML.
    """

    fields: ArticleFields
    #: the site this article belongs to (``[sites.<name>]``)
    site: str = DEFAULT_SITE
    #: the site's own stable ID of the article (its numeric ID as text), or its canonical URL
    article_key: str = ""
    #: clean article body (trafilatura on the body zone), filled by CleanPipeline
    text: str = field(default="", repr=False)
    #: how the body was read: "zone", "generic", …, "no_body", "extraction_failed:…"
    #: (``pipelines.extraction.paths``)
    extraction: str = "pending"
    #: one ``pipelines.matcher.Verdict`` per enabled topic, filled by DetectPipeline
    verdicts: list[Any] = field(default_factory=list, repr=False)

    @property
    def key(self) -> str:
        """The article's key on its site: ``article_key``, else its numeric ID as text."""
        return self.article_key or str(self.fields.article_id)
