"""Assemble the full article list: schedule, IDs, in-body asides, corpus and the soft-404 ghost."""

from __future__ import annotations

from datetime import datetime, timedelta

from . import prose_filler as pf
from .content import (
    _POSITIVE_CYCLE,
    _TRAP_CYCLE,
    POSITIVE_KINDS,
    TRAP_KINDS,
    Generator,
    plan_counts,
    planted_positive,
    planted_trap,
    seed_article,
    seed_related,
)
from .corpus import CorpusEntry, CorpusError
from .model import ANCHOR, MIN_ID, START, Article, Author, Block, base_id, slugify
from .prose_planted import SEED_RELATED
from .prose_traps import ASIDE_FALLBACK_TITLES


def build_articles(n: int, seed: int, corpus: list[CorpusEntry] | None = None) -> list[Article]:
    """All published articles plus one unpublished ghost (`ghost=True`), IDs assigned."""
    g = Generator(n, seed)
    pos, traps, no_body = plan_counts(n)
    if n >= 1:
        seed_article(g)
    if pos >= 2:
        seed_related(g)
    for i in range(max(0, pos - 2)):
        planted_positive(g, _POSITIVE_CYCLE[i % len(_POSITIVE_CYCLE)])
    for i in range(traps):
        planted_trap(g, _TRAP_CYCLE[i % len(_TRAP_CYCLE)])
    if no_body:
        video_article(g)
    fillers(g, n - pos - traps - no_body)
    reserved = _corpus_ids(corpus or [], g.articles)
    corpus_articles(g, corpus or [])
    assign_ids(g, reserved)
    resolve_asides(g)
    g.articles.append(ghost_article(g, reserved))
    return g.articles


def fillers(g: Generator, count: int) -> None:
    if count <= 0:
        return
    r = g.rng
    span = ANCHOR - START
    day: datetime | None = None
    made: list[Article] = []
    for i in range(count):
        when = START + span * ((i + r.uniform(0.15, 0.95)) / count)
        if day is not None and r.random() < 0.12:
            when = day  # several stories on the same day
        day = when.replace(hour=0, minute=0, second=0, microsecond=0)
        art = g.topic_article(r.choice(tuple(pf.TOPICS)), g._time_on(day))
        made.append(art)
    ru = made[r.randrange(len(made))]
    html_blocks = [b for b in ru.blocks if b.type == "html"]
    html_blocks[-1].body += (
        f'\n<p>This article was <a href="{pf.RU_LINK}" target="_blank">first published</a> by '
        "The Moscow Times' Russian service.</p>"
    )
    if count >= 20:  # one recent title with a raw "&": makes the news sitemap invalid XML
        amp = made[-1] if made[-1].published > ANCHOR - timedelta(days=25) else made[-2]
        c = g.ctx(amp.published)
        amp.title, amp.section = pf.AMPERSAND_TITLE, "business"
        amp.slug = slugify(pf.AMPERSAND_TITLE)
        amp.blocks = g.blocks([p.format(**c) for p in pf.AMPERSAND_PARAGRAPHS], (), (), 2)
        amp.tags, amp.excerpt, amp.subtitle = ("Wildberries", "Business"), "", ""


def video_article(g: Generator) -> Article:
    r = g.rng
    when = g._anywhere()
    art = g.make(title=r.choice(pf.VIDEO_TITLES), when=when, kind="no_body", positive=False,
                 section="news", paragraphs=[], subtitle="Watch our video report.",
                 excerpt="A short video report from The Moscow Times.", tags=("Video",),
                 caption="A still from the video.", credits="The Moscow Times", aside=None)
    art.blocks = []
    art.type = "video"
    code = "".join(r.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-")
                   for _ in range(11))
    art.video = f"https://www.youtube.com/watch?v={code}"
    return art


def corpus_articles(g: Generator, entries: list[CorpusEntry]) -> None:
    r = g.rng
    span = ANCHOR - START
    for i, e in enumerate(entries):
        when = e.date or g._time_on(START + span * ((i + r.uniform(0.1, 0.9)) / len(entries)))
        art = g.make(
            title=e.title, when=when, kind="corpus", positive=bool(e.label), section=e.section,
            paragraphs=list(e.paragraphs),
            authors=tuple(Author(a, slugify(a)) for a in e.authors), aside=None,
        )
        art.id = e.id or 0


def _corpus_ids(entries: list[CorpusEntry], generated: list[Article]) -> set[int]:
    ids = {e.id for e in entries if e.id is not None}
    clash = ids & {a.id for a in generated if a.id}
    if clash:
        raise CorpusError(f"corpus id {min(clash)} is reserved for a generated article")
    return ids


def _free(candidate: int, taken: set[int]) -> int:
    for step in range(10_000):
        for c in (candidate + step, candidate - step):
            if c >= MIN_ID and c not in taken:
                taken.add(c)
                return c
    raise RuntimeError("no free article id")  # pragma: no cover


def assign_ids(g: Generator, reserved: set[int]) -> None:
    """IDs follow the date mapping with jitter; a few 'late drafts' carry much older IDs."""
    r = g.rng
    taken = set(reserved) | {a.id for a in g.articles if a.id}
    order = sorted(g.articles, key=lambda x: (x.published, x.title))
    late = {i for i in range(len(order)) if r.random() < 0.06}
    if not late and len(order) >= 10:  # always at least one, so IDs are never monotonic
        late.add(r.randrange(len(order) // 2, len(order)))
    for i, a in enumerate(order):
        if a.id:
            continue
        if i in late:  # draft created weeks before it was published
            drafted = a.published - timedelta(days=r.uniform(3, 45))
            a.created = max(drafted, START)
            a.id = _free(round(base_id(drafted)), taken)
        else:
            a.id = _free(round(base_id(a.published)) + r.randint(-6, 6), taken)


def resolve_asides(g: Generator) -> None:
    """Insert the in-body related-article aside (block 1) where the generator asked for one."""
    r = g.rng
    arts = g.articles
    positives = sorted((a for a in arts if a.positive and a.kind != "corpus"),
                       key=lambda a: a.published)
    plain = sorted((a for a in arts if a.kind == "filler"), key=lambda a: a.published)
    for index, want in sorted(g._aside_wants.items()):
        art = arts[index]
        target: Article | None = None
        if want == "seed":
            target = next((a for a in arts if a.title == SEED_RELATED["title"]), None)
            block = _aside_block(target, SEED_RELATED["title"])
        elif want == "trap":  # the aside must carry a Syria–Turkey *headline*
            headed = [p for p in positives if p.kind in ("seed", "headline", "title", "opinion")]
            older = [p for p in headed if p.published < art.published]
            target = older[-1] if older else (headed[0] if headed else None)
            block = _aside_block(target, ASIDE_FALLBACK_TITLES[0])
        else:
            pool = positives if want == "positive" and r.random() < 0.5 else plain
            older = [a for a in pool if a.published < art.published and a is not art]
            if r.random() < 0.35 or not older:
                continue
            target = r.choice(older[-12:])
            block = _aside_block(target, target.title)
        art.blocks.insert(1, block)


def _aside_block(target: Article | None, fallback_title: str) -> Block:
    if target is None:
        return Block("article", fallback_title, ref=None, caption=slugify(fallback_title))
    return Block("article", target.title, ref=target.id, caption=target.slug,
                 by="opinion" if target.opinion else "news")


def ghost_article(g: Generator, reserved: set[int]) -> Article:
    """An item listed in the feed/sitemap whose page is gone: the soft-404 case."""
    when = ANCHOR - timedelta(hours=20, minutes=35)
    taken = reserved | {a.id for a in g.articles}
    art = Article(id=_free(round(base_id(when)) + 3, taken), title=pf.GHOST_TITLE,
                  slug=slugify(pf.GHOST_TITLE), published=when, modified=when, section="news",
                  kind="ghost", excerpt="The court said the investigation needed more time.",
                  ghost=True, created=when - timedelta(hours=2))
    art.blocks = [Block("html", "<p>The article has been unpublished.</p>")]
    return art


def truth_for(articles: list[Article], seed: int, base: str) -> dict[str, object]:
    """The ground truth document (see the README of the replica for the shape)."""
    live = sorted((a for a in articles if not a.ghost), key=lambda a: (a.published, a.id))
    return {
        "seed": seed,
        "articles": [
            {"id": a.id, "url": base + a.path, "title": a.title,
             "published": a.published.isoformat(timespec="seconds"), "kind": a.kind,
             "positive": a.positive, "section": a.section}
            for a in live
        ],
        "positives": sorted(a.id for a in live if a.positive),
        "traps": sorted(a.id for a in live if a.kind in TRAP_KINDS),
        "soft404_urls": [base + a.path for a in articles if a.ghost],
        "no_body": sorted(a.id for a in live if a.kind == "no_body"),
    }


__all__ = ["POSITIVE_KINDS", "TRAP_KINDS", "build_articles", "truth_for"]
