"""The CMS replicas' content: the replica's seeded articles (planted positives, traps,
fillers; tests/replica/catalog.py) or the Russian edition's, as plain stories any layout
renders, and the truth file that says which are positives."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime

from tests.replica.catalog import build_articles
from tests.replica.model import Article, html_paragraphs, strip_tags
from tests.replica.russian import build_russian_site


@dataclass(frozen=True)
class Story:
    """One article of a CMS replica, whatever its layout."""

    key: int
    title: str
    subtitle: str
    published: datetime
    paragraphs: tuple[str, ...]
    author: str
    kind: str
    positive: bool
    #: an in-body box linking another story (a trap when that story is a positive)
    aside: str = ""
    #: the featured image's caption (a trap when it alone mentions the topic)
    caption: str = ""
    slug_words: tuple[str, ...] = field(default=())


def _story(a: Article) -> Story:
    paragraphs = [strip_tags(p) for b in a.blocks if b.type == "html"
                  for p in html_paragraphs(b.body)]
    asides = [b.body for b in a.blocks if b.type == "article"]
    return Story(key=a.id, title=a.title, subtitle=a.subtitle or a.intro, published=a.published,
                 paragraphs=tuple(paragraphs), author=", ".join(x.name for x in a.authors),
                 kind=a.kind, positive=a.positive, aside=asides[0] if asides else "",
                 caption=a.caption, slug_words=tuple(a.slug.split("-")[:8]))


def english_stories(seed: int, count: int = 40) -> list[Story]:
    """The seeded replica's visible articles with a body (no ghost, no video)."""
    return [_story(a) for a in build_articles(count, seed)
            if not a.ghost and a.type != "video" and a.kind != "no_body"]


#: the Russian edition's opinion column (81095) is labelled negative there but today's rules
#: match it (a column on Ankara–Damascus relations): neither a positive nor a trap, left out
_UNSETTLED = frozenset({81095})


def russian_stories() -> list[Story]:
    """The Russian edition's articles (a positive, Russian traps), with Cyrillic slugs."""
    site = build_russian_site()
    return [Story(key=a.id, title=a.title, subtitle=a.subtitle, published=a.published,
                  paragraphs=tuple(a.paragraphs()), author="Редакция", kind=a.kind,
                  positive=a.positive, slug_words=tuple(a.title.lower().split()[:6]))
            for a in site.articles if a.id not in _UNSETTLED]


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def truth(layout: str, base: str, stories: list[Story], url_of: dict[int, str],
          soft404: list[str]) -> dict[str, object]:
    return {
        "layout": layout,
        "articles": [{"key": s.key, "url": base + url_of[s.key], "title": s.title,
                      "kind": s.kind, "positive": s.positive} for s in stories],
        "positives": [base + url_of[s.key] for s in stories if s.positive],
        "traps": [base + url_of[s.key] for s in stories
                  if not s.positive and s.kind != "filler"],
        "soft404_urls": [base + u for u in soft404],
    }
