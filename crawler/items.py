"""The item that flows from the spider through the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class ArticleItem:
    """One article page, as parsed by the page object and enriched by the pipelines.

    The spider fills the page fields; ``CleanPipeline`` fills ``text``; ``DetectPipeline``
    fills ``verdicts``; ``StorePipeline`` persists it.
    """

    url: str
    article_id: int
    headline: str
    #: the site this article belongs to (``[sites.<name>]``)
    site: str = "moscowtimes"
    #: the site's own stable ID of the article (its numeric ID as text), or its canonical URL
    article_key: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    section: str = ""
    tags: list[str] = field(default_factory=list)
    language: str = "en"
    html_sha256: str = ""
    #: the page's body zone as HTML (intro + text blocks, widgets removed); never persisted
    html: str = field(default="", repr=False)
    #: whether the page has the site's article zone (False after a redesign)
    has_zone: bool = True
    #: the whole page without its widgets, for generic extraction; never persisted
    page_html: str = field(default="", repr=False)
    #: letters of that page outside the zone, headline and standfirst (a body split off it)
    outside_zone: int = 0
    #: clean article body (trafilatura on the body zone), filled by CleanPipeline
    text: str = field(default="", repr=False)
    #: how the body was read: "zone", "generic", …, "no_body", "extraction_failed:…"
    #: (``pipelines.extraction.paths``)
    extraction: str = "pending"
    #: one ``pipelines.matcher.Verdict`` per enabled topic, filled by DetectPipeline
    verdicts: list[Any] = field(default_factory=list, repr=False)
