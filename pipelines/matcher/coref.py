"""Sides fixed earlier in an article, lent to a sentence that names them only by reference.

Read in order (headline, subtitle, body), each sentence teaches the reader:
  * whose a person is: "Syria's Defense Minister Murhaf Abu Qasra" makes a later "Abu Qasra"
    (or "Касрой") a Syrian actor; "Jordan's Foreign Minister Ayman Safadi" makes "Safadi" a
    third party;
  * whose an office is: "Turkey's main opposition" makes a later "the opposition" Turkish;
and each later sentence may borrow:
  * "the minister", "the government" → the side that office was last seen with;
  * "the two neighbours", "обе стороны" → the parties of the nearest earlier sentence naming
    two or more (or, out of the window, the pair a headline named and no one else); "between
    the two neighbours" in a third party's sentence → both sides, the third party being the
    mediator, not one of the two;
  * "his counterpart" → the side other than his; a sentence-opening "he" → the previous
    sentence's subject.
What is borrowed is added to the sentence as virtual mentions, so the rules read it as if the
side were named there (the evidence shows the borrowing words).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

from .affiliation import (
    OTHER,
    UNKNOWN,
    first_country,
    first_named,
    lend,
    party_before,
    phrase_owner,
    qualified,
    qualifier,
    title_owner,
    venues_in,
)
from .binding import find_pairs, meets_someone_else, touring
from .groups import Group
from .lexicon import Hit
from .names import name_runs
from .objects import antecedent_of, objects, whom_before
from .roles import NONPARTY, phrases_at
from .topic import Topic
from .view import Mention, SentenceView

_MIN_NAME = 4
_CYRILLIC = re.compile("[а-яё]")
_VOWELS = frozenset("aeiouyаеиоуыэюяй")


#: the number a [coreference] lists phrase gives ("the three countries", «трех стран»):
#: whole words, then stems of Russian cases
_COUNTS = {"three": 3, "три": 3, "трех": 3, "трёх": 3, "тремя": 3, "трем": 3, "трём": 3,
           "four": 4, "five": 5, "six": 6}
_COUNT_STEMS = (("четыр", 4), ("пят", 5), ("шест", 6))


def _counted(memo: Memo, words: list[str], topic: Topic) -> frozenset[int]:
    """The members "the three countries" takes from an earlier sentence: when that sentence
    coordinates a list of as many parties ("The foreign ministers of Russia, Iran and Turkey
    met … to cut Damascus off"), the sides in the list only, not one named elsewhere in it;
    else every member it names."""
    count = next((_COUNTS.get(word) or next((n for stem, n in _COUNT_STEMS
                                             if word.startswith(stem)), None)
                  for word in words if word in _COUNTS
                  or any(word.startswith(stem) for stem, _ in _COUNT_STEMS)), None)
    if count is None or memo.view is None:
        return memo.members
    seen = memo.view
    for group in seen.groups:
        if not group.virtual and group.sides and _items(seen, group, topic) == count:
            return memo.members & group.sides
    return memo.members


def _items(view: SentenceView, group: Group, topic: Topic) -> int:
    """How many items a list coordinates ("Russia, Iran and Turkey": three, the outlet's
    own country too): runs of words parted by commas and conjunctions."""
    items, open_item = 0, False
    for pos in range(group.first, group.last + 1):
        if view.words[pos] in topic.context.conjunctions or (pos > group.first
                                                              and not view.joined[pos]):
            open_item = False
            if view.words[pos] in topic.context.conjunctions:
                continue
        if not open_item:
            items, open_item = items + 1, True
    return items


@dataclass(frozen=True, slots=True)
class Memo:
    """What an earlier sentence named: its parties and its subject."""

    index: int
    sides: frozenset[int]
    third: bool
    subject: int | None
    #: the first country named as a party (a side or OTHER): what "the country" later means
    country: int | None = None
    #: the sides named as actors (officials, governments): who "the two ministers" may be
    actors: frozenset[int] = frozenset()
    #: every side named, in any role ("Turkish firms", "in Syria"): who "the two countries"
    #: may be when no one sentence names both
    named: frozenset[int] = frozenset()
    #: a third party named in any role, a venue too ("trucks drive through Syria to Jordan")
    others: bool = False
    #: the sentence names a subject of [coreference] apart ("the earthquake … in Turkey"):
    #: both sides named across it are no pair of "the two countries"
    excluded: bool = False
    #: the sides named as parties or as places ("trucks drive through Syria to Jordan"),
    #: not as a topic ("a summit on Syria", "саммит по Сирии"): who "the three countries"
    #: may be
    members: frozenset[int] = frozenset()
    #: the sentence read, asked lazily whether it met someone else ("visited Paris")
    view: SentenceView | None = field(default=None, compare=False, repr=False)

    def paired(self, topic: Topic) -> bool:
        """The sentence coordinates the two sides ("between Ankara and Damascus")."""
        return self.view is not None and any(
            len({m.side for m in self.view.mentions if first <= m.first <= last}) == 2
            for first, last in find_pairs(self.view, topic))

    def split(self) -> bool:
        """The sentence names its two sides only across a semicolon ("Damascus and SDF sign
        deal; Ankara welcomes"): two stories, no pair for "the two sides" later."""
        view = self.view
        if view is None or len(self.sides) != 2:
            return False
        semis = [p for p, sep in enumerate(view.seps) if ";" in sep]
        if not semis:
            return False
        one, two = sorted(self.sides)
        firsts = [m.first for m in view.mentions if m.side == one]
        seconds = [m.first for m in view.mentions if m.side == two]
        return not any(not any(min(a, b) < p <= max(a, b) for p in semis)
                       for a in firsts for b in seconds)

    def met_elsewhere(self, topic: Topic) -> bool:
        """The sentence reports a contact with a name no side holds ("visited Paris")."""
        return self.view is not None and meets_someone_else(self.view, topic, names_only=True)


class Triggers:
    """Words whose presence lets a sentence naming no party borrow one (built once per
    topic): office words, the telling word of each group or counterpart phrase, pronouns."""

    def __init__(self, topic: Topic) -> None:
        coref = topic.coreference
        words = (set(coref.offices.exact) | set(coref.pronouns.exact)
                 | set(coref.objects.exact) | set(coref.facing.exact) | set(coref.answers.exact))
        phrases = (coref.groups.phrases + coref.counterparts.phrases + coref.countries.phrases
                   + coref.lists.phrases)
        # the longest word, the last on a tie: "the two men" -> "men"
        words |= {max(reversed(phrase), key=len) for phrase in phrases}
        # a speech tag by its pronoun ("he said" -> "he"): "said" is in most sentences
        words |= {word for phrase in coref.speech.phrases for word in phrase
                  if word in coref.pronouns or word in coref.objects}
        words |= {max(reversed(phrase), key=len) for phrase in coref.speech.phrases
                  if not any(word in coref.pronouns or word in coref.objects
                             for word in phrase)}
        prefixes = set(coref.offices.prefixes) | set(coref.facing.prefixes)
        prefixes |= {word[:-1] for word in words if word.endswith("*")}
        words = {word for word in words if not word.endswith("*")}
        parts = [re.escape(w) for w in sorted(words)]
        parts += [re.escape(p) + r"\w*" for p in sorted(prefixes)]
        self.pattern = re.compile(r"\b(?:" + "|".join(parts) + r")\b") if parts else None
        # read only in a sentence that names a party anyway: "Ankara's new partners"
        owned = sorted({max(reversed(phrase), key=len) for phrase in coref.possessed.phrases})
        owned_parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
                       for w in owned]
        self.owned = (re.compile(r"\b(?:" + "|".join(owned_parts) + r")\b")
                      if owned_parts else None)
        # an office with a person's name after it, in the original text: "Trade Minister
        # Omer Bolat", "Министр торговли Омер Болат" (its field in lowercase between)
        offices = [re.escape(w) for w in sorted(coref.offices.exact)]
        offices += [re.escape(p) + r"\w*" for p in sorted(coref.offices.prefixes)]
        self.titled = re.compile(
            r"\b(?i:" + "|".join(offices) + r")(?:\s+[^\W\d_A-ZА-ЯЁ][\w-]*){0,3}"
            r"\s+[A-ZА-ЯЁ][^\W\d_]+(?:[\s-]+[A-ZА-ЯЁ][^\W\d_]+)") if offices else None
        # the group phrases whole ("the two governments", "обе стороны"): a paragraph holding
        # one is read a paragraph further from the last naming a side (see FieldAnalysis)
        grouped = sorted({r"\s+".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*")
                                        else re.escape(w) for w in phrase)
                          for phrase in coref.groups.phrases
                          # not a bare "the two" ("the two energy ministries"), nor a phrase
                          # read only opening a clause ("^стороны")
                          if phrase[-1] != "two" and not phrase[0].startswith("^")})
        self.grouped = (re.compile(r"\b(?:" + "|".join(grouped) + r")\b") if grouped
                        else None)
        home = [re.escape(w) for w in sorted(coref.home.exact)]
        home += [re.escape(p) + r"\w*" for p in sorted(coref.home.prefixes)]
        self.home = re.compile(r"\b(?:" + "|".join(home) + r")\b") if home else None
        # a sentence opening with a subject pronoun ("He said gas demand was rising"): the
        # same subject goes on, even when the sentence names nobody and is not read
        carried = sorted(word for word in coref.pronouns.exact if word not in coref.neuter)
        self.opening = (re.compile(r"[\W_]*(?:" + "|".join(map(re.escape, carried)) + r")\b")
                        if carried else None)

    def at_home(self, folded: str) -> bool:
        """``folded`` names the outlet's own country ("Russia", "Кремль")."""
        return self.home is not None and self.home.search(folded) is not None

    def found(self, text: str, start: int, end: int) -> bool:
        return self.pattern is not None and self.pattern.search(text, start, end) is not None

    def group_found(self, text: str, start: int, end: int) -> bool:
        """A whole group phrase ("the two governments") in ``text[start:end]``."""
        return self.grouped is not None and self.grouped.search(text, start, end) is not None

    def owned_found(self, text: str, start: int, end: int) -> bool:
        """A phrase read only after a side's possessive in ``text[start:end]``."""
        return self.owned is not None and self.owned.search(text, start, end) is not None

    def title(self, text: str, start: int, end: int) -> bool:
        """An office followed by a person's name in ``text[start:end]`` (original text)."""
        return self.titled is not None and self.titled.search(text, start, end) is not None


class Coref:
    """One reader per document; not shared between threads."""

    def __init__(self, topic: Topic, triggers: Triggers | None = None,
                 day: date | None = None) -> None:
        self.topic = topic
        #: the office words that name a side on the article's day ("the regime")
        names = [side.name for side in topic.sides]
        self.defaults = [(item.terms, names.index(item.side))
                         for item in topic.coreference.defaults if item.valid_on(day)]
        self.triggers = triggers or Triggers(topic)
        self.names: dict[str, int] = {}
        #: office stem -> (sentence index, side or OTHER) each time it was seen with a party
        self.offices: dict[str, list[tuple[int, int]]] = {}
        self.memos: deque[Memo] = deque(maxlen=max(1, topic.coreference.window))
        #: what the first sentence read (the headline) named: the article's standing pair
        self.headline: Memo | None = None
        self.index = -1
        #: sides and whether a third party were named anywhere so far
        self.seen: set[int] = set()
        self.seen_third = False
        #: the article names the outlet's own country: untitled officials may be its own
        self.at_home = False
        #: surnames of listed full names the body gives ("Prime Minister Binali Yildirim"),
        #: read in the headline and subtitle before it ("Yildirim: '…'"); see foresee
        self.ahead: dict[str, int] = {}
        #: what a speaker was last asked about: (sentence index, side, its last word)
        self.asked: tuple[int, int, int] | None = None

    def advance(self, folded: str = "", start: int = 0, end: int = 0) -> None:
        """A sentence that names nobody: it still counts as distance. One opening with a
        subject pronoun ("He said demand was rising.") carries the last subject on, so a
        later "he" three sentences on still reaches it."""
        self.index += 1
        opening = self.triggers.opening
        if opening is None or not opening.match(folded, start, end):
            return
        subject = self._subject()
        if subject is not None and subject != UNKNOWN:
            self.memos.append(Memo(self.index, frozenset(), False, subject))

    def foresee(self, text: str, folded: str, hits: Collection[Hit],
                folded_to_orig: Callable[[int], int]) -> None:
        """Learn ahead, from a later field's side hits, the surnames of listed full names
        written in capitals ("Binali Yildirim", "Омер Болат"): a headline names a person
        by surname and leaves the full name to the body."""
        for hit in hits:
            if hit.key != "actor":
                continue
            words = folded[hit.start:hit.end].split()
            original = text[folded_to_orig(hit.start):folded_to_orig(hit.end)].split()
            if (len(words) > 1 and len(original) == len(words)
                    and all(word[:1].isupper() for word in original)
                    and len(words[-1]) >= _MIN_NAME):
                self.ahead.setdefault(words[-1], hit.code)

    def wants(self, folded: str, start: int, end: int) -> bool:
        """Whether a sentence naming no party may borrow one: it holds an office word, a
        group or counterpart phrase, a pronoun, or a surname fixed earlier."""
        if self.triggers.found(folded, start, end):
            return True
        span = folded[start:end]
        return any(name[:-1] in span for name in (*self.names, *self.ahead))

    def read(self, view: SentenceView, folded: str) -> None:
        """Lend ``view`` what earlier sentences fixed, then learn from it. ``folded`` is the
        field's folded text (the view's offsets point into it)."""
        self.index += 1
        taken = view.covered | view.acronyms | {p for m in view.mentions
                                                for p in range(m.first, m.last + 1)}
        runs = [] if view.title_case else name_runs(view.words, view.capitals, view.seps,
                                                    taken, self.topic)
        if runs:
            self._known_names(view, runs)
        if view.mentions and self.triggers.owned_found(folded, view.start, view.end):
            self._possessed(view)
        self._quoted(view, folded)
        if view.mentions and self.topic.coreference.asked:
            self._asked_about(view)
        if self.triggers.found(folded, view.start, view.end):
            self._answers(view, runs)
            self._offices(view, runs)
            # a subject pronoun first: "He also called al-Sharaa …, and the two presidents
            # agreed" names its two before the group phrase
            self._pronoun(view, runs)
            self._own_offices(view)
            self._there(view)
            self._groups(view, runs)
            self._lists(view)
            self._counterparts(view, runs)
            self._facing(view)
            self._agentless(view, runs)
            self._objects(view)
            self._countries(view)
            self._learn_offices(view, runs)
        elif view.mentions and any(word in self.topic.coreference.passive
                                   for word in view.words):
            # no office word, but a passive clause: "No defence agreement has been signed
            # with Turkey," a spokesman said (after Syria's ministry was the subject)
            self._agentless(view, runs)
        # the home country matters only next to a side ("Erdogan told Putin …")
        home = bool(view.mentions) and self.triggers.at_home(folded[view.start:view.end])
        self._learn(view, runs, home, home and self._home_party(view))

    # --- lending ---------------------------------------------------------------------------

    def _known_names(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        """A person fixed earlier, or by a title phrase right here ("Iranian Foreign Minister
        Abbas Araghchi, on a visit to Ankara, …": the visit is a third party's)."""
        venues: set[int] | None = None
        for first, last in runs:
            owner = self._name_owner(view.words[last])
            if owner is None and first and view.joined[first] and (
                    view.words[first - 1] in self.topic.context.place_nonparty_before):
                continue  # "отправился в Париж, Эрдоган …": a place, no one's official
            if owner is None:
                owner = title_owner(view, first, last, self.topic)
            if owner is None:
                # "said Economy Minister Nidal al-Shaar, back from talks in Ankara" in a story
                # that so far names Syria only: the venue names no one's minister
                if venues is None:
                    venues = venues_in(view, self.topic)
                owner = self._topic_owner(view, first, venues)
            if owner is not None:
                lend(view, owner, first, last)

    def _offices(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        offices = self.topic.coreference.offices
        for pos, word in enumerate(view.words):
            if (word not in offices or pos in view.covered
                    or qualified(view, pos, runs, self.topic)
                    or _after_source(view, pos, self.topic)
                    or _held_by_counterpart(view, pos, self.topic)):
                continue
            owner = self._office_owner(word[:5])
            post = self.topic.coreference.posts.get(word)
            if owner is None and post is not None:
                # the post's holder when a side's ("the top diplomat" = Turkey's minister);
                # someone else's prime minister says nothing of this diplomat
                owner = self._office_owner(post[:5])
                owner = owner if owner is not None and owner >= 0 else None
            if owner is None and self.defaults and (_opens(view, pos, self.topic) or (
                    pos and view.joined[pos]
                    and (view.words[pos - 1] in self.topic.coreference.definite
                         or view.words[pos - 1] in self.topic.context.links))):
                # "The regime has also held talks with Ankara", "переговоры с режимом"
                # (before 2024-12-08)
                owner = next((side for terms, side in self.defaults if word in terms), None)
            if owner is None and _opens(view, pos, self.topic):
                # "The diplomat later flew to …", "Затем дипломат …": the last subject
                owner = self._subject()
                owner = None if owner == UNKNOWN else owner
            if owner is not None:
                lend(view, owner, pos, pos)

    def _groups(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        # "^стороны" opens a clause: the sentence, a comma, or "В ходе переговоров …"
        opening = self.topic.coreference.events.match_at(view.words, 0)
        anchors = {0, opening} | {p for p, sep in enumerate(view.seps) if sep == ","}
        # after a short unpunctuated opening ("Более трех часов лидеры обсуждали …"), unless
        # a name follows ("Вчера лидеры ЕС …": the leaders of someone)
        anchors |= {p for p in range(1, min(len(view.words), _LEAD_IN + 1))
                    if _after_lead_in(view, p, self.topic) and not _named_after(view, p)}
        for first, last, people, fielded in self._group_phrases(view, anchors):
            named = {m.side for m in view.mentions if m.last < first and m.role != NONPARTY}
            others = any(f < first for f, _, _ in view.third) or (people and any(
                f < first and not _modifier(view, last_) for f, last_ in runs))
            if len(named) == 2 and not others and not touring(view, self.topic):
                # (not when someone toured both: "met Assad in Damascus and then Cavusoglu
                # in Mersin, who said the two countries …" are his and Turkey)
                # "Turkey will supply Syria … under the accord signed by the two countries'"
                view.groups.append(Group(first, last, frozenset(named), frozenset(), True))
                continue
            if len(named) == 1 and any(f < first for f, _, _ in view.third):
                # one side and a third party before the phrase: "There he [Jordan's minister]
                # met Ahmed al-Sharaa, and the two sides agreed …" are those two, not a pair
                # named sentences back
                continue
            later = {m.side for m in view.mentions if m.first > last and not m.virtual}
            if (not named and len(later) == 2 and not view.third and not view.venue_spans
                    and not touring(view, self.topic) and not self._discussed_after(view, last)
                    and not self._third_lately()):
                # the pair named after the phrase, in any role, and no one else here or in the
                # window ("Jordan and Iraq signed a deal. The two countries …" are theirs):
                # "The tourism ministers of the two neighbours, meeting in Antalya, agreed to
                # combine the Turkish riviera with Latakia"
                for side in sorted(later):
                    lend(view, side, first, last)
                view.groups.append(Group(first, last, frozenset(later), frozenset(), True))
                continue
            mediated = self._mediated(view, first) if not named else frozenset()
            if mediated:
                for side in sorted(mediated):
                    lend(view, side, first, last)
                view.groups.append(Group(first, last, mediated, frozenset(), True))
                continue
            parties = view.sides(parties_only=True)
            # a side this sentence names only well after the phrase, in a later clause ("the
            # two defence chiefs reviewed a programme under which Syrian officers …") says
            # nothing of who the two are: they are still the pair read so far, when it is
            # the same pair
            late = len(parties) == 2 and _named_late(view, last)
            if len(parties) == 2 and not late:
                return
            # a sentence naming its parties apart ("Mekdad said Turkish troops must leave")
            # holds no encounter of theirs: "Стороны обсудили …" means an earlier one's
            memo = next((m for m in reversed(self.memos)
                         if len(m.sides) + m.third >= 2 and not m.excluded and not m.split()
                         and self.index - m.index <= self.topic.coreference.window), None)
            if late and memo is not None and (memo.third or memo.sides != parties):
                continue
            if memo is None:
                # no one sentence names two: both sides named across the last ones ("Erdogan
                # returned from Baku. Al-Sharaa had attended too. The two presidents spoke")
                # people by their noun ("the two men", "both leaders"), not a bare "the two"
                # that may open "the two energy ministries"
                named_people = people and not fielded and (
                    last - first >= 2 or view.words[last] in self.topic.coreference.offices)
                both = self._named_lately(view, first, people=named_people)
                if both and (not late or both == parties):
                    for side in sorted(both):
                        lend(view, side, first, last)
                    view.groups.append(Group(first, last, both, frozenset(), True))
                continue
            if len(memo.sides) == 2 and memo.third:
                if people or not memo.paired(self.topic):
                    continue  # more than two: "the two countries" is unclear
                # "… recalled the 1998 agreement between Ankara and Damascus. He said it could
                # become a basis for cooperation between the two countries": the pair
                # coordinated there, whoever else that sentence names
                for side in sorted(memo.sides):
                    lend(view, side, first, last)
                view.groups.append(Group(first, last, memo.sides, frozenset(), True))
                continue
            # "the two ministers" are people: a side named only as a country ("Syria's
            # reconstruction needs") is none of them; a bare "the two" is no such noun (it may
            # open "the two central banks", as where no memo names both)
            bare = last - first < 2 and view.words[last] not in self.topic.coreference.offices
            sides = (memo.actors if people and not bare and not (fielded and not memo.third)
                     else memo.sides)
            # … but "the two transport ministers" hold posts of the two states named, however
            # they were named ("flights between Istanbul and Aleppo")
            if len(sides) + memo.third < 2:
                continue
            for side in sorted(sides):
                lend(view, side, first, last)
            if memo.third:
                lend(view, OTHER, first, last)
            view.groups.append(Group(first, last, sides,
                                     frozenset({first}) if memo.third else frozenset(), True))

    def _mediated(self, view: SentenceView, first: int) -> frozenset[int]:
        """A [coreference] mediated phrase at word ``first`` ("the two neighbours") in a
        sentence whose agent is a third party, named in it (the outlet's own country too)
        or the last subject speaking ("Moscow would seek a dialogue between the two
        neighbours"; "… a basis for the two neighbours to work together, Putin said"; "He
        [Putin] said the accord could be a basis for cooperation between the two
        neighbours"; not "It was the first meeting between the two neighbours"): the agent
        is none of the two, so they are both sides, when this sentence and the window name
        both (in any role) and no subject apart ("the earthquake")."""
        size = self.topic.coreference.mediated.match_at(view.words, first)
        if first < 2 or not size:
            return frozenset()
        home = self.topic.coreference.home
        outside = [p for p in range(len(view.words)) if not first <= p < first + size]
        agent = any(f < first or f >= first + size for f, _, _ in view.third) or any(
            view.words[p] in home for p in outside) or (
            self.topic.coreference.speech.match_at(view.words, 0)
            and self._subject() in (OTHER, UNKNOWN) and self._third_lately())
        if not agent:
            return frozenset()
        return self._named_lately(view, first, mediated=True)

    def _third_lately(self) -> bool:
        """A sentence back to the window names a third party."""
        window = self.topic.coreference.window
        return any(memo.third for memo in self.memos if self.index - memo.index <= window)

    def _discussed_after(self, view: SentenceView, last: int) -> bool:
        """A [context] topical word ("discussed", "обсудили") after word ``last`` and before
        the last side named: the sides are what was discussed ("The two leaders discussed
        Syria's reconstruction, the Turkish presidency said"), not who the two are."""
        topical = self.topic.context.topical
        end = max(m.first for m in view.mentions)
        return any(view.words[p] in topical for p in range(last + 1, end))

    def _group_phrases(self, view: SentenceView, anchors: set[int]
                       ) -> list[tuple[int, int, bool, bool]]:
        """The group phrases of the sentence, as (first, last, whether they mean people,
        whether an office's field stands inside), read also past the field: "the two
        transport ministers" is "the two ministers"."""
        coref = self.topic.coreference
        words = view.words
        found = [(first, last, coref.persons.match_at(words, first, anchors)
                  == last - first + 1, False)
                 for first, last in coref.groups.find(words, anchors)]
        kept = [p for p, word in enumerate(words) if p == 0 or word not in coref.fields]
        if len(kept) == len(words):
            return found
        compact = [words[p] for p in kept]
        at = {p: i for i, p in enumerate(kept)}
        inner = {at[p] for p in anchors if p in at}
        for first, last in coref.groups.find(compact, inner):
            if kept[last] - kept[first] == last - first:
                continue  # no field inside: read already
            people = coref.persons.match_at(compact, first, inner) == last - first + 1
            # "the two transport ministers" replaces the shorter "the two" read above
            found = [item for item in found if item[0] != kept[first]]
            found.append((kept[first], kept[last], people, True))
        return sorted(found)

    def _named_lately(self, view: SentenceView, first: int, *, people: bool = False,
                      mediated: bool = False) -> frozenset[int]:
        """Both sides, when this sentence (before word ``first``) and the sentences back to
        the window name them, in any role, and name no third party (nor the outlet's own
        country next to a side), no subject that names them apart (the earthquake) and no
        contact with someone else:
        "Turkish firms … in Syria … the two governments". ``people``: the phrase means
        people ("the two men"), who are the sides' only when named as actors ("drivers
        crossed from Turkey into Syria … The two men" are not). ``mediated``: a third party
        speaks of the two (:meth:`_mediated`), so third parties and contacts elsewhere do
        not veto and the headline's pair does not stand in."""
        if not mediated and any(f < first for f, _, _ in view.third):
            return frozenset()
        found = {m.side for m in view.mentions if m.last < first
                 and (not people or m.role == "actor")
                 and (mediated or not _organisation(view, m, self.topic))}
        for memo in reversed(self.memos):
            if len(found) == 2:
                break
            if self.index - memo.index > self.topic.coreference.window:
                break
            if memo.excluded or memo.split() or (not mediated and (
                    memo.third or memo.met_elsewhere(self.topic))):
                return frozenset()
            found |= memo.actors if people else memo.named
        head = self._standing_pair() if len(found) < 2 and not mediated else None
        if head is not None:
            # no one in the window: the pair the headline named, in a story naming no one
            # else ("Turkey, Syria and a shrinking Euphrates" … "Officials of the two
            # governments met in Gaziantep")
            found |= head.actors if people else head.named
        return frozenset(found) if len(found) == 2 else frozenset()

    def _standing_pair(self) -> Memo | None:
        """The headline, when it is out of the window now and named both sides and no one
        else, apart from no subject ("the earthquake"), and no sentence since named a third
        party."""
        head = self.headline
        if (head is None or len(head.named) != 2
                or self.index - head.index <= self.topic.coreference.window
                or head.third or head.others or head.excluded or self.seen_third
                or self.at_home or head.split() or head.met_elsewhere(self.topic)):
            return None
        return head

    def _lists(self, view: SentenceView) -> None:
        """"the three countries' ministers": the parties of the nearest earlier sentence naming
        both sides and others, a list whose third parties take part alongside them; or of
        this sentence, when it names both sides and another before the phrase, in any role
        ("gas from Azerbaijan flowed to Syria through Turkey under a deal the three
        countries' ministers signed")."""
        for first, last in self.topic.coreference.lists.find(view.words):
            # any role ("flowed to Syria through Turkey"), but a side named here only as
            # what was told of ("coordinated their positions on Syria") is no member
            named = frozenset(m.side for m in view.mentions if m.last < first
                              and not _told_of(view, m.first, self.topic))
            if len(named) < 2 or not any(f < first for f, _, _ in view.third):
                memo = next((m for m in reversed(self.memos) if len(m.named) + m.others >= 2
                             and self.index - m.index <= self.topic.coreference.window), None)
                # the format's members are its parties: "a summit of Russia, Iran and
                # Turkey on Syria" names Syria as the topic, not a fourth member
                if memo is None or len(memo.members) < 2 or not memo.others:
                    continue
                named = _counted(memo, view.words[first:last + 1], self.topic)
            for side in sorted(named):
                lend(view, side, first, last)
            lend(view, OTHER, first, last)
            view.groups.append(Group(first, last, named, frozenset({first}), True))

    def _counterparts(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        for first, last in self.topic.coreference.counterparts.find(view.words):
            if last + 1 < len(view.words) and view.capitals[last + 1] and not view.title_case:
                continue  # "his counterpart Ayman Safadi": the name says whose
            owner = party_before(view, first)
            if owner is None and any(start < first and not _placed(view, start, self.topic)
                                     for start, _ in runs):
                continue  # "Lavrov met his counterpart": his is someone the lexicon lacks
                # (not a place: «в здании министерства на Балгате гостя встретил Фидан»)
            if owner is None:
                owner = self._subject()
            if owner is None or owner < 0:
                continue
            if owner not in view.sides(parties_only=True):
                lend(view, owner, first, first)
            lend(view, self._counterpart_of(view, owner, first), last, last)
        self._qualified_counterparts(view, runs)

    def _possessed(self, view: SentenceView) -> None:
        """"Ankara's new partners want Turkish trainers", "Новые партнеры Анкары хотят …": a
        possessed counterpart phrase right after a side's possessive, or right before a
        side in the genitive (no preposition between), is the other side, read as "his
        counterpart" is."""
        for first, last in self.topic.coreference.possessed.find(view.words):
            owner = next((m for m in view.mentions if m.last == first - 1
                          and not m.virtual and m.possessive), None)
            if owner is None and last + 1 < len(view.words) and view.joined[last + 1]:
                owner = view.mention_starting(last + 1)
                owner = None if owner is None or owner.virtual else owner
            if owner is None:
                continue
            after = max(last, owner.last) + 1
            if after < len(view.words) and view.joined[after] and (
                    view.words[after] in self.topic.context.venue_before
                    or view.words[after] in self.topic.context.links):
                continue  # "new partners in the Gulf", "новые партнеры Турции в Заливе"
            lend(view, self._counterpart_of(view, owner.side, first), last, last)

    def _counterpart_of(self, view: SentenceView, owner: int, first: int) -> int:
        """Whose "his counterpart" is: the side other than ``owner``, unless the sentences
        back to the window name a third party (a venue too) and not the other side ("Fidan
        arrived in Amman for talks with Jordan's Safadi. … Fidan told his counterpart …":
        Jordan's)."""
        other = 1 - owner
        after = self._named_after_phrase(view, first)
        if after is not None:
            return after  # "its counterpart in Ankara", "коллегой из Иордании"
        if any(f < first for f, _, _ in view.third):
            return OTHER
        if other in {m.side for m in view.mentions if m.last < first}:
            return other
        recent = [memo for memo in self.memos
                  if self.index - memo.index <= self.topic.coreference.window]
        for memo in reversed(recent):
            if memo.view is not None and _qualified_owner(memo.view, self.topic) == OTHER:
                # "Fidan hosted his Jordanian counterpart Safadi … Fidan said his
                # counterpart's visit to Damascus …": the counterpart last qualified by a
                # country, when no later sentence names the other side, is that one
                return OTHER
            if other in memo.named:
                break
        if any(other in memo.named for memo in recent):
            return other
        # a third party named as where he was counts too ("Al-Shaibani was in Baghdad. He
        # and his counterpart agreed …": Iraq's)
        return OTHER if any(memo.third or memo.others for memo in recent) else other

    def _qualified_counterparts(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        """"his Turkish counterpart Burak Akcapar", "его турецкий коллега": a counterpart
        phrase with one side's name inside it is that side's official, and "his" is the
        other side's (the previous subject, or the party named before)."""
        counterparts = self.topic.coreference.counterparts
        for mention in list(view.mentions):
            before, after = mention.first - 1, mention.last + 1
            if (mention.virtual or before < 0 or after >= len(view.words)
                    or counterparts.match_at([view.words[before], view.words[after]], 0) != 2):
                continue
            owner = party_before(view, before)
            if owner is None and any(start < before for start, _ in runs):
                continue  # "Lavrov met his Turkish counterpart": his is someone else
            if owner is None:
                owner = self._subject()
            if owner is not None and owner >= 0 and owner != mention.side:
                lend(view, owner, before, before)

    def _facing(self, view: SentenceView) -> None:
        """"The Turkish side said …", "Сирийская сторона сообщила …" opening a clause in a
        sentence naming no other side: one party of an encounter told before, whose other
        party is the last subject when that is the other side ("Al-Shaibani arrived in … The
        talks lasted three hours. The Turkish side said a road map would be ready"). Not
        "the Turkish side of the border"."""
        coref = self.topic.coreference
        if not coref.facing or len(view.sides()) != 1:
            return
        for mention in view.mentions:
            after = mention.last + 1
            if (mention.virtual or after >= len(view.words) or not view.joined[after]
                    or view.words[after] not in coref.facing):
                continue
            if after + 1 < len(view.words) and (
                    view.words[after + 1] in coref.facing_stops
                    or view.words[after + 1] in self.topic.context.links):
                continue  # "the Turkish side of the border", "on the Syrian side to …"
            start = mention.first
            if start and view.words[start - 1] in coref.definite and view.joined[start]:
                start -= 1
            if not (start == 0 or view.seps[start] == ","
                    or _after_lead_in(view, start, self.topic)):
                continue
            owner = self._subject()
            if owner is not None and owner >= 0 and owner != mention.side:
                lend(view, owner, after, after)
            return

    def _pronoun(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        """A subject pronoun opening the sentence, or a clause after its opening phrase
        ("По его словам, он …", "На обратном пути он …"), with no party named before it;
        or one opening a clause about a place (see _after_place_clause): the sentence's own
        subject, else the last one."""
        coref = self.topic.coreference
        if self._speech(view):
            return
        pronouns = coref.pronouns
        for pos, word in enumerate(view.words):
            if word not in pronouns:
                continue
            placed = (_place_lead_in(view, pos, self.topic)
                      or _companion_lead_in(view, pos, self.topic))
            partner = _coordinated_before(view, pos, self.topic)
            if partner is not None:
                # "told reporters that the Syrian minister and he had agreed": the pronoun
                # is the sentence's own subject, else the last one, not the partner's side
                own = _subject_before(view, runs, partner.first, self.topic)
                owner = own if own is not None else self._subject()
                if owner is not None and owner >= 0 and owner != partner.side:
                    lend(view, owner, pos, pos)
                continue
            antecedent = _antecedent_of_whom(view, pos, self.topic)
            place = _after_place_clause(view, pos, self.topic)
            if (pos == 0 or view.seps[pos] == "," or placed or antecedent is not None
                    or place is not None or _after_lead_in(view, pos, self.topic)):
                if word in coref.neuter and not (
                        pos + 1 < len(view.words) and view.joined[pos + 1]
                        and view.words[pos + 1] in coref.stances):
                    continue  # "It was their third call": the call, not a party
                if place is not None:
                    own = _subject_before(view, runs, place, self.topic)
                    if own is not None:
                        # "Guler made the point in Ankara, where he had received …" (his);
                        # "Medvedev flew to Ankara, where he …" (no side's)
                        if own >= 0:
                            lend(view, own, pos, pos)
                        return
                elif (antecedent is None and not placed
                      and party_before(view, pos) is not None):
                    return
                owner = self._subject()
                if owner is not None and owner != UNKNOWN and owner != antecedent:
                    lend(view, owner, pos, pos)
                return

    def _there(self, view: SentenceView) -> None:
        """"negotiate with the government there" after "back to Damascus": an office word
        before a [coreference] there word is the office of the side whose place (after "in",
        "to", "в") was named last before it, no third party named nearer."""
        coref, context = self.topic.coreference, self.topic.context
        words = view.words
        for pos in range(1, len(words)):
            if (words[pos] not in coref.there or not view.joined[pos]
                    or words[pos - 1] not in coref.offices or pos - 1 in view.covered):
                continue
            places = [m for m in view.mentions if m.last < pos - 1 and not m.virtual
                      and m.first and (words[m.first - 1] in context.venue_before
                                       or words[m.first - 1] in context.links)]
            if not places:
                continue
            place = max(places, key=lambda m: m.last)
            if any(place.last < first < pos for first, _, _ in view.third):
                continue
            lend(view, place.side, pos - 1, pos - 1)

    def _quoted(self, view: SentenceView, folded: str) -> None:
        """A sentence opening a quotation that closes nowhere inside it before more words
        (its speech tag, if any, comes sentences later): its first first-person word, no
        party named before it, is the speaker's, the last subject ('Fidan spoke in Brussels.
        "Our steps will be agreed with Damascus. We want no war," the minister said.')."""
        quoted = self.topic.coreference.quoted
        text = folded[view.start:view.end].lstrip()
        if not quoted or not text or text[0] not in _OPENING:
            return
        if any(mark in _QUOTES for sep in view.seps[1:] for mark in sep):
            return  # closed inside: a tag here names the speaker (see _speech)
        pos = next((p for p, word in enumerate(view.words) if word in quoted), None)
        if pos is None or party_before(view, pos) is not None:
            return
        owner = self._subject()
        if owner is not None and owner != UNKNOWN:
            lend(view, owner, pos, pos)

    def _own_offices(self, view: SentenceView) -> None:
        """"Turkey has suspended all operations at its embassy in Damascus", "Турция
        приостановила работу своего посольства в Дамаске": a possessive of the sentence's
        own subject before a mission word (determiners between) makes that subject, the only
        side named before it and no one else named there, an actor (lent at the
        possessive)."""
        coref, words = self.topic.coreference, view.words
        context = self.topic.context
        for pos, word in enumerate(words):
            if word not in coref.own:
                continue
            nxt = pos + 1
            while (nxt < len(words) and view.joined[nxt] and words[nxt] in context.determiners
                   and words[nxt] not in coref.missions):
                nxt += 1
            if (nxt >= len(words) or not view.joined[nxt]
                    or view.mention_starting(nxt) is not None
                    or words[nxt] not in coref.missions):
                continue
            before = [m for m in view.mentions if m.last < pos]
            sides = {m.side for m in before}
            if (len(sides) != 1 or any(m.virtual for m in before)
                    or any(first < pos for first, _, _ in view.third)
                    or any(m.role == NONPARTY and not m.linkable for m in before)):
                continue
            if any(m.role == "actor" for m in before):
                continue  # "Erdogan … his ambassador": an actor already
            lend(view, next(iter(sides)), pos, pos)
            return

    def _speech(self, view: SentenceView) -> bool:
        """A speech tag set off by a comma (after a closing quote too) or opening the
        sentence ("The new authorities, he said, had agreed …", "…, по его словам, …", '"We
        are in contact with Damascus," he said'): its pronoun is the speaker, the last
        subject, whoever is named before it. True when one was read."""
        coref = self.topic.coreference
        if not coref.speech:
            return False
        pronouns = coref.pronouns
        for first, last in coref.speech.find(view.words):
            if first and not _sets_off(view.seps[first]):
                continue
            pos = next((p for p in range(first, last + 1) if view.words[p] in pronouns), None)
            if pos is None:
                continue
            owner = self._subject()
            if owner is None or owner == UNKNOWN:
                return False
            lend(view, owner, pos, pos)
            return True
        return False

    def _agentless(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        """A clause opening with a common noun and naming no one before its cue, whose cue
        takes the one side named as its object ("The programme was agreed with the
        government in Damascus", "Программа была согласована с правительством в Дамаске"):
        its agent is the last subject, when that is the other side and the sentence before
        named no third party. Without an article the opening word may be a name the lexicon
        lacks ("Lavrov later met …"), so the cue must then follow a passive auxiliary."""
        if view.third or view.venue_spans or len(view.sides()) != 1:
            return
        coref = self.topic.coreference
        head = 1 if view.words and view.words[0] in coref.definite else 0
        pronouns = self.topic.context.pronouns
        for cue in view.cues:
            if (cue.first <= head or any(m.first < cue.first for m in view.mentions)
                    or not (head or view.words[cue.first - 1] in coref.passive)
                    or any(word in pronouns for word in view.words[:cue.first])
                    or any(first < cue.first and (first or last) for first, last in runs)
                    # the venue word after a seated office: "The energy ministry in
                    # Damascus announced …" is that side's own, no agent to borrow (unless
                    # the last subject is its object: "… has asked him for help")
                    or (self.topic.cue_class(cue.cls).venue
                        and not any(word in coref.objects for word in view.words)
                        and any(view.words[p] in self.topic.context.seated
                                and qualified(view, p, runs, self.topic)
                                for p in range(cue.first)))):
                continue
            target = next(objects(cue, view, self.topic), None)
            if target is None:
                continue
            memo = self.memos[-1] if self.memos else None
            if (memo is None or self.index - memo.index > 2 or memo.third
                    or memo.subject is None or memo.subject < 0
                    or memo.subject == target[0].side):
                return
            lend(view, memo.subject, head, head)
            return

    def _named_after_phrase(self, view: SentenceView, first: int) -> int | None:
        """The side (or OTHER) named right after the counterpart phrase at ``first``, past a
        preposition ("in", "from", "из"): whose counterpart it is."""
        size = self.topic.coreference.counterparts.match_at(view.words, first)
        context = self.topic.context
        pos = first + size
        while (pos < len(view.words) and view.joined[pos]
               and (view.words[pos] in context.venue_before or view.words[pos] in context.links
                    or view.words[pos] in context.place_nonparty_before)):
            pos += 1
        if pos >= len(view.words) or not view.joined[pos] or pos == first + size:
            return None
        mention = view.mention_starting(pos)
        if mention is not None:
            return mention.side
        return OTHER if any(f == pos for f, _, _ in view.third) else None

    def _asked_about(self, view: SentenceView) -> None:
        """The side a speaker is asked about: named right after an ``asked`` phrase, at most
        two words between and no punctuation ("Asked about Syria, …", «ответил на вопрос
        журналистов о президенте Сирии Башаре Асаде»)."""
        for _, last in self.topic.coreference.asked.find(view.words):
            mention = next((m for m in view.mentions if last < m.first <= last + 3
                            and not m.virtual
                            and all(view.joined[p] for p in range(last + 1, m.first + 1))),
                           None)
            if mention is not None:
                self.asked = (self.index, mention.side, mention.last)
                return

    def _answers(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        """A pronoun of ``answers`` after what the speaker was asked about, later in that
        sentence or in the next, stands for it ("… Erdogan said he had invited its
        president"; «По его словам, он предложил ему провести встречу»), up to anyone else
        named before it, who may be the one meant ("… said Putin had told him")."""
        if self.asked is None:
            return
        index, side, last = self.asked
        if self.index - index > 1:
            return
        coref = self.topic.coreference
        links = self.topic.context.links
        taken = {p for m in view.mentions for p in range(m.first, m.last + 1)}
        start = last + 1 if index == self.index else 0
        others = [f for f, _, _ in view.third] + [f for f, _ in runs] + [
            p for p, word in enumerate(view.words) if word in coref.home]
        end = min((f for f in others if f >= start), default=len(view.words))
        for pos in range(start, end):
            word = view.words[pos]
            if word not in coref.answers or pos in taken:
                continue
            if word in coref.neuter and not (pos and view.words[pos - 1] in links):
                continue  # "it said", "it was": a thing, or the speaker's own side
            lend(view, side, pos, pos)

    def _objects(self, view: SentenceView) -> None:
        """An object pronoun next to a transitive cue ("Guler received him", "его принял
        Гюлер"), or after its link ("talks with him", "переговорил с ним"): the last
        subject, when it is a side."""
        objects = self.topic.coreference.objects
        links = self.topic.context.links
        taken = {p for m in view.mentions for p in range(m.first, m.last + 1)}
        for pos, word in enumerate(view.words):
            if (word not in objects or pos in taken
                    or self.topic.coreference.counterparts.match_at(view.words, pos)):
                continue  # "принял его коллегу": his counterpart, not him
            if not any((cue.transitive and (cue.last + 1 == pos or cue.first - 1 == pos))
                       or (cue.last + 2 == pos and view.joined[pos] and view.joined[pos - 1]
                           and view.words[pos - 1] in links)
                       for cue in view.cues):
                continue
            owner = self._subject()
            if owner is not None and owner >= 0:
                lend(view, owner, pos, pos)

    def _countries(self, view: SentenceView) -> None:
        """"the country's defence minister", "министр обороны страны": an office of the
        country named first in the nearest earlier sentence naming one (or of the party named
        before it in this sentence)."""
        context = self.topic.context
        for first, last in self.topic.coreference.countries.find(view.words):
            before = view.words[first - 1] if first else ""
            after = view.words[last + 1] if last + 1 < len(view.words) else ""
            if not (before in context.actor_before or after in context.actor_after
                    or view.possessive[last]):
                continue  # "две страны", "the country is tired": not an office's owner
            owner = party_before(view, first)
            if owner is None:
                owner = next((m.country for m in reversed(self.memos)
                              if m.country is not None
                              and self.index - m.index <= self.topic.coreference.window), None)
            if owner is not None and owner >= 0:
                lend(view, owner, first, last)

    def _subject(self) -> int | None:
        for memo in reversed(self.memos):
            if self.index - memo.index > self.topic.coreference.window:
                return None
            if memo.subject is not None:
                return memo.subject
        return None

    # --- learning --------------------------------------------------------------------------

    def _home_party(self, view: SentenceView) -> bool:
        """The outlet's own country is named here other than as a place: "Erdogan told
        Putin", not "Аббас прибыл в Москву", "по возвращении из Москвы" (where a format
        met, as a third party after "in" is a venue)."""
        places = self.topic.context.place_prepositions
        people = self.topic.context.nonparty_after
        words = view.words
        # … nor people or firms of it ("Российские экспортеры", "Russian tour operators"):
        # no party, as "Syrian refugees" are none
        return any(word in self.topic.coreference.home
                   and not (pos and view.joined[pos] and words[pos - 1] in places)
                   and not (pos + 1 < len(words) and view.joined[pos + 1]
                            and words[pos + 1] in people)
                   for pos, word in enumerate(words))

    def _learn(self, view: SentenceView, runs: list[tuple[int, int]], home: bool,
               party: bool) -> None:
        """``home``: the sentence names the outlet's own country ("Putin", "Кремль"), a
        third party for "the two leaders" read later ("Erdogan told Putin … The two leaders
        discussed …" is not Erdogan and Assad); ``party``: other than as a place."""
        for first, last in runs:
            owner = title_owner(view, first, last, self.topic)
            if owner is None:
                owner = self._topic_owner(view, first)
            if owner is not None and len(view.words[last]) >= _MIN_NAME:
                self.names[view.words[last]] = owner
        # a listed full name ("Omer Bolat", "Алпарслан Байрактар", "Hussein al-Salama": a
        # particle may be lowercase): the surname alone later
        particles = self.topic.coreference.particles
        for m in view.mentions:
            if (not m.virtual and m.role == "actor" and m.last > m.first
                    and all(cap or word in particles for cap, word in
                            zip(view.capitals[m.first:m.last + 1],
                                view.words[m.first:m.last + 1], strict=True))
                    and view.capitals[m.last]
                    and len(view.words[m.last]) >= _MIN_NAME):
                self.names.setdefault(view.words[m.last], m.side)
        venues = venues_in(view, self.topic)
        sides = frozenset(m.side for m in view.mentions
                          if m.role != NONPARTY and m.first not in venues)
        self.seen.update(m.side for m in view.mentions)
        self.seen_third = self.seen_third or bool(view.third)
        subject = first_named(view, runs, self.topic)
        if subject is None and len(self.seen) == 1 and not (
                self.seen_third or self.at_home or home or view.third or view.title_case):
            # "Syria will print new banknotes, the central bank governor said. He …": in a
            # story that so far names one side only, the speaker is that side's
            subject = next(iter(self.seen))
        actors = frozenset(m.side for m in view.mentions
                           if m.role == "actor" and m.first not in venues)
        # a third party's people or firms ("via Turkish and Lebanese firms") are no state:
        # no third party of "the two governments" read later
        states = any(not _people_of(view, first, last, self.topic)
                     for first, last, _ in view.third) or _foreign_office(view, runs,
                                                                         self.topic)
        self.memos.append(Memo(self.index, sides, states or party, subject,
                               first_country(view, self.topic), actors,
                               frozenset(m.side for m in view.mentions
                                         if not _organisation(view, m, self.topic)),
                               bool(view.third or view.venue_spans) or home,
                               any(key in self.topic.coreference.apart
                                   for key in view.exclusions),
                               frozenset(m.side for m in view.mentions
                                         if m.role != NONPARTY or m.linkable), view))
        if self.index == 0:
            self.headline = self.memos[-1]

    def _topic_owner(self, view: SentenceView, first: int,
                     venues: Collection[int] = ()) -> int | None:
        """"Trade Minister Omer Bolat" with no country, in an article that so far names one
        side and no third party: that side's minister (the article's topic fixes it). A side
        named here only as a venue (``venues``: "talks in Ankara") does not count."""
        sides = self.seen | {m.side for m in view.mentions
                             if m.role != NONPARTY and m.first not in venues}
        if (len(sides) != 1 or self.seen_third or self.at_home or view.third
                or view.title_case):
            return None
        offices = self.topic.coreference.offices
        pos = first - 1
        # the office's field may stand between: "министр торговли Омер Болат"
        while pos >= 0 and first - pos <= 3 and view.joined[pos + 1]:
            if view.words[pos] in offices:
                if self._partner(view, pos):
                    return None
                return next(iter(sides)) if qualifier(view, pos, self.topic) is None else None
            if pos != first - 1 and view.capitals[pos] and pos:
                return None
            pos -= 1
        return None

    def _partner(self, view: SentenceView, office: int) -> bool:
        """The office at word ``office`` opens the object of a cue (a transitive one, or
        one with a link after it), determiners and other office words between ("al-Sharaa
        met President Trump", "переговоры с премьер-министром Стармером"): the other party
        of a contact, whom the article's one side does not fix."""
        context, coref = self.topic.context, self.topic.coreference
        pos, linked = office - 1, False
        while pos >= 0 and view.joined[pos + 1] and (
                view.words[pos] in context.determiners or view.words[pos] in context.links
                or view.words[pos] in coref.offices or view.words[pos] in coref.fields):
            linked = linked or view.words[pos] in context.links
            pos -= 1
        # a speech verb after a quote or comma names its speaker: «…», — сказал министр X
        return pos >= 0 and view.joined[pos + 1] and any(
            (cue.transitive or linked) and cue.last == pos
            and not (self.topic.cue_class(cue.cls).actor_object and view.seps[cue.first])
            for cue in view.cues)

    def _learn_offices(self, view: SentenceView, runs: list[tuple[int, int]]) -> None:
        offices = self.topic.coreference.offices
        lent = {m.first for m in view.mentions if m.virtual}
        for pos, word in enumerate(view.words):
            if word not in offices or pos in lent:
                continue
            if pos in view.proper:
                # an office word inside a side's term ("Syria's interim president"): the
                # side named around it
                owner = phrase_owner(view, pos, pos, self.topic, need_office=False)
                if owner is not None:
                    self.offices.setdefault(word[:5], []).append((self.index, owner))
                continue
            if pos not in view.covered and qualified(view, pos, runs, self.topic):
                owner = qualifier(view, pos, self.topic)
                if owner is None:
                    owner = phrase_owner(view, pos, pos, self.topic, need_office=False)
                if owner is not None and any(
                        m.side == owner and m.role == NONPARTY and 0 < pos - m.last <= 2
                        and not m.linkable for m in view.mentions):
                    # "Syrian opposition leaders" before 2024-12-08: the side's name that
                    # this office makes no party does not own it ("the opposition's team")
                    continue
                if owner is not None:
                    self.offices.setdefault(word[:5], []).append((self.index, owner))

    def _office_owner(self, key: str) -> int | None:
        """The side an office was seen with: the only one, or the last one if that was
        within the window (an article naming both presidents leaves "the president" open)."""
        seen = self.offices.get(key)
        if not seen:
            return None
        index, owner = seen[-1]
        if owner == UNKNOWN:
            return None  # last seen with someone the lexicon does not know
        if len({owner for _, owner in seen}) == 1:
            return owner
        return owner if self.index - index <= self.topic.coreference.window else None

    def _name_owner(self, word: str) -> int | None:
        if word in self.names:
            return self.names[word]
        if word in self.ahead:
            return self.ahead[word]
        for name, owner in (*self.names.items(), *self.ahead.items()):
            stem = name[:-1] if len(name) > _MIN_NAME and name[-1] in _VOWELS else name
            if word.startswith(stem) and len(word) - len(stem) <= 3:
                return owner
        return None


#: quotation marks as they stand in a separator, folded or not
_QUOTES = frozenset('"\'«»“”„')
#: marks that may open a quotation
_OPENING = frozenset('"«“„')


def _organisation(view: SentenceView, mention: Mention, topic: Topic) -> bool:
    """The side's name opens a capitalized name of a body that is no state, a [context]
    nonparty_after word after it: "the Syrian National Army", "Turkish Airlines" (it names
    no country: no half of "the two sides" read later)."""
    after = mention.last + 1
    return (not mention.virtual and mention.role == NONPARTY and after < len(view.words)
            and view.joined[after] and view.capitals[mention.first]
            and (view.capitals[after] or _opens_russian_name(view, mention.first))
            and not view.title_case
            and topic.context.nonparty_after.any_of(phrases_at(view.words, after, 1)))


def _opens_russian_name(view: SentenceView, pos: int) -> bool:
    """A capitalized Russian word inside the sentence opens a name: Russian writes a
    country's adjective in lowercase and capitalizes a name's first word only («Сирийских
    демократических сил», «Турецкие авиалинии»)."""
    return pos > 0 and not view.seps[pos] and _CYRILLIC.match(view.words[pos]) is not None


def _people_of(view: SentenceView, first: int, last: int, topic: Topic) -> bool:
    """The name at words ``first``…``last``, coordinated after a side, qualifies people,
    firms or goods with it ([context] nonparty_after words: "via Turkish and Lebanese
    firms"), not a state. Alone it still points at its country ("по данным израильских
    СМИ")."""
    after, before = last + 1, first - 1
    return (after < len(view.words) and view.joined[after] and before > 0
            and view.joined[first] and view.words[before] in topic.context.conjunctions
            and any(m.last == before - 1 and not m.virtual for m in view.mentions)
            and topic.context.nonparty_after.any_of(phrases_at(view.words, after, 1)))


def _sets_off(sep: str) -> bool:
    """A separator setting a speech tag off: a comma, after a closing quote too ('…,"
    he said'), or a quote and a dash («…», — сказал он; "…" - he said)."""
    bare = "".join(mark for mark in sep if mark not in _QUOTES)
    return bare == "," or (bare in (",-", "-") and bare != sep)


_LATE = 3


def _named_late(view: SentenceView, last: int) -> bool:
    """One side is named as a party only more than ``_LATE`` words after word ``last`` (a
    group phrase): in a later clause, not in an apposition to the phrase."""
    near = {m.side for m in view.mentions if m.role != NONPARTY and m.first <= last + _LATE}
    return any(m.role != NONPARTY and m.side not in near for m in view.mentions)


def _named_after(view: SentenceView, pos: int) -> bool:
    """A capitalized word or a party's name right after word ``pos``."""
    after = pos + 1
    if after >= len(view.words):
        return False
    sides, third = view.named_positions()
    return view.capitals[after] or after in sides or after in third


def _placed(view: SentenceView, first: int, topic: Topic) -> bool:
    """The name at word ``first`` is a place, right after a place preposition ("in Bestepe",
    «на Балгате»)."""
    return first > 0 and view.joined[first] and view.words[first - 1] in (
        topic.context.place_prepositions)


def _modifier(view: SentenceView, last: int) -> bool:
    """A name hyphened to a lowercase word modifies it ("Russian-brokered"): no party."""
    after = last + 1
    return after < len(view.words) and view.seps[after] == "-" and not view.capitals[after]


#: an unpunctuated opening phrase before a subject pronoun: "На обратном пути он", "Later he"
_LEAD_IN = 4


def _after_lead_in(view: SentenceView, pos: int, topic: Topic) -> bool:
    """``pos`` follows a short opening phrase of common words, none of them a name (the first
    word's capital says nothing): "На обратном пути он …", "Two days later she …", or a
    time phrase of [context] adverbials whatever its capitals ("On Wednesday he …")."""
    if not 0 < pos <= _LEAD_IN or view.title_case:
        return False
    # a side named as no party is no name here: "Turkish media said he met …" (the media's
    # country, as "Local media said he …")
    bystanders = {p for m in view.mentions if m.role == NONPARTY and not m.linkable
                  and not m.virtual and m.last < pos for p in range(m.first, m.last + 1)}
    named = (view.covered | view.acronyms) - bystanders
    if topic.context.adverbials.match_at(view.words, 0) == pos:
        return all(p not in named for p in range(pos))
    return all(p not in named and (p == 0 or p in bystanders or not view.capitals[p])
               for p in range(pos))


def _place_lead_in(view: SentenceView, pos: int, topic: Topic) -> bool:
    """``pos`` follows a short opening prepositional phrase whose only name is a side's
    place: "At Aleppo station he was met by …", "В Алеппо он встретился с …" (the place is
    where, not who: the pronoun is still the last subject); or, set off by a comma, a third
    party's, after a time word too ([historic] baseline): "After Riyadh, he flew to Ankara"."""
    if not 1 < pos <= _LEAD_IN or view.title_case:
        return False
    comma = "," in view.seps[pos]
    if view.words[0] not in topic.context.prepositions and not (
            comma and view.words[0] in topic.historic.baseline):
        return False
    thirds = [(first, last) for first, last, _ in view.third if first < pos]
    if any(p < pos for p in view.acronyms) or (thirds and (
            not comma or any(last >= pos for _, last in thirds))):
        return False
    places = [m for m in view.mentions if m.first < pos]
    if not (places or thirds) or any(m.role == "actor" or m.virtual or m.last >= pos
                                     for m in places):
        return False
    inside = {p for m in places for p in range(m.first, m.last + 1)}
    inside.update(p for first, last in thirds for p in range(first, last + 1))
    return all(p in inside or p == 0 or not view.capitals[p] for p in range(pos))


def _companion_lead_in(view: SentenceView, pos: int, topic: Topic) -> bool:
    """``pos`` follows an opening companion phrase ([context] companions) whose only name is
    one side's person: "Together with Yasar Guler he signed …", «Вместе с Яшаром Гюлером он
    подписал …» (the companion is a partner; the pronoun is still the last subject)."""
    lead = topic.context.companions.match_at(view.words, 0)
    if not lead or not lead < pos <= lead + _LEAD_IN or view.title_case:
        return False
    if any(first < pos for first, _, _ in view.third) or any(p < pos for p in view.acronyms):
        return False
    people = [m for m in view.mentions if m.first < pos]
    return len({m.side for m in people}) == 1 and all(
        m.role == "actor" and not m.virtual and m.first >= lead and m.last == pos - 1
        for m in people)


def _after_source(view: SentenceView, pos: int, topic: Topic) -> bool:
    """The office word at ``pos`` closes a prepositional phrase of attribution ("according
    to the ministry", "по данным ведомства"; a [context] sources phrase of two words or
    more): the teller of the news, no party of it. Not after a verb of saying ("Husrieh
    said the bank had signed …": the bank opens what was said)."""
    end = pos
    while end > 0 and view.joined[end] and view.words[end - 1] in topic.context.determiners:
        end -= 1
    sources = topic.context.sources
    return any(end - start >= 2 and sources.match_at(view.words, start) == end - start
               for start in range(max(0, end - 3), end - 1))


def _told_of(view: SentenceView, first: int, topic: Topic) -> bool:
    """The mention at word ``first`` follows a [context] about word ("positions on Syria",
    "переговоры о Сирии"; determiners may stand between): what was told of, no member of a
    list of countries."""
    pos = first - 1
    while pos >= 0 and view.joined[pos + 1] and view.words[pos] in topic.context.determiners:
        pos -= 1
    return pos >= 0 and view.joined[pos + 1] and view.words[pos] in topic.context.about


#: how long a sentence-opening prepositional phrase may be ("In a later interview with a
#: Turkish broadcaster in New York, the president …")
_OPENING_PHRASE = 12


def _opening_phrase(view: SentenceView, pos: int, topic: Topic) -> bool:
    """Words before ``pos`` are one prepositional phrase opening the sentence, closed by the
    first comma at ``pos``: "In a later interview in New York, the president …", "В
    интервью телеканалу в Нью-Йорке, президент …" (names inside it are governed by it)."""
    return (0 < pos <= _OPENING_PHRASE and view.words[0] in topic.context.prepositions
            and not any("," in view.seps[p] for p in range(1, pos)))


def _opens(view: SentenceView, pos: int, topic: Topic) -> bool:
    """An office word standing as the subject: "The diplomat …", "Затем дипломат …", "The
    top diplomat …" (one lowercase modifier after the article), also after a short opening
    phrase and its comma ("In the evening, the minister flew on to …")."""
    before = view.words[pos - 1] if pos else ""
    if pos == 0 or (pos <= 2 and (before in topic.coreference.definite or pos == 1)):
        return True
    endings = topic.coreference.modifier_endings
    if pos == 2 and endings and view.joined[1] and view.joined[2] and (
            not view.capitals[1] and not {0, 1} & view.covered
            and all(view.words[p].endswith(endings) for p in (0, 1))):
        # no article (Russian): two modifiers open the sentence («Бывший полевой командир
        # встретился …»)
        return True
    if (before in topic.coreference.definite and view.seps[pos - 1] == ","
            and (_after_lead_in(view, pos - 1, topic) or _opening_phrase(view, pos - 1, topic))):
        return True
    # a time phrase with no comma: "On Monday the minister's office …", "В понедельник
    # министр …"
    lead = topic.context.adverbials.match_at(view.words, 0)
    if lead and (lead == pos or (lead == pos - 1 and before in topic.coreference.definite)):
        return True
    return (2 <= pos <= 3 and view.words[pos - 2] in topic.coreference.definite
            and view.joined[pos - 1] and view.joined[pos] and not view.capitals[pos - 1])


#: words an office phrase may run before the name it holds («Глава сирийского военного
#: ведомства»)
_OFFICE_REACH = 5


def _foreign_office(view: SentenceView, runs: list[tuple[int, int]], topic: Topic) -> bool:
    """An office held by a country the lexicon does not list: an office word right before
    a capitalized unknown word in the genitive («премьер-министром Венгрии Виктором
    Орбаном») or right after one that is no office field ("Hungarian Prime Minister Viktor
    Orban"). Its sentence names a third party, so "обе страны" read next are not the sides."""
    if view.title_case:
        return False
    offices, fields = topic.coreference.offices, topic.coreference.fields
    named = {p for m in view.mentions for p in range(m.first, m.last + 1)}
    for first, last in runs:
        before = first - 1
        if (before >= 0 and view.joined[first] and view.words[before] in offices
                and not view.capitals[before]):
            # owned by no one named in the office phrase before it or next to it
            # («Глава сирийского военного ведомства Али Махмуд Аббас» is a side's,
            # «Российский министр» Russia's)
            near = range(max(0, first - _OFFICE_REACH), last + 2)
            if not any(p in named or view.words[p] in topic.coreference.home
                       for p in near if p < len(view.words)):
                return True
        after = last + 1
        if (first == last and after < len(view.words) and view.joined[after]
                and view.words[after] in offices and view.words[first] not in fields
                and view.words[first] not in topic.coreference.particles
                and view.words[first] not in topic.coreference.home):
            return True
    return False


def _qualified_owner(view: SentenceView, topic: Topic) -> int | None:
    """Whose counterpart a sentence last named with a country inside the phrase ("his
    Jordanian counterpart", "его турецкий коллега"): that side, OTHER for a third party,
    None when it names none."""
    counterparts = topic.coreference.counterparts
    words = view.words
    found: tuple[int, int] | None = None
    spans = [(m.first, m.last, m.side) for m in view.mentions if not m.virtual]
    spans += [(f, last, OTHER) for f, last, _ in view.third]
    for first, last, owner in spans:
        before, after = first - 1, last + 1
        if (before >= 0 and after < len(words)
                and counterparts.match_at([words[before], words[after]], 0) == 2
                and (found is None or first > found[0])):
            found = (first, owner)
    return None if found is None else found[1]


#: how many words of an aside may stand between "whom" and the pronoun ("with whom, his
#: office said, he spoke")
_WHOM_ASIDE = 5


def _antecedent_of_whom(view: SentenceView, pos: int, topic: Topic) -> int | None:
    """The side of the party a relative pronoun in the object case refers to, when the
    subject pronoun at ``pos`` opens its clause: "Syria's al-Sharaa, with whom (his office
    said,) he spoke", «аш-Шараа, которого он принял». The pronoun is then someone else,
    and the party named before it is no reason to leave it alone."""
    at = whom_before(view, pos, _WHOM_ASIDE, topic)
    if at is None or (at + 1 < pos and view.seps[pos] != ","):
        return None
    found = antecedent_of(view, at, topic)
    if found is None:
        return None
    opener, before = found
    if any(opener <= m.first < pos for m in view.mentions) or any(
            opener <= first < pos for first, _, _ in view.third):
        return None
    return before.side


#: how many words of a ministry's field may stand between an office and its holder
_FIELD_WORDS = 2


def _held_by_counterpart(view: SentenceView, pos: int, topic: Topic) -> bool:
    """The office at ``pos`` is held by a counterpart phrase after it ("главу министерства
    энергетики соседней страны", "the foreign minister of the neighbouring country"): its
    holder is whom that phrase means, not the last holder of such an office."""
    counterparts = topic.coreference.counterparts
    for at in range(pos + 1, min(len(view.words), pos + 2 + _FIELD_WORDS + 1)):
        if not view.joined[at]:
            return False
        if counterparts.match_at(view.words, at):
            return True
    return False


def _after_place_clause(view: SentenceView, pos: int, topic: Topic) -> int | None:
    """The first word of the place a clause opened by the pronoun at ``pos`` is about
    ("would take him to Ankara, where he is due to meet Fidan", «прибыл в Анкару, где он
    встретился с …»), or None: the place is no person, so the pronoun is someone else."""
    opener = pos - 1
    if opener < 1 or "," not in view.seps[opener] or not view.joined[pos] or (
            view.words[opener] not in topic.coreference.place_clauses):
        return None
    context = topic.context
    place = max((m for m in view.mentions if m.last < opener and not m.virtual),
                key=lambda m: m.last, default=None)
    if place is None or place.first < 1:
        return None
    gap = opener - 1 - place.last
    if gap and context.adverbials.match_at(view.words, place.last + 1) != gap:
        return None  # "to Ankara on Wednesday, where …": a time phrase may stand between
    before = view.words[place.first - 1]
    if before in context.place_nonparty_before or before in context.venue_before:
        return place.first
    return None


def _subject_before(view: SentenceView, runs: list[tuple[int, int]], end: int,
                    topic: Topic) -> int | None:
    """The side (or OTHER, UNKNOWN) of the first party named before word ``end`` outside a
    prepositional phrase: the sentence's own subject, if it has one there."""
    governed = topic.context.prepositions | topic.context.place_nonparty_before

    def free(first: int) -> bool:
        return first == 0 or view.words[first - 1] not in governed

    named = [(m.first, m.side) for m in view.mentions
             if m.first < end and not m.virtual and m.role != NONPARTY and free(m.first)]
    named += [(first, OTHER) for first, _, _ in view.third if first < end and free(first)]
    named += [(first, UNKNOWN) for first, _ in runs if first < end and free(first)
              and not any(m.first <= first <= m.last for m in view.mentions)]
    return min(named)[1] if named else None


#: how many office words may follow the side a pronoun is coordinated with
_PARTNER_OFFICE = 2


def _coordinated_before(view: SentenceView, pos: int, topic: Topic) -> Mention | None:
    """The side the subject pronoun at ``pos`` is coordinated with, right before it ("the
    Syrian minister and he had agreed", «сирийский министр и он»), or None."""
    conjunction = pos - 1
    if conjunction < 1 or not view.joined[pos] or not view.joined[conjunction] or (
            view.words[conjunction] not in topic.context.conjunctions):
        return None
    last = conjunction - 1
    while last > 0 and conjunction - last <= _PARTNER_OFFICE and view.joined[last] and (
            view.words[last] in topic.coreference.offices):
        last -= 1  # "the Syrian minister and he": the side before its office word
    return next((m for m in view.mentions if m.last == last and not m.virtual
                 and m.role != NONPARTY), None)
