"""One sentence seen as words: side mentions with roles, relation cues and flags."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from .fold import Folded
from .govern import governing
from .groups import Group, Item, find_groups
from .lexicon import CUE, DEV, EXCL, GENERIC, HEDGE, NEAR1, NEAR2, NEG, SEAT, SIDE, THIRD, Hit
from .names import absorb_first_names, in_proper_name, qualified_by_other, unknown_capital
from .roles import NONPARTY, mention_role, near_cues, phrases_at
from .segment import Token, tokens
from .topic import Topic, WordSet

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
    #: read from an earlier sentence ("the minister", "his counterpart", a known name)
    virtual: bool = False


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
    #: the spans of third parties named only as a venue ("a summit in Baku"): no party of a
    #: cue, but named all the same ("the three countries" may count them), and the first
    #: stop of a list of stops ("побывал в Эр-Рияде, Дохе и Анкаре")
    venue_spans: list[tuple[int, int]] = field(default_factory=list)
    #: their word positions: a known name, never a person's given name before a side
    #: ("обсудил в Багдаде Сирию" is no "Багдаде Сирию")
    venue_words: set[int] = field(default_factory=set)
    exclusions: dict[str, Hit] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    seps: list[str] = field(default_factory=list)
    joined: list[bool] = field(default_factory=list)
    possessive: list[bool] = field(default_factory=list)
    #: folded-text offsets of each word
    offsets: list[tuple[int, int]] = field(default_factory=list)
    #: word positions covered by a term of the lexicon
    covered: set[int] = field(default_factory=set)
    #: word positions of side and third-party names (not telling of headline capitals)
    proper: set[int] = field(default_factory=set)
    #: word positions written in capitals only ("UN", "США", the "U" and "S" of "U.S.")
    acronyms: set[int] = field(default_factory=set)
    groups: list[Group] = field(default_factory=list)
    _starts: dict[int, Mention] | None = None
    _title: bool | None = None
    _named: tuple[set[int], set[int]] | None = None

    def attached(self, pos: int) -> bool:
        """Word ``pos`` continues the run of the word before it ("U.S. ambassador" too)."""
        return self.joined[pos] or (pos - 1 in self.acronyms and self.seps[pos] == ".")

    def refresh(self) -> None:
        """Forget cached lookups after mentions or third parties were added."""
        self._starts = None
        self._named = None

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
        if self._title is None:
            self._title = self._title_case()
        return self._title

    def _title_case(self) -> bool:
        """Headline-style capitalization, where capitals say nothing about proper names: at
        least four in five longer words capitalized (the first word and the names of sides and
        third parties do not count)."""
        long_words = [cap for pos, (cap, word) in enumerate(zip(self.capitals, self.words,
                                                                strict=True))
                      if len(word) > 3 and pos and pos not in self.proper]
        capitalized = sum(long_words)
        return capitalized > 1 and (len(long_words) - capitalized) * 4 <= capitalized

    def sides(self, *, parties_only: bool = False) -> set[int]:
        """Which sides are mentioned (optionally: as parties, not as mere places or topics)."""
        return {m.side for m in self.mentions if not parties_only or m.role != NONPARTY}


def build_view(folded: Folded, original: str, span: tuple[int, int], hits: list[Hit],
               topic: Topic) -> SentenceView:
    """Build the view of the folded sentence ``span`` from the hits inside it."""
    toks = tokens(folded.text, *span)
    capitals = [original[folded.to_orig(t.start)].isupper() for t in toks]
    view = SentenceView(span[0], span[1], [t.word for t in toks], capitals)
    if not toks:
        return view
    _layout(view, toks, folded, original)
    plain = topic.grades.words
    for word in view.words:
        kinds = plain.get(word)
        if kinds:
            view.flags.update(kinds)
    starts = [t.start for t in toks]
    near: list[tuple[Hit, int, int]] = []
    sides: list[tuple[Hit, int, int]] = []
    for hit in hits:
        first = max(0, bisect_right(starts, hit.start) - 1)
        last = max(first, bisect_right(starts, hit.end - 1) - 1)
        if hit.kind == SIDE:
            sides.append((hit, first, last))
        else:
            _place(view, hit, first, last, topic, near)
    view.cues.extend(Cue(cls, first, last, topic.cue_class(cls).near[parts[0].code].transitive,
                         parts)
                     for cls, first, last, parts in near_cues(near, topic))
    view.proper = {p for hit, first, last in sides for p in range(first, last + 1)}
    view.proper |= {p for first, last, _ in view.third for p in range(first, last + 1)}
    view.covered = view.proper | view.venue_words | {
        p for cue in view.cues for p in range(cue.first, cue.last + 1)}
    sides = _drop_qualified(view, sides, topic)
    _mask_named_cues(view, sides, topic)
    cues = [(cue.cls, cue.first) for cue in view.cues]
    governs = governing(sides, toks, view.joined, view.words, cues, topic)
    # a side in the possessive right before the last word of a two-part idiom holding it
    # ("knocking on Assad's door", "the ball is in Ankara's court") is that word's possessor
    inner = {cue.last - 1 for cue in view.cues if len(cue.hits) == 2 and cue.last - cue.first > 1}
    governs = [governed or (last in inner and toks[last].possessive)
               for (_, _, last), governed in zip(sides, governs, strict=True)]
    for (hit, first, last), governed in zip(sides, governs, strict=True):
        view.mentions.append(_mention(view, hit, first, last, governed, topic))
    view.groups = find_groups(_items(view, topic), view.words, view.seps, topic)
    _venue_cues(view, topic)
    return view


def _layout(view: SentenceView, toks: list[Token], folded: Folded, original: str) -> None:
    """What stands between the words, and how each is written."""
    # seps[i]: what stands between word i - 1 and word i, spaces removed ("", ",", "-" …)
    view.seps = [""] + ["".join(folded.text[one.end:two.start].split())
                        for one, two in pairwise(toks)]
    # joined[i]: word i follows word i - 1 inside one run of words (no comma, bracket…)
    view.joined = [False] + [_JOINED.fullmatch(folded.text, one.end, two.start) is not None
                             for one, two in pairwise(toks)]
    view.possessive = [t.possessive for t in toks]
    view.offsets = [(t.start, t.end) for t in toks]
    view.acronyms = {i for i, t in enumerate(toks)
                     if view.capitals[i] and _acronym(original, folded, t.start, t.end)}


def _venue_cues(view: SentenceView, topic: Topic) -> None:
    """Cues of ``venue`` classes: the venue word before a side named as a government or its
    seat ("in Damascus", "в Анкаре"), not as a country ("the situation in Syria")."""
    classes = [cue.name for cue in topic.cues if cue.venue]
    if not classes:
        return
    context = topic.context
    for mention in view.mentions:
        pos = mention.first - 1
        if not mention.hit.key.startswith("actor") and not mention.hit.key.endswith(SEAT):
            seat = _seat_word(view, mention, context.seat_words)
            if seat is None:
                if not _official_in_country(view, mention, topic):
                    continue
            else:
                pos = min(pos, seat - 1)
        while pos >= 0 and view.words[pos] in context.determiners and view.joined[pos + 1]:
            pos -= 1
        if pos < 0 or not view.joined[pos + 1] or view.words[pos] not in context.venue_before:
            continue
        start, end = view.offsets[pos]
        hit = Hit(start, end, CUE, classes[0], 1)
        view.cues += [Cue(cls, pos, pos, True, (hit,)) for cls in classes]


def _official_in_country(view: SentenceView, mention: Mention, topic: Topic) -> bool:
    """The country ``mention`` follows a venue word right after an official of the other
    side: a headline's "Turkish FM in Syria", "Syria's Shaibani in Turkey", "глава МИД Турции
    в Сирии". The official's phrase runs from a mention of the other side (an actor, or a
    place made one by the office words after it) over office words alone up to the venue
    word, the last of them an office ("Turkish intelligence in Syria" is no visit, nor are
    "Turkish troops in Syria" and "the situation in Syria")."""
    context = topic.context
    pos = mention.first - 1
    if pos < 1 or view.words[pos] not in context.venue_before or not view.joined[pos + 1]:
        return False
    at = pos - 1
    while at >= 0 and view.words[at] in context.actor_after and view.joined[at + 1]:
        at -= 1
    official = next((m for m in view.mentions if m.first <= at <= m.last), None)
    if official is None or official.side == mention.side or official.role != "actor":
        return False
    return official.last == pos - 1 or view.words[pos - 1] in topic.coreference.offices


def _third_venue(view: SentenceView, first: int, last: int, topic: Topic) -> bool:
    """The third party at ``first``…``last`` is where something happens: right after a venue
    word ("a summit in Baku"), or joined to a seat word that follows one ("В столице
    Иордании прошла встреча …", "in the Jordanian capital", "in the capital of Jordan")."""
    context = topic.context
    if first and view.words[first - 1] in context.venue_before:
        return True
    if last + 1 < len(view.words) and view.words[last + 1] in context.seat_words \
            and view.joined[last + 1]:
        seat = first
    else:
        seat = first - 1
        if seat > 0 and view.words[seat] in context.holders and view.joined[seat + 1]:
            seat -= 1
        if seat < 1 or view.words[seat] not in context.seat_words or not view.joined[seat + 1]:
            return False
    pos = seat - 1
    while pos >= 0 and view.words[pos] in context.determiners and view.joined[pos + 1]:
        pos -= 1
    return pos >= 0 and view.joined[pos + 1] and view.words[pos] in context.venue_before


def _seat_word(view: SentenceView, mention: Mention, seat_words: WordSet) -> int | None:
    """The position of a seat word joined to a side's place ("the Syrian capital", "в
    столице Сирии"), or None."""
    for pos in (mention.last + 1, mention.first - 1):
        if (0 <= pos < len(view.words) and view.words[pos] in seat_words
                and view.joined[max(pos, mention.first)]):
            return pos
    return None


def _acronym(original: str, folded: Folded, start: int, end: int) -> bool:
    word = original[folded.to_orig(start):folded.to_orig(end)]
    if len(word) == 1:
        after = folded.to_orig(end)
        return word.isupper() and original[after:after + 1] == "."
    return word.isupper() and word.isalpha()


def _mention(view: SentenceView, hit: Hit, first: int, last: int, governs: bool,
             topic: Topic) -> Mention:
    # Context words are read within the mention's run of joined words: a comma ends it
    # ("rapprochement with Syria, trucks are crossing" is not "Syria trucks").
    joined = view.joined
    lo, hi = first, last + 1
    while lo > 0 and joined[lo]:
        lo -= 1
    while hi < len(view.words) and joined[hi]:
        hi += 1
    words = view.words[lo:hi]
    possessive = view.possessive[last]
    # "to Turkey's president": "to" governs the president, whose country Turkey is ("on
    # Ankara's agenda": "on" governs the agenda)
    owned = phrases_at(words, last - lo + 1, 1)
    possessor = governs or (possessive and bool(
        topic.context.actor_after.any_of(owned) or topic.context.possessions.any_of(owned)))
    side = topic.sides[hit.code]
    role, linkable = mention_role(hit.key.partition(":")[0], first - lo, last - lo, words,
                                  topic.context, possessor=possessor,
                                  nonparty=side.nonparty_after,
                                  fields=topic.coreference.fields)
    if ((role == "place" or linkable) and hi < len(view.words) and view.seps[hi] == ","
            and view.words[hi] in topic.context.relative):
        # "gas from Turkey, which agreed to double supplies": Turkey acts as a state (not a
        # region or a topic: "northern Syria, which …", "to discuss Syria, which …")
        role, linkable = "actor", False
    if role == "place" and possessive and _person_after(view, last + 1, topic):
        role = "actor"  # "Syria's Nidal al-Shaar held talks": the country's official
    if not view.title_case:
        first = absorb_first_names(first, view.words, view.capitals, view.seps, view.covered,
                                   topic)
    return Mention(hit.code, first, last, role, linkable, hit, possessive, governs)


#: how many words a person's name after a side's possessive may have ("Nidal al-Shaar")
_NAME_WORDS = 4


def _person_after(view: SentenceView, pos: int, topic: Topic) -> bool:
    """A person's full name no term knows starts at ``pos``, right after a side's possessive
    ("Syria's Nidal al-Shaar", "Turkey's Omer Bolat"): two or more capitalized words
    (particles between; one word may be a firm's: "Turkey's Baykar"), none a firm's, a
    carrier's or anything else ``nonparty_after`` names ("Turkey's Koc Holding")."""
    words, size = view.words, len(view.words)
    if view.title_case or pos >= size or not view.joined[pos] or not unknown_capital(
            words, view.capitals, view.covered, pos, topic):
        return False
    end = pos
    while (end + 1 < size and end + 1 - pos < _NAME_WORDS and view.joined[end + 1]
           and (unknown_capital(words, view.capitals, view.covered, end + 1, topic)
                or words[end + 1] in topic.coreference.particles)):
        end += 1
    after = end + 1
    nonparty = topic.context.nonparty_after
    return end > pos and not any(word in nonparty for word in words[pos:after + 1]) and not (
        after < size and view.capitals[after] and view.joined[after])


def _drop_qualified(view: SentenceView, sides: list[tuple[Hit, int, int]],
                    topic: Topic) -> list[tuple[Hit, int, int]]:
    """Drop generic descriptions another country's name qualifies ("Mali's transitional
    government"): they are not the side."""
    if view.title_case or not any(hit.key.endswith(GENERIC) for hit, _, _ in sides):
        return sides
    at = {p for hit, first, last in sides if not hit.key.endswith(GENERIC)
          for p in range(first, last + 1)}
    return [(hit, first, last) for hit, first, last in sides
            if not (hit.key.endswith(GENERIC) and qualified_by_other(
                first, last, view.words, view.capitals, view.seps, view.possessive, at, topic))]


def _mask_named_cues(view: SentenceView, sides: list[tuple[Hit, int, int]],
                     topic: Topic) -> None:
    """A cue inside an institution's or a title's name is not a cue ("the Centre for the
    Reconciliation of Opposing Sides", "Shanghai Cooperation Organisation"), unless the name
    holds both sides ("the Turkish-Syrian Joint Committee")."""
    masked = {p for first, last in topic.institutions.find(view.words)
              for p in range(first, last + 1)}
    side_at = {p: hit.code for hit, first, last in sides for p in range(first, last + 1)}
    kept = []
    for cue in view.cues:
        # an event is named like an institution ("the Damascus International Fair")
        span = None if view.title_case or topic.cue_class(cue.cls).gathering else in_proper_name(
            cue.first, cue.last, view.words, view.capitals, view.seps, topic)
        if span is not None and _institution(view, span, side_at):
            continue
        if any(p in masked for p in range(cue.first, cue.last + 1)):
            continue
        kept.append(cue)
    view.cues = kept


def _institution(view: SentenceView, span: tuple[int, int], side_at: dict[int, int]) -> bool:
    """A capitalized run is an institution's name when it has a capitalized word that is no
    lexicon term ("Commission", "Council") and does not hold both sides."""
    positions = range(span[0], span[1] + 1)
    own = any(view.capitals[p] and p not in view.covered for p in positions)
    return own and len({side_at[p] for p in positions if p in side_at}) < 2


def _items(view: SentenceView, topic: Topic) -> list[Item]:
    """Candidate list items: parties, third parties, and unknown capitalized words."""
    items = [Item(m.first, m.last, side=m.side) for m in view.mentions
             if m.role != NONPARTY or m.linkable]
    items += [Item(first, last, third=True) for first, last, _ in view.third]
    items += [Item(first, last, third=True) for first, last in view.venue_spans]
    if not view.title_case:
        taken = {p for item in items for p in range(item.first, item.last + 1)}
        items += [Item(pos, pos) for pos in range(len(view.words))
                  if pos not in taken and unknown_capital(view.words, view.capitals,
                                                          view.covered, pos, topic)]
    return items


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
        if not _third_venue(view, first, last, topic):
            view.third.append((first, last, hit))
        else:
            view.venue_spans.append((first, last))
            view.venue_words.update(range(first, last + 1))
    elif hit.kind in (DEV, NEG, HEDGE):
        view.flags.add(hit.kind)
