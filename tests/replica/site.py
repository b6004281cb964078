"""The replica site model: published articles, lookups and the per-page widgets.

Pure: no sockets, no wall clock. `Site.now` is the site's clock (the fixed anchor by default);
only articles published at or before it are visible, so later work can move the clock to
"publish" pre-generated articles.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .catalog import build_articles, truth_for
from .corpus import CorpusEntry, CorpusError, load_corpus, parse_entries
from .model import ANCHOR, Article, slugify

REAL_BASE = "https://www.themoscowtimes.com"

# listing path -> predicate key (see Site.section_items)
LISTINGS = {
    "news": "news", "opinion": "opinion", "business": "business", "arts-and-life": "city",
    "climate": "climate", "diaspora": "diaspora", "ukraine-war": "ukraine_war",
    "features": "indepth", "meanwhile": "meanwhile",
}


@dataclass
class Response:
    """What the router returns; the HTTP layer adds validators, encoding and framing."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    cache_control: str = "max-age=300, 300, public"


class Site:
    """All articles of one replica build, with indexes and widget selection."""

    def __init__(self, articles: list[Article], seed: int, now: datetime = ANCHOR,
                 layout: str = "classic") -> None:
        self.seed = seed
        self.all_articles = articles
        self.by_id = {a.id: a for a in articles}
        #: the article template (``redesign.LAYOUTS``), and per-article exceptions
        self.layout = layout
        self.layout_overrides: dict[int, str] = {}
        #: article pages brought to about this many KB with page furniture (``furniture.py``)
        self.page_kb: int | None = None
        #: the pages' language: "en", or "ru" for the Russian edition (tests/replica/russian.py)
        self.lang = "en"
        self.set_now(now)

    def layout_of(self, article_id: int) -> str:
        return self.layout_overrides.get(article_id, self.layout)

    def set_now(self, now: datetime) -> None:
        """Move the site clock; visibility and every index follow it."""
        self.now = now
        live = [a for a in self.all_articles if not a.ghost and a.published <= now]
        self.articles = sorted(live, key=lambda a: (a.published, a.id), reverse=True)
        self._pos = {a.id: i for i, a in enumerate(self.articles)}
        self.by_slug: dict[str, Article] = {}
        for a in self.articles:
            self.by_slug.setdefault(a.slug, a)
        self.positives = [a for a in self.articles if a.positive]
        self.ghosts = [a for a in self.all_articles if a.ghost and a.published <= now]

    # ---- lookups ---------------------------------------------------------------------------
    def live(self, article_id: int) -> Article | None:
        a = self.by_id.get(article_id)
        return a if a is not None and a.id in self._pos else None

    def truth(self, base: str = REAL_BASE) -> dict[str, object]:
        return truth_for([*self.articles, *self.ghosts], self.seed, base)

    def feed_items(self, section: str) -> list[Article]:
        """Newest first, ghosts included (the feed was built before the item was pulled)."""
        items = sorted([*self.articles, *self.ghosts], key=lambda a: (a.published, a.id),
                       reverse=True)
        if section == "all":
            return items
        return [a for a in items if _in_section(a, section)]

    def section_items(self, key: str) -> list[Article]:
        return [a for a in self.articles if _in_section(a, key)]

    def tag_items(self, tag_slug: str) -> list[Article]:
        return [a for a in self.articles if tag_slug in {slugify(t) for t in a.tags}]

    def author_items(self, author_slug: str) -> list[Article]:
        return [a for a in self.articles if author_slug in {x.slug for x in a.authors}]

    def tag_title(self, tag_slug: str) -> str | None:
        for a in self.articles:
            for t in a.tags:
                if slugify(t) == tag_slug:
                    return t
        return None

    # ---- widgets ---------------------------------------------------------------------------
    def next_older(self, a: Article) -> Article | None:
        i = self._pos[a.id] + 1
        return self.articles[i] if i < len(self.articles) else None

    def just_in(self, a: Article, count: int = 7) -> list[Article]:
        """The latest headlines at the time the article was published."""
        i = self._pos[a.id]
        older = self.articles[i + 1 : i + 1 + count]
        newer = self.articles[max(0, i - (count - len(older))) : i]
        return older + newer[::-1]

    def most_read(self, a: Article, count: int = 5) -> list[Article]:
        """Popular recent stories; a recent planted positive is pushed in on purpose (a trap)."""
        i = self._pos[a.id]
        older = self.articles[i + 1 : i + 40]
        window = [x for x in older if x.published >= a.published - timedelta(days=21)]
        if len(window) < count:
            window = older[:30] + self.articles[max(0, i - 30) : i]
        ranked = sorted(window, key=lambda x: -self._score(x, "read") - (0.4 * x.positive))
        picks = ranked[:count]
        recent = self._recent_positive(a, days=60)
        if recent is not None and recent not in picks and recent is not a:
            picks = [*picks[:1], recent, *picks[1 : count - 1]]
        return picks

    def related(self, a: Article, count: int = 4) -> list[Article]:
        """Bottom "Read more": same tags, else same section, else latest; sometimes a positive."""
        i = self._pos[a.id]
        older = self.articles[i + 1 :]
        tags = set(a.tags)
        picks = [x for x in older[:200] if tags & set(x.tags)][:count]
        for pool in ([x for x in older[:60] if x.section == a.section], older, self.articles[:i]):
            picks += [x for x in pool if x not in picks and x is not a][: count - len(picks)]
        if not a.positive and self._score(a, "cluster") < 0.4:
            near = self._recent_positive(a, days=400)
            if near is not None and near not in picks and near is not a:
                picks = [*picks[: count - 1], near]
        return picks[:count]

    def _recent_positive(self, a: Article, days: int) -> Article | None:
        for p in self.positives:
            if p.published < a.published:
                return p if p.published >= a.published - timedelta(days=days) else None
        return None

    def _score(self, a: Article, salt: str) -> float:
        digest = hashlib.sha256(f"{self.seed}:{salt}:{a.id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64


def _in_section(a: Article, key: str) -> bool:
    """`news` is the news flag (news, analysis, business, ...); other keys are sections."""
    return a.news_flag if key == "news" else a.section == key


CorpusInput = str | Path | list[CorpusEntry] | list[dict[str, Any]] | None


def build_site(articles: int = 300, seed: int = 1, corpus: CorpusInput = None,
               now: datetime = ANCHOR, layout: str = "classic") -> Site:
    """Generate the whole site for (articles, seed[, corpus]): pure and deterministic.

    `corpus` is a JSONL path, decoded rows, or parsed entries; bad input raises CorpusError.
    `layout` is the article template (see ``redesign.py``).
    """
    if articles < 0:
        raise ValueError("articles must be >= 0")
    return Site(build_articles(articles, seed, _entries(corpus)), seed, now, layout)


def _entries(corpus: CorpusInput) -> list[CorpusEntry] | None:
    if corpus is None:
        return None
    if isinstance(corpus, (str, Path)):
        return load_corpus(corpus)
    if corpus and all(isinstance(c, CorpusEntry) for c in corpus):
        return [c for c in corpus if isinstance(c, CorpusEntry)]
    if not all(isinstance(c, dict) for c in corpus):
        raise CorpusError("corpus: each entry must be a mapping")
    return parse_entries([c for c in corpus if isinstance(c, dict)])
