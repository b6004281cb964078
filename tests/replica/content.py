"""Deterministic article generator: fillers, planted positives, traps and special cases."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from html import escape
from typing import Any

from . import prose_filler as pf
from .model import (
    ANCHOR,
    MSK,
    START,
    Article,
    Author,
    Block,
    html_paragraphs,
    join_paragraphs,
    slugify,
)
from .prose_planted import (
    DEEP_HOSTS,
    DEEP_MENTIONS_POST,
    DEEP_MENTIONS_PRE,
    HEADLINE_STORIES,
    OPINION_COLUMNS,
    SEED,
    SEED_RELATED,
    SUBTITLE_ONLY,
    TITLE_ONLY,
    Story,
)
from .prose_traps import TRAP_CAPTIONS_POST, TRAP_CAPTIONS_PRE, TRAP_STORIES

ASSAD_FALL = datetime(2024, 12, 8, tzinfo=MSK)
POSITIVE_KINDS = ("seed", "headline", "deep", "opinion", "subtitle_only", "title")
TRAP_KINDS = ("syria_only", "turkey_only", "earthquake", "kurds", "refugees",
              "other_normalization", "aside_trap", "caption_trap")
_POSITIVE_CYCLE = ("headline", "deep", "opinion", "headline", "deep", "subtitle_only",
                   "headline", "deep", "title", "opinion")
_TRAP_CYCLE = ("aside_trap", "earthquake", "syria_only", "turkey_only", "kurds",
               "other_normalization", "caption_trap", "refugees", "other_normalization",
               "syria_only", "turkey_only", "aside_trap", "caption_trap", "kurds")
_DEEP_TOPICS = ("diplomacy", "energy", "kremlin", "sanctions", "economy", "wagner", "iran")
_HOST_TOPICS = ("diplomacy", "kremlin", "economy", "war", "energy", "society")
ALL_TOPICS: dict[str, dict[str, tuple[str, ...]]] = {**pf.TOPICS, **DEEP_HOSTS}


def plan_counts(n: int) -> tuple[int, int, int]:
    """(positives, traps, no_body) for n generated articles."""
    if n <= 0:
        return 0, 0, 0
    pos = max(1, round(0.08 * n))
    if n >= 300:
        pos = max(12, pos)
    pos = min(pos, n)
    traps = min(round(0.10 * n), max(0, n - pos - 1))
    no_body = 1 if n - pos - traps >= 3 else 0
    return pos, traps, no_body


def key_rate(when: datetime) -> str:
    """Roughly the Bank of Russia key rate at a date, for realistic economy stories."""
    steps = ((datetime(2023, 7, 21, tzinfo=MSK), "7.5"), (datetime(2023, 8, 15, tzinfo=MSK), "8.5"),
             (datetime(2023, 10, 27, tzinfo=MSK), "13"), (datetime(2023, 12, 15, tzinfo=MSK), "15"),
             (datetime(2024, 7, 26, tzinfo=MSK), "16"), (datetime(2024, 10, 25, tzinfo=MSK), "18"),
             (datetime(2025, 6, 6, tzinfo=MSK), "21"), (datetime(2025, 10, 24, tzinfo=MSK), "20"),
             (datetime(2026, 2, 13, tzinfo=MSK), "16.5"))
    for until, rate in steps:
        if when < until:
            return rate
    return "15"


class Generator:
    """Builds the article list for one (n, seed); every choice comes from one seeded RNG."""

    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(f"mtwatch-replica:{seed}")
        self.articles: list[Article] = []
        self._aside_wants: dict[int, str] = {}  # index in articles -> "normal" | "trap"
        self._rr: dict[str, int] = {}
        self._titles: set[str] = set()

    # ---- small helpers -------------------------------------------------------------------
    def _next(self, key: str, pool: tuple[Any, ...]) -> Any:
        """Round-robin over a pool, starting at a seeded offset (so reuse is spread evenly)."""
        if key not in self._rr:
            self._rr[key] = self.rng.randrange(len(pool))
        i = self._rr[key]
        self._rr[key] = i + 1
        return pool[i % len(pool)]

    def _time_on(self, day: datetime) -> datetime:
        hour = self.rng.choice((8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22))
        sec = 0 if self.rng.random() < 0.8 else self.rng.randrange(60)
        when = day.replace(hour=hour, minute=self.rng.randrange(60), second=sec, microsecond=0)
        return min(when, ANCHOR - timedelta(minutes=20 + self.rng.randrange(90)))

    def _in_window(self, window: tuple[str, str]) -> datetime:
        lo = max(datetime.fromisoformat(window[0]).replace(tzinfo=MSK), START)
        hi = min(datetime.fromisoformat(window[1]).replace(tzinfo=MSK), ANCHOR - timedelta(days=1))
        hi = max(hi, lo)
        day = lo + timedelta(days=self.rng.randint(0, (hi - lo).days))
        return self._time_on(day)

    def _anywhere(self) -> datetime:
        days = (ANCHOR - START).days - 1
        return self._time_on(START + timedelta(days=self.rng.randint(0, days)))

    def ctx(self, when: datetime) -> dict[str, str]:
        r = self.rng
        first, last = r.choice(pf.FIRST), r.choice(pf.LAST)
        return {
            "region": r.choice(pf.REGIONS), "region2": r.choice(pf.REGIONS),
            "republic": r.choice(pf.REPUBLICS), "city": r.choice(pf.CITIES),
            "city2": r.choice(pf.CITIES), "person": f"{first} {last}", "surname": last,
            "person2": f"{r.choice(pf.FIRST)} {r.choice(pf.LAST)}",
            "company": r.choice(pf.COMPANIES), "country": r.choice(pf.FOREIGN),
            "emigre_city": r.choice(pf.EMIGRE_CITIES), "n": str(r.randint(3, 9)),
            "n2": str(r.randint(2, 12)), "big": str(r.randint(120, 950)),
            "pct": f"{r.uniform(3, 19):.1f}", "pct2": f"{r.uniform(5, 35):.0f}",
            "rate": key_rate(when), "day": pf.WEEKDAYS[when.weekday()],
            "heat": str(r.randint(34, 41)),
            "year": str(when.year - r.randint(2, 8)),
            "month": ("January", "February", "March", "April", "May", "June", "July",
                      "August", "September", "October", "November", "December")[r.randrange(12)],
        }

    def authors(self, spec: tuple[str, ...] | None, opinion: bool = False) -> tuple[Author, ...]:
        r = self.rng
        if spec is None:
            roll = r.random()
            spec = (("reporter",) if roll < 0.45 else ("AFP",) if roll < 0.65
                    else ("Reuters",) if roll < 0.8 else ())
        out: list[Author] = []
        for who in spec:
            if who == "reporter":
                pool = pf.COLUMNISTS if opinion else pf.REPORTERS
                picks = r.sample(pool, 2 if r.random() < 0.12 else 1)
                out.extend(_person(name, photo, opinion) for name, photo in picks)
            else:
                out.append(Author(who, slugify(who)))
        return tuple(out)

    # ---- article assembly ----------------------------------------------------------------
    def make(self, *, title: str, when: datetime, kind: str, positive: bool, section: str,
             paragraphs: list[str], subtitle: str = "", excerpt: str = "",
             authors: tuple[Author, ...] = (), tags: tuple[str, ...] = (), caption: str = "",
             credits: str = "", subheads: tuple[str, ...] = (), quotes: tuple[str, ...] = (),
             aside: str | None = "normal", first_block: int | None = None,
             image_caption: str = "") -> Article:
        r = self.rng
        updated = r.random() < 0.22
        delta = timedelta(minutes=r.randint(11, 480) if updated else r.randint(0, 8))
        art = Article(
            id=0, title=title, slug=slugify(title), published=when,
            modified=min(when + delta, ANCHOR), section=section, kind=kind, positive=positive,
            subtitle=subtitle, excerpt=excerpt, authors=authors, tags=tags,
            caption=caption, credits=credits,
            created=when - timedelta(hours=r.randint(1, 30)),
        )
        art.blocks = self.blocks(paragraphs, subheads, quotes, first_block, image_caption)
        if aside is not None:
            self._aside_wants[len(self.articles)] = aside
        self.articles.append(art)
        return art

    def blocks(self, paragraphs: list[str], subheads: tuple[str, ...], quotes: tuple[str, ...],
               first_block: int | None, image_caption: str = "") -> list[Block]:
        """Body blocks from plain-text paragraphs (escaped here)."""
        r = self.rng
        html = [escape(p, quote=False) for p in paragraphs]
        k = first_block or min(len(html), r.randint(2, 4))
        out = [Block("html", join_paragraphs(html[:k]))]
        rest = html[k:]
        if not rest:
            return out
        cut = r.randint(1, len(rest)) if len(rest) > 1 else 1
        extras: list[Block] = []
        if subheads and r.random() < 0.35:
            extras.append(Block("header", r.choice(subheads)))
        if quotes and r.random() < 0.3:
            name = f"{r.choice(pf.FIRST)} {r.choice(pf.LAST)}"
            extras.append(Block("quote", r.choice(quotes), by=name if r.random() < 0.6 else ""))
        if r.random() < 0.25:
            extras.append(Block("image", caption=image_caption or "A view of the area.",
                                credits=r.choice(pf.CREDITS)))
        out.append(Block("html", join_paragraphs(rest[:cut])))
        out.extend(extras)
        if rest[cut:]:
            out.append(Block("html", join_paragraphs(rest[cut:])))
        return out

    def topic_article(self, topic: str, when: datetime, kind: str = "filler",
                      positive: bool = False, aside: str | None = "normal",
                      section: str | None = None) -> Article:
        """A story built from a topic's templates."""
        r, t = self.rng, ALL_TOPICS[topic]
        c = self.ctx(when)
        title = self._fresh_title(t["headlines"], c)
        pool = [p.format(**c) for p in t["paragraphs"]]
        # The lead paragraph is the one that best matches the headline; the rest is sampled.
        lead = max(range(len(pool)), key=lambda i: (_overlap(title, pool[i]), -i))
        rest = pool[:lead] + pool[lead + 1 :]
        n_para = r.randint(4, 12)
        own = [pool[lead], *r.sample(rest, min(len(rest), n_para - 1))]
        extra = min(len(pf.GENERIC), max(0, n_para - len(own)))
        paragraphs = own + [p.format(**c) for p in r.sample(pf.GENERIC, extra)]
        sec = section or r.choice(t["sections"])
        excerpt = r.choice(t["excerpts"]).format(**c) if r.random() < 0.85 else ""
        if excerpt and r.random() < 0.06:
            excerpt += "\n\n" + r.choice(t["excerpts"]).format(**c)
        picked = r.sample(t["tags"], min(3, len(t["tags"])))
        tags = tuple(dict.fromkeys(x.format(**c) for x in picked))
        art = self.make(
            title=title, when=when, kind=kind, positive=positive, section=sec,
            paragraphs=paragraphs, subtitle=r.choice(t["subtitles"]).format(**c), excerpt=excerpt,
            authors=self.authors(("reporter",) if sec == "opinion" else None, sec == "opinion"),
            tags=tags,
            caption=r.choice(t["captions"]).format(**c), credits=r.choice(pf.CREDITS),
            subheads=t["subheads"], quotes=t["quotes"], aside=aside,
            image_caption=r.choice(t["captions"]).format(**c),
        )
        if r.random() < 0.12:
            art.intro = r.choice(t["excerpts"]).format(**c)
        if r.random() < 0.05:  # the slug kept an earlier version of the headline
            art.slug = slugify(r.choice(t["headlines"]).format(**c))
        return art

    def _fresh_title(self, templates: tuple[str, ...], c: dict[str, str]) -> str:
        """A headline not used yet when possible (templates repeat across many articles)."""
        title = ""
        for _ in range(8):
            title = self.rng.choice(templates).format(**c)
            if title not in self._titles:
                break
        self._titles.add(title)
        return title

    def story_article(self, story: Story, kind: str, positive: bool, when: datetime,
                      title: str | None = None, section: str = "news") -> Article:
        c = self.ctx(when)
        paragraphs = [p.format(**c) for p in story["paragraphs"]]
        opinion = section == "opinion"
        return self.make(
            title=title or story["titles"][0], when=when, kind=kind, positive=positive,
            section=story.get("section", section), paragraphs=paragraphs,
            subtitle=story.get("subtitle", ""), excerpt=story.get("excerpt", ""),
            authors=self.authors(("reporter",) if opinion else story.get("authors", ()), opinion),
            tags=tuple(story.get("tags", ())), caption=story.get("caption", ""),
            credits=story.get("credits", ""), aside="positive" if positive else "normal",
        )


_COMMON = {"russia", "russian", "russias", "with", "from", "after", "says", "over", "into", "amid",
           "their", "than", "that", "this", "have", "been", "were", "will", "said"}


def _overlap(title: str, paragraph: str) -> int:
    def words(s: str) -> set[str]:
        return set(re.findall(r"[a-z]{4,}", s.lower().replace("’", ""))) - _COMMON
    return len(words(title) & words(paragraph))


def _person(name: str, photo: bool, opinion: bool) -> Author:
    role = "a columnist" if opinion else "a reporter"
    return Author(name, slugify(name), photo, f"{name} is {role} for The Moscow Times.",
                  "@" + slugify(name).replace("-", "") if photo else "")


def _at(parts: tuple[int, int, int, int, int]) -> datetime:
    year, month, day, hour, minute = parts
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def seed_article(g: Generator) -> Article:
    when = _at(SEED["published"])
    paras = list(SEED["paragraphs_before_aside"]) + list(SEED["paragraphs_after_aside"])
    art = g.make(title=SEED["title"], when=when, kind="seed", positive=True, section="news",
                 paragraphs=paras, excerpt=SEED["excerpt"], authors=g.authors(("AFP",)),
                 tags=SEED["tags"], caption=SEED["caption"], credits=SEED["credits"],
                 aside="seed", first_block=len(SEED["paragraphs_before_aside"]))
    art.id = SEED["id"]
    art.modified = when + timedelta(minutes=4)
    # One block after the aside, exactly as the seed page: no extra image/quote/header blocks.
    after = join_paragraphs(list(SEED["paragraphs_after_aside"]))
    art.blocks = [art.blocks[0], Block("html", after)]
    return art


def seed_related(g: Generator) -> Article:
    s = SEED_RELATED
    when = _at(s["published"])
    art = g.make(title=s["title"], when=when, kind="headline", positive=True, section="news",
                 paragraphs=list(s["paragraphs"]), subtitle=s["subtitle"], excerpt=s["excerpt"],
                 authors=g.authors(("AFP",)), tags=s["tags"], caption=s["caption"],
                 credits=s["credits"], aside=None)
    art.modified = when + timedelta(minutes=2)
    return art


def planted_positive(g: Generator, kind: str) -> Article:
    r = g.rng
    if kind == "headline":
        story = g._next("headline", HEADLINE_STORIES)
        return g.story_article(story, kind, True, g._in_window(story["window"]),
                               title=r.choice(story["titles"]))
    if kind == "opinion":
        story = g._next("opinion", OPINION_COLUMNS)
        return g.story_article(story, kind, True, g._in_window(story["window"]),
                               section="opinion")
    if kind in ("subtitle_only", "title"):
        pool = SUBTITLE_ONLY if kind == "subtitle_only" else TITLE_ONLY
        story = g._next(kind, pool)
        return g.story_article(story, kind, True, g._in_window(story["window"]))
    # deep: an unrelated story whose only mention is one sentence deep in the body
    when = g._anywhere()
    art = g.topic_article(g._next("deep", _DEEP_TOPICS), when, "deep", True,
                                      aside="normal", section="news")
    mentions = DEEP_MENTIONS_PRE if when < ASSAD_FALL else DEEP_MENTIONS_POST
    sentence = r.choice(mentions)
    html_blocks = [b for b in art.blocks if b.type == "html"]
    target = html_blocks[-1] if len(html_blocks) > 1 else html_blocks[0]
    paras = html_paragraphs(target.body)
    at = max(0, len(paras) - 2) if len(html_blocks) > 1 else len(paras) - 1
    paras[at] = f"{paras[at]} {escape(sentence, quote=False)}"
    target.body = join_paragraphs(paras)
    return art


def planted_trap(g: Generator, kind: str) -> Article:
    if kind in TRAP_STORIES:
        story = g._next(kind, TRAP_STORIES[kind])
        return g.story_article(story, kind, False, g._in_window(story["window"]))
    when = g._anywhere()
    if kind == "aside_trap":
        return g.topic_article(g._next("host", _HOST_TOPICS), when, kind, aside="trap")
    art = g.topic_article(g.rng.choice(("diplomacy", "kremlin")), when, kind)
    pool: tuple[tuple[str, str], ...]
    if when >= ASSAD_FALL:
        pool = TRAP_CAPTIONS_POST
    elif when >= datetime(2023, 5, 11, tzinfo=MSK):
        pool = TRAP_CAPTIONS_PRE
    else:  # before the May 2023 ministers' meeting only the generic caption fits
        pool = TRAP_CAPTIONS_PRE[1:]
    art.caption, art.credits = g.rng.choice(pool)
    return art
