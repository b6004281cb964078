"""What extraction reads of one article page, declared once: the page objects fill it
(``crawler.items.ArticleFields.body``) and extraction reads it in the crawl's process or, sent
as JSON, in a pool worker (``pipelines.extraction.pool``): only these fields travel, never the
article's metadata."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True)
class ArticleBody:
    """An article page's body, as HTML: the site's article zone and, when the zone is
    missing or too small, the whole page."""

    #: the article's own text zone (intro + body blocks, widgets removed)
    zone_html: str = field(default="", repr=False)
    #: whether the page has the site's article zone at all (a redesign removes it)
    has_zone: bool = True
    #: the whole page without its widgets, for generic extraction (``crawler.pages.boilerplate``);
    #: only when the zone is missing or too small ("" otherwise)
    page_html: str = field(default="", repr=False)
    #: letters of that page's text outside the zone, the headline and the standfirst: text
    #: the zone lacks (a body that goes on outside it) when it is more than a label
    outside_zone: int = 0

    def read(self) -> ArticleBody:
        """The body once extracted: the whole page need not travel on with the item."""
        return replace(self, page_html="")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, payload: str) -> ArticleBody:
        return cls(**json.loads(payload))
