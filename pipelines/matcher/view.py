"""One sentence seen as words: side mentions with roles, relation cues and flags."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from .fold import Folded
from .lexicon import CUE, DEV, EXCL, HEDGE, NEAR1, NEAR2, NEG, SIDE, THIRD, Hit
from .segment import Token, tokens
from .topic import Context, Topic

NONPARTY = "nonparty"
# What may stand between two words of one noun phrase ("Turkey's long-awaited thaw",
# "Turkish-Syrian talks"): spaces, hyphens, a plural possessive's apostrophe. Not a comma.
_JOINED = re.compile(r"[\s'-]*")


@dataclass(frozen=True, slots=True)
class Mention:
    """A side term in a sentence, at word positions ``first..last``.

    ``role`` is "actor" (a government or its people), "place" (the country as such) or
    "nonparty" (refugees, a region, a topic of talks…). ``linkable`` marks a place that is
    nonparty only because of the word before it ("to Syria"), which a bridge may still use.
    ``possessive``: written "Turkey's"/"Syrians'". ``governs``: the mention is the possessor
    or the modifier of a relation cue ("to Türkiye's rapprochement", "in Turkish-Syrian
    talks"), so it is that cue's party whatever word precedes it.
    """

    side: int
    first: int
    last: int
    role: str
    linkable: bool
    hit: Hit
    possessive: bool = False
    governs: bool = False


@dataclass(frozen=True, slots=True)
class Cue:
    """A relation cue of class ``cls`` at word positions ``first..last``."""

    cls: str
    first: int
    last: int
    transitive: bool
    hits: tuple[Hit, ...]


@dataclass(slots=True)
class SentenceView:
    """Everything the rules look at in one sentence (offsets are folded-text offsets)."""

    start: int
    end: int
    words: list[str]
    capitals: list[bool] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    third: list[tuple[int, int, Hit]] = field(default_factory=list)
    exclusions: dict[str, Hit] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    _starts: dict[int, Mention] | None = None
    _named: tuple[set[int], set[int]] | None = None

    def mention_starting(self, pos: int) -> Mention | None:
        """The side mention whose first word is at ``pos``."""
        if self._starts is None:
            self._starts = {m.first: m for m in self.mentions}
        return self._starts.get(pos)

    def named_positions(self) -> tuple[set[int], set[int]]:
        """Word positions covered by side mentions, and by third-party names."""
        if self._named is None:
            sides = {p for m in self.mentions for p in range(m.first, m.last + 1)}
            third = {p for first, last, _ in self.third for p in range(first, last + 1)}
            self._named = (sides, third)
        return self._named

    @property
    def title_case(self) -> bool:
        """Headline-style capitalization, where capitals say nothing about proper names."""
        long_words = [cap for cap, word in zip(self.capitals, self.words, strict=True)
                      if len(word) > 3]
        return len(long_words) > 1 and sum(long_words) * 2 > len(long_words)

    def sides(self, *, parties_only: bool = False) -> set[int]:
        """Which sides are mentioned (optionally: as parties, not as mere places or topics)."""
        return {m.side for m in self.mentions if not parties_only or m.role != NONPARTY}


def build_view(folded: Folded, original: str, span: tuple[int, int], hits: list[Hit],
               topic: Topic) -> SentenceView:
    """Build the view of the folded sentence ``span`` from the hits inside it."""
    toks = tokens(folded.text, *span)
    capitals = [original[folded.to_orig(t.start)].isupper() for t in toks]
    view = SentenceView(span[0], span[1], [t.word for t in toks], capitals)
    starts = [t.start for t in toks]
    if not toks:
        return view
    near: list[tuple[Hit, int, int]] = []
    sides: list[tuple[Hit, int, int]] = []
    for hit in hits:
        first = max(0, bisect_right(starts, hit.start) - 1)
        last = max(first, bisect_right(starts, hit.end - 1) - 1)
        if hit.kind == SIDE:
            sides.append((hit, first, last))
        else:
            _place(view, hit, first, last, topic, near)
    view.cues.extend(_near_cues(near, topic))
    # joined[i]: token i follows token i - 1 inside one run of words (no comma, bracket…).
    joined = [False] + [_JOINED.fullmatch(folded.text, one.end, two.start) is not None
                        for one, two in pairwise(toks)]
    governing = _governing(sides, toks, joined, view, topic)
    for (hit, first, last), governs in zip(sides, governing, strict=True):
        # Context words are read within the mention's run of joined words: a comma ends it
        # ("rapprochement with Syria, trucks are crossing" is not "Syria trucks").
        lo, hi = first, last + 1
        while lo > 0 and joined[lo]:
            lo -= 1
        while hi < len(toks) and joined[hi]:
            hi += 1
        words = view.words[lo:hi]
        possessive = toks[last].possessive
        # "to Turkey's president": "to" governs the president, whose country Turkey is.
        possessor = governs or (possessive and bool(
            topic.context.actor_after.any_of(_phrases(words, last - lo + 1, 1))))
        role, linkable = mention_role(hit.key, first - lo, last - lo, words, topic.context,
                                      possessor=possessor)
        view.mentions.append(Mention(hit.code, first, last, role, linkable, hit, possessive,
                                     governs))
    return view


def _governing(sides: list[tuple[Hit, int, int]], toks: list[Token], joined: list[bool],
               view: SentenceView, topic: Topic) -> list[bool]:
    """Which side mentions are the possessor or the modifier of a relation cue.

    A possessive side ("Türkiye's rapprochement", "Ankara's long-awaited thaw") governs a cue
    that follows it within the cue class's ``possessor_gap`` words (determiners such as
    "new" not counted: "Turkey's new opening to Damascus"); a coordinated pair governs one
    when its second half does, or is followed by the cue within that gap ("Turkish-Syrian
    talks", "Turkey and Syria's rapprochement"). The words between must form one noun phrase:
    no comma, no preposition or connector ("Turkey's president on normalization" does not).
    """
    context = topic.context
    determiners = context.determiners
    stops = context.phrase_stops
    max_gap = max((c.possessor_gap or 0 for c in topic.cues), default=0)

    # The largest possessor_gap of the cue classes starting at each word.
    reach_at: dict[int, int] = {}
    for cue in view.cues:
        gap = topic.cue_class(cue.cls).possessor_gap
        if gap is not None:
            reach_at[cue.first] = max(gap, reach_at.get(cue.first, 0))
    size = len(view.words)

    def heads_cue(last: int) -> bool:
        """Walk the noun phrase after ``last`` until a cue close enough for its class."""
        between = 0
        for pos in range(last + 1, size):
            if not joined[pos]:
                return False
            if reach_at.get(pos, -1) >= between:
                return True
            word = view.words[pos]
            if word in determiners:
                continue
            between += 1
            if word in stops or between > max_gap:
                return False
        return False

    governing = [toks[last].possessive and heads_cue(last) for _, _, last in sides]
    connectors, reach = context.connectors, topic.windows.pair_gap
    for i in range(len(sides) - 2, -1, -1):
        (one, _, last), (two, first2, last2) = sides[i], sides[i + 1]
        words = view.words[last + 1:first2]
        if (two.code != one.code and len(words) <= reach and all(w in connectors for w in words)
                and all(joined[last + 1:first2 + 1]) and (governing[i + 1] or heads_cue(last2))):
            governing[i] = governing[i + 1] = True
    return governing


def _place(view: SentenceView, hit: Hit, first: int, last: int, topic: Topic,
           near: list[tuple[Hit, int, int]]) -> None:
    if hit.kind == CUE:
        view.cues.append(Cue(hit.key, first, last, bool(hit.code), (hit,)))
    elif hit.kind in (NEAR1, NEAR2):
        near.append((hit, first, last))
    elif hit.kind == EXCL:
        view.exclusions.setdefault(hit.key, hit)
    elif hit.kind == THIRD:
        # "a summit in Baku", "talks in Tehran": a venue, not a party to the relation
        if not (first and view.words[first - 1] in topic.context.venue_before):
            view.third.append((first, last, hit))
    elif hit.kind in (DEV, NEG, HEDGE):
        view.flags.add(hit.kind)


def _near_cues(near: list[tuple[Hit, int, int]], topic: Topic) -> list[Cue]:
    """Pair each first part with a later second part of the same two-part cue."""
    found = []
    for one, first, last in near:
        if one.kind != NEAR1:
            continue
        gap = topic.cue_class(one.key).near[one.code].max_gap
        for two, first2, last2 in near:
            if (two.kind == NEAR2 and two.key == one.key and two.code == one.code
                    and 0 < first2 - last <= gap + 1):
                found.append(Cue(one.key, first, last2, False, (one, two)))
                break
    return found


def _phrases(words: list[str], start: int, step: int) -> set[str]:
    """The one- and two-word phrases that begin (step 1) or end (step -1) at ``start``."""
    if not 0 <= start < len(words):
        return set()
    found = {words[start]}
    other = start + step
    if 0 <= other < len(words):
        pair = (words[start], words[other]) if step > 0 else (words[other], words[start])
        found.add(" ".join(pair))
    return found


def mention_role(base: str, first: int, last: int, words: list[str], context: Context, *,
                 possessor: bool = False) -> tuple[str, bool]:
    """Role of a mention from its base role and the words around it.

    The words before a ``possessor`` (of a cue or of an actor word) belong to the phrase it
    opens ("adjusting to [Türkiye's rapprochement]", "wrote to [Turkey's president]"), so
    they cannot make it a non-party.
    """
    if context.nonparty_after.any_of(_phrases(words, last + 1, 1)):
        return NONPARTY, False
    before = set() if possessor else _phrases(words, first - 1, -1)
    # "президент Турции", "власти Сирии": a genitive side after its actor noun.
    if context.actor_before.any_of(before):
        return "actor", False
    if context.nonparty_before.any_of(before):
        return NONPARTY, False
    if base == "place" and context.place_nonparty_before.any_of(before):
        return NONPARTY, True
    following = _phrases(words, last + 1, 1) | _phrases(words, last + 2, 1)
    if context.actor_after.any_of(following):
        return "actor", False
    return base, False
