"""Find evidence and near-misses in one folded field: sentences first, then sentence windows."""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from .affiliation import venues_in
from .binding import meets_someone_else
from .coref import Coref
from .fold import Folded
from .history import historic_marker
from .judge import HISTORIC, VENUE, WINDOW, Outcome, grade, judge_sentence, judge_window
from .lexicon import CUE, NEAR1, SEAT, SIDE, THIRD, Hit, Lexicon
from .roles import NONPARTY
from .segment import line_regions, next_line, sentence_spans
from .topic import CueClass, Topic
from .view import SentenceView, build_view

logger = logging.getLogger(__name__)

# Longer "sentences" (tables, run-on junk) are cut into pieces so one pathological input
# cannot make the per-sentence work quadratic in the size of the whole field.
MAX_SENTENCE_CHARS = 1500
# An article has a few hundred sentences. A hostile field made of side names ("Syria and
# Turkey held talks. " × 300 000) would take minutes; past these budgets the rest of the
# field is skipped, with a warning (a known blind spot, documented in the README).
MAX_READ_CHARS = 1_000_000
MAX_CANDIDATES = 2_000
#: words that may stand between a conjunction and a partner's name ("и командующий силами
#: демократической Сирии Мазлум Абди")
_PARTNER_REACH = 8
_QUOTES = '"«»“”„\''
#: words an event's name may hold between a city and the event ("Antalya Diplomacy Forum")
_EVENT_NAME = 3
#: a sentence naming a party is read; one with only a cue is read when it may borrow one
_NAMING = frozenset({SIDE, THIRD})
_CUES = frozenset({CUE, NEAR1})


@dataclass(frozen=True, slots=True)
class Finding:
    """Evidence or a near-miss, in original-text offsets of one field."""

    field: str
    start: int
    end: int
    sentence: str
    rule: str
    terms: tuple[str, ...]
    reason: str = ""
    grade: str = ""
    priority: int = 0


class FieldAnalysis:
    """Sentence views of one field, built lazily, and the findings drawn from them."""

    def __init__(self, name: str, text: str, folded: Folded, lexicon: Lexicon,
                 day: date | None, side_hits: list[Hit], coref: Coref) -> None:
        self.name, self.text, self.folded, self.topic = name, text, folded, lexicon.topic
        self.day, self.coref = day, coref
        # Only the paragraphs that name a side, and the one after each when it may refer back
        # to them ("the two neighbours", "the minister"), can hold evidence.
        positions = [folded.to_orig(hit.start) for hit in side_hits] or ([0] if text else [])
        for _, end in line_regions(text, positions):
            following = next_line(text, end)
            if following is None:
                continue
            span = folded.to_folded(following[0]), folded.to_folded(following[1])
            if coref.triggers.found(folded.text, *span):
                positions.append(following[0])
            # "… banks in Turkey refuse Syrian firms. ¶ Waiting times had fallen. ¶ The change
            # followed an agreement between the two governments": a group phrase one
            # paragraph further on, the paragraph between read too (as distance)
            further = next_line(text, following[1])
            if further is not None and coref.triggers.group_found(
                    folded.text, folded.to_folded(further[0]), folded.to_folded(further[1])):
                positions += [following[0], further[0]]
        regions = line_regions(text, positions)
        self.spans: list[tuple[int, int]] = []
        self.region: list[int] = []
        hits: list[Hit] = []
        budget = MAX_READ_CHARS
        for number, (start, end) in enumerate(regions):
            if end - start > budget:
                logger.warning("field %s: only the first %d characters of the paragraphs "
                               "naming a side were read", name, MAX_READ_CHARS)
                end = start + budget
            budget -= end - start
            spans = split_sentences(text, folded, start, end)
            self.spans += spans
            self.region += [number] * len(spans)
            hits += lexicon.all_hits(folded.text, day, folded.to_folded(start),
                                     folded.to_folded(end))
            if not budget:
                break
        self.buckets: list[list[Hit]] = [[] for _ in self.spans]
        starts = [start for start, _ in self.spans]
        for hit in hits:
            index = bisect_right(starts, hit.start) - 1
            if index >= 0 and hit.end <= self.spans[index][1]:
                self.buckets[index].append(hit)
        self.views: dict[int, SentenceView] = {}
        #: sentences where an agreement was dated years back (a yardstick)
        self.historic: list[int] = []
        #: sentences telling of an agreement or contact made by others, no side an actor
        #: ("Russia and the United States agreed on a plan for Syria")
        self.foreign: list[int] = []
        #: (sentence, side) where an event was held in a city of that side ("… met in
        #: Istanbul"), for rules binding an official of the other side told of later
        self.venues: list[tuple[int, int]] = []
        #: the cue classes of rules binding a venue: what names an event ("met", "session")
        self._venue_classes = frozenset(cls for rule in lexicon.topic.rules
                                        if VENUE in rule.bindings for cls in rule.cues)
        self._venue_rules = bool(self._venue_classes)
        self.evidence: list[Finding] = []
        self.near_misses: list[Finding] = []

    def run(self) -> None:
        """Read the sentences in order, judging each that names both sides (itself or by
        reference), then windows around one-sided cues."""
        fired: set[int] = set()
        built: list[int] = []
        both = -2  # the last sentence naming both sides
        windowed = {cls for rule in self.topic.rules if WINDOW in rule.bindings
                    for cls in rule.cues}
        for index, hits in enumerate(self.buckets):
            kinds = {hit.kind for hit in hits}
            # a cue right after a sentence naming both sides may be about them ("… Officials
            # called it part of the normalization."): read it too
            after_both = index == both + 1 and any(
                hit.kind in _CUES and hit.key in windowed for hit in hits)
            if not kinds & _NAMING and not (kinds & _CUES and (after_both or self.coref.wants(
                    self.folded.text, *self.spans[index]))) and not self._titled(index):
                self.coref.advance(self.folded.text, *self.spans[index])
                continue
            if len(built) == MAX_CANDIDATES:
                logger.warning("field %s: only the first %d sentences naming a party were "
                               "judged", self.name, MAX_CANDIDATES)
                break
            view = self.view(index)
            built.append(index)
            self.coref.read(view, self.folded.text)
            if self._made_by_others(view):
                self.foreign.append(index)
            if self._venue_rules:
                self._note_venue(index, view)
            if len(view.sides()) == 2:
                both = index
                outcome = judge_sentence(view, self.topic, self.day, dated=self.dated(index),
                                         others=self.others(index))
                self.record(outcome, (index,), (view,))
                if outcome.rule is not None:
                    fired.add(index)
                elif outcome.reason == HISTORIC or any(
                        historic_marker(cue, view, self.topic, self.day) for cue in view.cues):
                    self.historic.append(index)
        for index in built:
            if index not in fired:
                self.window(index)

    def _titled(self, index: int) -> bool:
        """A sentence naming no party may still name an official by title ("Trade Minister
        Omer Bolat told reporters …"), whom a later sentence names again."""
        start, end = self.spans[index]
        return self.coref.triggers.title(self.text, self.folded.to_orig(start),
                                         self.folded.to_orig(end))

    def window(self, index: int) -> None:
        view = self.view(index)
        own = view.sides(parties_only=True)
        if len(own) > 1 or not view.cues:
            return
        if not own:
            self._told_before(index, view)
            return
        reach = self.topic.windows.neighbors
        for other in range(max(0, index - reach), min(len(self.spans), index + reach + 1)):
            if (other == index or self.region[other] != self.region[index]
                    or other not in self.views):
                continue
            neighbor = self.view(other)
            if neighbor.sides(parties_only=True) - own:
                outcome = judge_window(view, neighbor, self.topic, self.day,
                                       dated=self.dated(index),
                                       others=self.others(index),
                                       third_before=self._third_before(index))
                if outcome is not None:
                    self.record(outcome, (min(index, other), max(index, other)), (view, neighbor))
                    if outcome.rule is not None:
                        return
        if self.venues:
            self._at_venue(index, view, own)

    def _note_venue(self, index: int, view: SentenceView) -> None:
        """Remember an event held in a city of one side ("ministers met in Istanbul", "В
        Стамбуле открылась сессия"): a venue cue takes the side, another cue names the
        event, and no party of the other side is named."""
        classes = [self.topic.cue_class(cue.cls) for cue in view.cues]
        if not any(cls.venue or cls.gathering for cls in classes):
            return  # no venue word before a side and no event named
        venues = venues_in(view, self.topic) | self._named_events(view)
        held = {m.side for m in view.mentions if m.first in venues
                and (m.role == "actor" or m.hit.key.endswith(SEAT))}
        parties = {m.side for m in view.mentions if m.first not in venues and m.role != NONPARTY}
        event = any(cue.cls in self._venue_classes for cue in view.cues)
        # (not a host's meeting with someone no side holds: "In Ankara, Erdogan received the
        # emir of Qatar": a bilateral of theirs, no session the other side could attend)
        if (len(held) == 1 and not parties - held and event
                and not meets_someone_else(view, self.topic, names_only=True)
                and not self._paired_with_someone(view, classes)):
            self.venues.append((index, next(iter(held))))

    def _paired_with_someone(self, view: SentenceView, classes: list[CueClass]) -> bool:
        """A side's official coordinated with someone no side holds before the event's cue,
        no gathering named ("аш-Шараа и командующий СДС Мазлум Абди подписали в Дамаске
        соглашение"): the act is theirs, no session the other side's official attended."""
        if any(cls.gathering for cls in classes):
            return False
        topic = self.topic
        first_cue = min((cue.first for cue in view.cues), default=len(view.words))
        _, third = view.named_positions()
        for mention in view.mentions:
            pos = mention.last + 1
            if (mention.role != "actor" or mention.virtual or pos >= first_cue
                    or not view.joined[pos] or view.words[pos] not in topic.context.conjunctions):
                continue
            for at in range(pos + 1, min(first_cue, pos + _PARTNER_REACH)):
                if not view.joined[at] and view.seps[at].strip(_QUOTES):
                    break  # a comma or a bracket; quotes may enclose a body's name
                other = view.mention_starting(at)
                if other is not None and other.role != NONPARTY:
                    break  # the other side, or this side again
                if at in third or (view.capitals[at] and not view.title_case
                                   and at not in view.covered
                                   and view.words[at] not in topic.known):
                    return True
        return False

    def _named_events(self, view: SentenceView) -> set[int]:
        """Positions of a side's city naming an event in one noun phrase: "the Damascus
        International Fair", "the Antalya Diplomacy Forum"."""
        found = set()
        for cue in view.cues:
            if not self.topic.cue_class(cue.cls).gathering:
                continue
            pos = cue.first
            while pos > 0 and cue.first - pos < _EVENT_NAME and view.joined[pos]:
                pos -= 1
                mention = next((m for m in view.mentions if m.last == pos), None)
                if mention is not None:
                    found.add(mention.first)
                    break
        return found

    def _at_venue(self, index: int, view: SentenceView, own: set[int]) -> None:
        """An official of one side, in a sentence naming no venue, shortly after an event
        held in a city of the other side (paragraphs apart too): "Syria's minister attended
        the session"."""
        side = next(iter(own))
        venues = venues_in(view, self.topic)
        # the official is the sentence's subject, not the object of "to meet Syria's …"
        if venues or view.venue_spans or _subject(view, self.topic) != side:
            return
        reach = self.topic.coreference.window
        event = next((at for at, held in reversed(self.venues)
                      if 0 < index - at <= reach and held != side), None)
        if event is None:
            return
        outcome = judge_window(view, self.view(event), self.topic, self.day, binding=VENUE)
        if outcome is not None:
            self.record(outcome, (event, index), (self.view(event), view))

    def _told_before(self, index: int, view: SentenceView) -> None:
        """A cue with no side after a sentence naming both ("Ankara and Damascus reopened
        the crossing. Officials called it part of the normalization.")."""
        before = index - 1
        if before < 0 or before not in self.views or self.region[before] != self.region[index]:
            return
        neighbor = self.view(before)
        parties = neighbor.sides(parties_only=True)
        # a country a preposition made no party still counts here: "Turkish citizens may now
        # enter Syria … Officials called the decision part of the normalization"
        places = {m.side for m in neighbor.mentions if m.linkable}
        if len(parties) == 2 or (len(parties) == 1 and len(parties | places) == 2):
            outcome = judge_window(view, neighbor, self.topic, self.day,
                                   dated=self.dated(index), others=self.others(index))
            if outcome is not None and outcome.rule is not None:
                self.record(outcome, (before, index), (neighbor, view))

    def _third_before(self, index: int) -> bool:
        """A sentence back to the coreference window before ``index`` (across paragraphs,
        as coreference reads) names a third party as a party."""
        reach = self.topic.coreference.window
        return any(self.views[before].third
                   for before in range(max(0, index - reach), index) if before in self.views)

    def others(self, index: int) -> bool:
        """A sentence shortly before ``index`` told of an agreement or contact made by
        others: "the deal" in this one, not tied to the two sides, is theirs."""
        reach = self.topic.coreference.window
        return any(0 < index - before <= reach and self.region[before] == self.region[index]
                   for before in self.foreign)

    def _made_by_others(self, view: SentenceView) -> bool:
        """The sentence tells of an agreement or contact of others, coordinated before its
        first cue, the outlet's own country among them perhaps ("Russia and the United
        States agreed in Geneva on a plan for Syria"): no side's official or government in
        it, and two names no side holds joined by a conjunction before the cue."""
        if view.title_case or not view.cues or any(m.role == "actor" for m in view.mentions):
            return False
        sides, third = view.named_positions()
        home, words, context = self.topic.coreference.home, view.words, self.topic.context
        names = [pos for pos in range(view.cues[0].first)
                 if pos not in sides and view.capitals[pos]
                 and (pos > 0 or words[pos] in home or pos in third
                      or (len(words) > 1 and (view.capitals[1]
                                              or words[1] in context.conjunctions)))]
        if not names or names[0] > 1:
            return False  # the sentence does not open with the pair
        end = next((a for a, b in pairwise(names) if b > a + 1), None)
        if end is None:
            return False
        between = words[end + 1:next(pos for pos in names if pos > end)]
        return (any(word in context.conjunctions for word in between)
                and all(word in context.conjunctions or word in context.determiners
                        for word in between))

    def dated(self, index: int) -> bool:
        """A sentence shortly before ``index`` dated an agreement years back: "the accord"
        in this one is that agreement."""
        reach = self.topic.coreference.window
        return any(0 < index - before <= reach and self.region[before] == self.region[index]
                   for before in self.historic)

    def view(self, index: int) -> SentenceView:
        if index not in self.views:
            self.views[index] = build_view(self.folded, self.text, self.spans[index],
                                           self.buckets[index], self.topic)
        return self.views[index]

    def record(self, outcome: Outcome, indexes: tuple[int, ...],
               views: tuple[SentenceView, ...]) -> None:
        start = self.folded.to_orig(self.spans[indexes[0]][0])
        end = self.folded.to_orig(self.spans[indexes[-1]][1])
        hits = [m.hit for view in views for m in view.mentions]
        hits += [hit for cue in outcome.cues for hit in cue.hits]
        terms = tuple(dict.fromkeys(self.surface(hit) for hit in sorted(hits)))
        if outcome.rule is not None:
            self.evidence.append(Finding(self.name, start, end, self.text[start:end],
                                         outcome.rule.id, terms,
                                         grade=grade(views), priority=outcome.rule.priority))
            return
        reason = outcome.reason
        if outcome.culprit is not None:
            reason = f"{reason}: {self.surface(outcome.culprit)}"
        rule = outcome.blocked or "co-occurrence"
        self.near_misses.append(Finding(self.name, start, end, self.text[start:end], rule,
                                        terms, reason))

    def surface(self, hit: Hit) -> str:
        """The hit as it appears in the original text."""
        return self.text[self.folded.to_orig(hit.start):self.folded.to_orig(hit.end)]


def _subject(view: SentenceView, topic: Topic) -> int | None:
    """The side of the sentence's first official or government, when no preposition governs
    it ("Syria's minister attended", "На сессии присутствовал министр … Сирии", "Turkey had
    the largest stand, and Trade Minister Omer Bolat attended"; not "… a delegation to
    Damascus to meet Syria's …", "in contact with the new authorities in Damascus")."""
    governed = topic.context.prepositions
    actors = [m for m in view.mentions if m.role == "actor"]
    if not actors:
        return None
    first = min(actors, key=lambda m: m.first)
    pos = first.first - 1
    while pos >= 0 and view.joined[pos + 1] and view.words[pos] in topic.context.determiners:
        pos -= 1
    if pos >= 0 and view.words[pos] in governed:
        return None
    return first.side


def split_sentences(text: str, folded: Folded, begin: int, stop: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[begin:stop]`` in folded offsets, long ones cut at whitespace."""
    spans = []
    for start, end in sentence_spans(text, begin, stop):
        while end - start > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            cut = cut if cut > start else start + MAX_SENTENCE_CHARS
            spans.append((folded.to_folded(start), folded.to_folded(cut)))
            start = cut
        spans.append((folded.to_folded(start), folded.to_folded(end)))
    return [(s, e) for s, e in spans if s < e]
