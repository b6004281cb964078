"""StoryIndex: which earlier article, if any, reports the same story as a new one.

Pure and deterministic: no clock (the article's published time is the only time), no I/O,
seeded MinHash permutations, and ties broken by insertion order. Its whole state is a plain
JSON-able dict (:meth:`StoryIndex.to_state` / :meth:`StoryIndex.from_state`) so a store can
persist it; the LSH buckets and inverted lists are rebuilt from it on load.

How a new article finds its story (every comparison is against articles published within
``window`` of it, either side):

1. **exact copy** — the same folded body (or headline, for a body-less item) as an earlier
   article: it joins that article's story;
2. **same text** — candidates come from MinHash LSH over word shingles of the body. The
   MinHash Jaccard estimate and the two shingle-set sizes give the *containment* of the
   smaller text in the larger one, so a copy trimmed to its first paragraphs still scores
   high; a re-ordered, re-headlined or lightly edited copy too. Containment of at least
   ``body_strong`` groups on its own; at least ``body_weak`` groups when the headlines
   agree or the facts path (3) agrees;
3. **same facts** — for the other language's edition and for rewrites, candidates come from
   an inverted index of language-independent anchors (:mod:`.anchors`): the pair groups
   when enough of the smaller article's names *and* enough of its figures and dates are
   also in the other. Names alone never group: two stories about the same people on the
   same day share them.

The best-scoring match wins (exact > text > facts; then the score; then the earliest
article), and the new article joins that article's story. Stories never merge: a story id
handed out (the id of the story's first article) stays valid, as alerts are threaded on it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from pipelines.stories import anchors as anchor_mod
from pipelines.stories import minhash
from pipelines.stories.text import content_terms, shingles, tokens

STATE_VERSION = 1


@dataclass(frozen=True)
class StoryParams:
    """Thresholds and sizes; the defaults are tuned on the dev split of
    tests/data/syndicated_pairs.jsonl (see bench/stories.py)."""

    num_perm: int = 128
    seed: int = 1515
    shingle_size: int = 3
    #: seconds either side of an article's published time within which it may group
    window: float = 72 * 3600.0
    lsh_threshold: float = 0.15
    #: containment that groups on its own (dev: same-story >= 0.49, near misses <= 0.26)
    body_strong: float = 0.4
    #: containment that groups with the headlines' or the facts' support
    body_weak: float = 0.25
    headline_support: float = 0.3
    #: facts path: share of the smaller article's names found in the other
    fact_names: float = 0.4
    #: facts path: share of the smaller article's figures and dates found in the other
    fact_share: float = 0.75
    #: facts path: weight of the figures and dates in common (a year weighs 0.5)
    fact_min: float = 1.0
    #: anchors shared by more articles than this in the index do not propose candidates
    max_posting: int = 500
    #: bodies shorter than this many words are shingled with their headline
    short_body: int = 40

    def __post_init__(self) -> None:
        if self.num_perm < 16 or self.shingle_size < 1 or self.window < 0:
            raise ValueError("num_perm >= 16, shingle_size >= 1 and window >= 0 are required")
        for name in ("lsh_threshold", "body_strong", "body_weak", "headline_support",
                     "fact_names", "fact_share"):  # fmt: skip
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")


@dataclass(frozen=True)
class Article:
    """What the index needs of an article."""

    id: str
    site: str
    language: str
    published: datetime
    headline: str
    text: str


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its story, whether that story is new, and why."""

    story_id: str
    new_story: bool
    matched: str | None = None  #: the earlier article it was grouped with
    signal: str = "new"  #: "new", "exact", "text", "facts" or "known" (seen before)
    score: float = 0.0


@dataclass
class _Entry:
    id: str
    site: str
    language: str
    published: float
    story: str
    seq: int
    digest: str
    size: int
    hashvalues: list[int]
    headline: list[str]
    names: list[str]
    facts: list[str]
    _minhash: minhash.Signature | None = field(default=None, repr=False, compare=False)
    _headline: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _names: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _facts: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self) -> None:
        self._headline = frozenset(self.headline)
        self._names = frozenset(self.names)
        self._facts = frozenset(self.facts)

    def state(self) -> dict[str, Any]:
        """The public fields, lists copied (what ``asdict`` gave, without its recursive deep
        copy of every hash value: the whole index is saved with each transaction that files
        an article, and ``asdict`` made that save cost 0.8 ms per indexed article)."""
        return {"id": self.id, "site": self.site, "language": self.language,
                "published": self.published, "story": self.story, "seq": self.seq,
                "digest": self.digest, "size": self.size, "hashvalues": list(self.hashvalues),
                "headline": list(self.headline), "names": list(self.names),
                "facts": list(self.facts)}


def _language(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-", 1)[0]


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Containment of the smaller set in the larger, from their Jaccard index and sizes."""
    if size_a == 0 or size_b == 0:
        return 0.0
    value = jaccard * (size_a + size_b) / ((1.0 + jaccard) * min(size_a, size_b))
    return min(value, 1.0)


class StoryIndex:
    """Groups articles into stories as they arrive (see the module's docstring)."""

    def __init__(self, params: StoryParams | None = None) -> None:
        self.params = params or StoryParams()
        p = self.params
        self._permutations = minhash.permutations(p.num_perm, p.seed)
        self._lsh = minhash.BandedLSH(*minhash.lsh_bands(p.lsh_threshold, p.num_perm),
                                      num_perm=p.num_perm)
        self._entries: dict[str, _Entry] = {}
        self._by_digest: dict[str, list[str]] = defaultdict(list)
        self._by_anchor: dict[str, list[str]] = defaultdict(list)
        self._stories: dict[str, list[str]] = {}
        self._seq = 0

    # --- queries ---------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def story_of(self, article_id: str) -> str | None:
        entry = self._entries.get(article_id)
        return entry.story if entry else None

    def members(self, story_id: str) -> list[str]:
        """The story's articles still in the index, in the order they were added."""
        return list(self._stories.get(story_id, ()))

    # --- adding ----------------------------------------------------------------------

    def add(self, article: Article) -> Assignment:
        """File an article under a story (an earlier one, or a new one of its own).

        Adding an id already in the index changes nothing and returns its story."""
        known = self._entries.get(article.id)
        if known is not None:
            return Assignment(known.story, new_story=False, signal="known")
        if article.published.tzinfo is None:
            raise ValueError(f"article {article.id!r}: published time has no timezone")
        entry = self._make_entry(article)
        best = self._best_match(entry)
        if best is None:
            entry.story = entry.id
            assignment = Assignment(entry.id, new_story=True)
        else:
            matched, signal, score = best
            entry.story = matched.story
            assignment = Assignment(matched.story, False, matched.id, signal, score)
        self._insert(entry)
        return assignment

    def add_many(self, articles: Iterable[Article]) -> list[Assignment]:
        return [self.add(a) for a in articles]

    def prune(self, before: datetime) -> int:
        """Forget the articles published before ``before`` (they can no longer be matched;
        their stories' ids stay what they were). Returns how many were forgotten."""
        cutoff = before.timestamp()
        old = [e for e in self._entries.values() if e.published < cutoff]
        for entry in old:
            self._remove(entry)
        return len(old)

    # --- internals -------------------------------------------------------------------

    def _make_entry(self, article: Article) -> _Entry:
        p = self.params
        body = tokens(article.text)
        head = tokens(article.headline)
        source = body if len(body) >= p.short_body else head + body
        grams = shingles(source, p.shingle_size)
        signature = minhash.signature((g.encode("utf-8") for g in sorted(grams)),
                                      self._permutations)
        digest_source = " ".join(body) if body else " ".join(head)
        digest = (
            hashlib.sha256(digest_source.encode("utf-8")).hexdigest() if digest_source else ""
        )
        found = anchor_mod.extract(article.headline, article.text)
        self._seq += 1
        entry = _Entry(
            id=article.id,
            site=article.site,
            language=_language(article.language),
            published=article.published.timestamp(),
            story="",
            seq=self._seq,
            digest=digest,
            size=len(grams),
            hashvalues=signature.tolist(),
            headline=sorted(content_terms(head)),
            names=sorted(found.names),
            facts=sorted(found.facts),
        )
        entry._minhash = signature
        return entry

    def _in_window(self, a: _Entry, b: _Entry) -> bool:
        return abs(a.published - b.published) <= self.params.window

    def _candidates(self, entry: _Entry) -> list[_Entry]:
        ids: set[str] = set()
        if entry.digest:
            ids.update(self._by_digest.get(entry.digest, ()))
        if entry.size:
            ids.update(self._lsh.query(self._minhash_of(entry)))
        # the facts path needs figures and dates in common: only articles that share enough
        weights: dict[str, float] = defaultdict(float)
        for key in entry.facts:
            posting = self._by_anchor.get(key, ())
            if len(posting) <= self.params.max_posting:
                weight = anchor_mod.fact_weight(key)
                for other in posting:
                    weights[other] += weight
        ids.update(i for i, w in weights.items() if w >= self.params.fact_min)
        found = (self._entries[i] for i in ids if i in self._entries)
        return sorted((e for e in found if self._in_window(entry, e)), key=lambda e: e.seq)

    def _best_match(self, entry: _Entry) -> tuple[_Entry, str, float] | None:
        best: tuple[int, float, int] | None = None
        chosen: tuple[_Entry, str, float] | None = None
        for other in self._candidates(entry):
            verdict = self._judge(entry, other)
            if verdict is None:
                continue
            signal, score = verdict
            rank = ({"exact": 3, "text": 2, "facts": 1}[signal], score, -other.seq)
            if best is None or rank > best:
                best, chosen = rank, (other, signal, score)
        return chosen

    def _judge(self, a: _Entry, b: _Entry) -> tuple[str, float] | None:
        """Whether two articles report the same story: (signal, score) or None."""
        p = self.params
        if a.digest and a.digest == b.digest:
            return "exact", 1.0
        if a.language == b.language and a.size and b.size:
            jac = minhash.jaccard(self._minhash_of(a), self._minhash_of(b))
            body = containment(jac, a.size, b.size)
            if body >= p.body_strong:
                return "text", body
            if body >= p.body_weak and (
                _jaccard(a._headline, b._headline) >= p.headline_support
                or self._same_facts(a, b) is not None
            ):
                return "text", body
        score = self._same_facts(a, b)
        return None if score is None else ("facts", score)

    def _same_facts(self, a: _Entry, b: _Entry) -> float | None:
        """The facts path: most names and nearly all figures and dates in common."""
        p = self.params
        shared = a._facts & b._facts
        if sum(anchor_mod.fact_weight(k) for k in shared) < p.fact_min:
            return None
        names = _overlap(a._names, b._names)
        facts = _overlap(a._facts, b._facts)
        if names >= p.fact_names and facts >= p.fact_share:
            return (names + facts) / 2
        return None

    def _minhash_of(self, entry: _Entry) -> minhash.Signature:
        if entry._minhash is None:
            entry._minhash = np.array(entry.hashvalues, dtype=np.uint32)
        return entry._minhash

    def _insert(self, entry: _Entry) -> None:
        self._entries[entry.id] = entry
        self._stories.setdefault(entry.story, []).append(entry.id)
        if entry.digest:
            self._by_digest[entry.digest].append(entry.id)
        if entry.size:
            self._lsh.insert(entry.id, self._minhash_of(entry))
        for key in entry.facts:
            self._by_anchor[key].append(entry.id)

    def _remove(self, entry: _Entry) -> None:
        del self._entries[entry.id]
        members = self._stories.get(entry.story, [])
        if entry.id in members:
            members.remove(entry.id)
        if not members:
            self._stories.pop(entry.story, None)
        if entry.digest:
            self._by_digest[entry.digest].remove(entry.id)
            if not self._by_digest[entry.digest]:
                del self._by_digest[entry.digest]
        if entry.size:
            self._lsh.remove(entry.id)
        for key in entry.facts:
            self._by_anchor[key].remove(entry.id)
            if not self._by_anchor[key]:
                del self._by_anchor[key]

    # --- state -----------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Everything the index knows, as JSON-able data."""
        entries = sorted(self._entries.values(), key=lambda e: e.seq)
        return {
            "version": STATE_VERSION,
            "params": asdict(self.params),
            "seq": self._seq,
            "articles": [e.state() for e in entries],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoryIndex:
        """An index equal to the one that produced ``state``."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(
                f"story index state version {state.get('version')!r} is not {STATE_VERSION}"
            )
        index = cls(StoryParams(**state["params"]))
        for data in state["articles"]:
            index._insert(_Entry(**data))
        index._seq = int(state["seq"])
        return index
