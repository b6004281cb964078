"""Typed, immutable form of a topic's rules, as read from its TOML file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from .phrases import PhraseSet

if TYPE_CHECKING:
    from .opinion import SecondOpinion

BINDINGS = ("tight", "paired", "actors", "loose", "window", "venue")
THIRD_PARTY_MODES = ("nearest", "strict", "sentence", "off")
ROLES = ("actor", "place")
OUTSIDE_ROLES = ("actor", "place", "drop")


@dataclass(frozen=True, slots=True)
class Alias:
    """Terms naming one side, with the role they play and when that role is valid."""

    terms: tuple[str, ...]
    role: str
    valid_from: date | None = None
    valid_until: date | None = None
    outside: str = "drop"
    #: a description ("interim government"), not a name: another proper name qualifying it
    #: ("Mali's transitional government", "временное правительство Бангладеш") drops it
    generic: bool = False
    #: a city of the side ("Istanbul", "Aleppo"): a place that a venue cue may take as the
    #: side's seat, the way it takes a capital ("talks in Istanbul" = in Turkey)
    seat: bool = False

    def role_on(self, day: date | None) -> str:
        """Role of these terms on ``day`` ("drop" means: ignore them); None accepts all."""
        if day is None:
            return self.role
        if self.valid_from is not None and day < self.valid_from:
            return self.outside
        if self.valid_until is not None and day >= self.valid_until:
            return self.outside
        return self.role


@dataclass(frozen=True, slots=True)
class Default:
    """Office words that name one side when no sentence has tied them to anyone: "the
    regime" in a story before 2024-12-08 is Assad's government (see [coreference])."""

    terms: WordSet
    side: str
    valid_from: date | None = None
    valid_until: date | None = None

    def valid_on(self, day: date | None) -> bool:
        """Whether the default holds on ``day`` (an undated article: never)."""
        if day is None:
            return False
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day < self.valid_until


@dataclass(frozen=True, slots=True)
class Side:
    """One of the two parties whose relation the topic is about."""

    name: str
    aliases: tuple[Alias, ...]
    #: words after a mention that make this side (only) a non-party ("Syrian opposition")
    nonparty_after: WordSet = field(default_factory=lambda: WordSet())


@dataclass(frozen=True, slots=True)
class Near:
    """A two-part cue: a ``first`` term followed by a ``second`` within ``max_gap`` words.
    ``transitive``: the cue takes the side right after it as its object ("attended the
    ceremony with <side>")."""

    first: tuple[str, ...]
    second: tuple[str, ...]
    max_gap: int
    transitive: bool = False


@dataclass(frozen=True, slots=True)
class CueClass:
    """A named class of relation cues ("strong", "weak", …).

    ``possessor_gap``: a side in the possessive ("Türkiye's"), or a coordinated pair written
    as a modifier ("Turkish-Syrian", "Turkey and Syria's"), at most this many words before a
    cue of this class is a party of that cue whatever precedes it ("adjusting to Türkiye's
    rapprochement", "progress in Turkish-Syrian talks"); None disables this.
    """

    name: str
    terms: tuple[str, ...]
    transitive: tuple[str, ...]
    near: tuple[Near, ...]
    possessor_gap: int | None = None
    #: the party before a transitive cue of this class must be an actor (an official, a
    #: government), not a country as a place ("Turkish officials in Damascus", but not
    #: "Turkish troops in Syria")
    actor_subject: bool = False
    #: the class's cues are venue words before a side ("in Damascus"), made by the view
    venue: bool = False
    #: a coordinated pair binds a cue of this class only after it ("steps for Ankara and
    #: Damascus", not "Turkey and Syria are taking steps")
    pair_after: bool = False
    #: a transitive cue of this class binds only an actor as its object ("told Assad's
    #: envoy", not "told Syrian reporters")
    actor_object: bool = False
    #: a cue of this class binds only through its own object, the other side its subject
    #: ("Turkey will help Syria's government", not "the U.S. will help Turkey and Syria")
    object_only: bool = False
    #: a coordinated pair or list binds a cue of this class only when it names an actor
    #: ("Turkish and Syrian ministers inaugurated", not "Turkey and Syria opened plants")
    actor_pair: bool = False
    #: the class's cues name events a city hosts ("the Damascus International Fair"): a
    #: side's city before one in the same noun phrase is the event's venue
    gathering: bool = False


@dataclass(frozen=True, slots=True)
class Grades:
    """Terms that decide between the "development" and "mention" grades."""

    development: tuple[str, ...]
    negation: tuple[str, ...]
    hedges: tuple[str, ...]
    #: the single plain words among the terms and the flags each sets (see plain_words)
    words: Mapping[str, frozenset[str]] = field(init=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", self.plain_words())

    def by_kind(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The terms of each grade flag ("dev", "neg", "hedge")."""
        return (("dev", self.development), ("neg", self.negation), ("hedge", self.hedges))

    def plain_words(self) -> dict[str, frozenset[str]]:
        """Single plain words ("не", "not", "met") and the flags each sets. They are looked up
        among a sentence's words, not scanned for in the text: short words occur inside
        many others ("не" in "нет", "ни" in "они"), and each such occurrence costs a scan."""
        words: dict[str, set[str]] = {}
        for kind, terms in self.by_kind():
            for term in terms:
                if plain_word(term):
                    words.setdefault(term, set()).add(kind)
        return {word: frozenset(kinds) for word, kinds in words.items()}


def plain_word(term: str) -> bool:
    """A whole word of letters and digits, no prefix star: what a sentence's word can be."""
    return term.isalnum()


@dataclass(frozen=True, slots=True)
class WordSet:
    """Folded words and two-word phrases; a word written with a trailing ``*`` is a prefix.

    Prefixes let one entry cover an inflected word ("границ*": граница, границы, границе…)
    and apply to single words only, never to a two-word phrase.
    """

    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    excluded: frozenset[str] = frozenset()

    @classmethod
    def of(cls, terms: Iterable[str]) -> WordSet:
        """Build from topic-file terms (already folded)."""
        terms = list(terms)
        prefixes = tuple(sorted({t[:-1] for t in terms if t.endswith("*") and len(t) > 1}))
        return cls(frozenset(t for t in terms if not t.endswith("*")), prefixes)

    def __contains__(self, word: object) -> bool:
        # exact and excluded are disjoint by construction (see __or__ and __sub__)
        if word in self.exact:
            return True
        return (bool(self.prefixes) and isinstance(word, str) and " " not in word
                and word.startswith(self.prefixes) and word not in self.excluded)

    def __or__(self, other: WordSet) -> WordSet:
        return WordSet(self.exact | other.exact, self.prefixes + other.prefixes,
                       (self.excluded | other.excluded) - self.exact - other.exact)

    def __sub__(self, other: WordSet) -> WordSet:
        return WordSet(self.exact - other.exact, self.prefixes, self.excluded | other.exact)

    def any_of(self, phrases: Iterable[str]) -> bool:
        """True when one of ``phrases`` is in the set."""
        return any(phrase in self for phrase in phrases)


@dataclass(frozen=True, slots=True)
class Context:
    """Word lists (folded, possessive-free) that give a mention its role or link it."""

    connectors: WordSet
    links: WordSet
    determiners: WordSet
    pronouns: WordSet
    actor_after: WordSet
    nonparty_after: WordSet
    nonparty_before: WordSet
    place_nonparty_before: WordSet
    actor_before: WordSet = WordSet()
    venue_before: WordSet = WordSet()
    #: relative pronouns opening a clause after a comma ("Turkey, which agreed …"): the
    #: country before them is that clause's subject, a state acting (an actor)
    relative: WordSet = WordSet()
    #: words naming a side's seat with the side's place next to them ("the Syrian capital",
    #: "в столице Сирии"): after a venue word, a visit there as to "Damascus"
    seat_words: WordSet = WordSet()
    #: cue words whose object is the subject discussed, not a partner ("Erdogan and al-Sharaa
    #: discussed Israeli strikes", "обсудили израильские удары"): a third party right after
    #: one, with a side named before it, is the topic, not the cue's party
    topical: WordSet = WordSet()
    #: words tying a phrase of office words to the parties holding the offices ("foreign
    #: ministers of Syria, Jordan and Iraq", "defence chiefs from Iraq, Turkey and Syria"):
    #: such a phrase between a cue and its object or list is part of the object
    holders: WordSet = WordSet()
    #: collective offices of a state ("government", "authorities", "власти"): right before
    #: a venue word and a side's seat they are that side's ("the government in Damascus"),
    #: no other side's office standing there
    seated: WordSet = WordSet()
    #: time phrases that may stand between a cue and its object ("посетивший на прошлой
    #: неделе Анкару", "прибыл во вторник в Дамаск")
    adverbials: PhraseSet = field(default_factory=PhraseSet, kw_only=True)
    #: phrases naming co-participants ("together with", "вместе с"): a third party after
    #: one takes part alongside the sides, it is not the cue's party
    companions: PhraseSet = field(default_factory=PhraseSet, kw_only=True)
    #: phrases opening a contrastive clause after a comma ("while", "whereas", "а", "в то
    #: время как"): like a semicolon, they part two clauses, so no pair, subject or party
    #: of a cue is read across one ("… Turkey's economy, while Syria's pound fell")
    contrasts: PhraseSet = field(default_factory=PhraseSet, kw_only=True)
    #: phrases that open like a contrast but add to the same clause ("а также", "а затем",
    #: "while also"): no break ("Эрдоган обсудил торговлю, а также отношения с Сирией")
    additives: PhraseSet = field(default_factory=PhraseSet, kw_only=True)
    #: prepositions of what is told ("briefed Fidan on talks with …", "проинформировала
    #: турецких коллег о контактах с …"): a contact cue right after one is the teller's
    about: WordSet = field(default_factory=WordSet, kw_only=True)
    #: words naming a traveller's next stop after a cue's object ("visits Damascus, then
    #: Ankara", "посетил Дамаск, а затем Анкару"): the side after one is another
    #: destination of the same subject, not the subject
    sequels: PhraseSet = field(default_factory=PhraseSet, kw_only=True)
    #: verbs of permission whose object does what follows ("allowed heads of households to
    #: make short visits to Syria", "разрешили беженцам посещать Сирию"): someone other than
    #: a side named there is the cue's subject, not the one who permits
    permits: WordSet = field(default_factory=WordSet, kw_only=True)
    #: words naming a side a member of the group before it ("ties with all its neighbours,
    #: Syria included", "…, including Syria", "…, в том числе с Сирией"): the side is the
    #: cue's object
    members: PhraseSet = field(default_factory=PhraseSet, kw_only=True)
    #: words of attribution ("said", "according to", "сообщил"): a third party in a clause
    #: of its own holding one, opening or closing the sentence (", a Saudi diplomat said"),
    #: tells the news and is no party of it
    sources: PhraseSet = field(default_factory=PhraseSet, kw_only=True)
    #: phrases naming who holds an event right after its cue ("talks sponsored by", "a
    #: meeting hosted by", «переговоры при посредничестве»): those named next are its
    #: parties, as after "with", in a sentence holding no exclusion term
    agents: PhraseSet = field(default_factory=PhraseSet, kw_only=True)
    #: cue words of contacts made one at a time ("phoned", «позвонил»): someone no side
    #: holds, named before one, calling both sides coordinated after it ("Putin phoned
    #: Erdogan and Assad") made two calls, no contact between them
    rounds: WordSet = field(default_factory=WordSet, kw_only=True)
    #: nouns a side owns in the possessive ("on Ankara's agenda"): the preposition before
    #: the side governs the noun, so it makes the side no topic of anything
    possessions: WordSet = field(default_factory=WordSet, kw_only=True)
    #: words giving a cue its own two parties right after it ("contacts between Damascus and
    #: the Kurds", "the memorandum between Putin and Erdogan", «диалог между Дамаском и
    #: оппозицией»): when one of the two is someone no side holds, the cue is theirs
    pairings: WordSet = field(default_factory=WordSet, kw_only=True)
    #: words naming someone no side holds inside such a pair ("the opposition", "the Kurds")
    outsiders: WordSet = field(default_factory=WordSet, kw_only=True)
    #: words that end a noun phrase (prepositions, connectors), derived once
    phrase_stops: WordSet = field(init=False, compare=False)
    #: function words: what may stand inside a name or between a cue and its object
    function_words: WordSet = field(init=False, compare=False)
    #: prepositions governing a name ("to Damascus", "in Ankara", "with Lavrov"), derived once
    prepositions: WordSet = field(init=False, compare=False)
    #: connectors that are no determiner ("and", "и"): what joins the items of a list
    conjunctions: WordSet = field(init=False, compare=False)
    #: prepositions before a place that link to no partner ("in", "from", "в", "из"; not
    #: "with", "to", "с"), derived once
    place_prepositions: WordSet = field(init=False, compare=False)

    def __post_init__(self) -> None:
        stops = (self.links | self.place_nonparty_before | self.nonparty_before
                 | self.connectors) - self.determiners
        object.__setattr__(self, "phrase_stops", stops)
        words = (self.links | self.connectors | self.place_nonparty_before | self.venue_before
                 | self.determiners)
        object.__setattr__(self, "function_words", words)
        object.__setattr__(self, "prepositions",
                           self.links | self.venue_before | self.place_nonparty_before)
        object.__setattr__(self, "conjunctions", self.connectors - self.determiners)
        object.__setattr__(self, "place_prepositions",
                           self.venue_before | (self.place_nonparty_before - self.links))


@dataclass(frozen=True, slots=True)
class Windows:
    """Distances, in words, used when linking mentions and cues."""

    pair_gap: int = 3
    adjacent: int = 3
    bridge_gap: int = 3
    subject_window: int = 6
    neighbors: int = 1


@dataclass(frozen=True, slots=True)
class Coreference:
    """How a sentence that names a side only through an earlier one is read.

    ``offices``: words naming an office or body ("minister*", "government", "оппозици*");
    the side named next to one is remembered, so "the minister" later means that side.
    ``groups``: phrases meaning the parties of an earlier sentence ("the two neighbo*",
    "обе стороны"). ``counterparts``: "his counterpart": the side other than his.
    ``pronouns``: sentence-opening subject pronouns ("he", "он"); ``objects``: object pronouns
    next to a transitive cue ("received him", "его принял") or after a cue's link ("talks
    with him"), both the last subject.
    ``lists``: "the three countries", the parties of an earlier sentence naming both sides and
    others. ``definite``: words before an
    office word that make it an anaphor ("the", "this"). ``events``: sentence-opening phrases
    naming an event told before ("at the meeting", "в ходе встречи"); a cue inside one is not
    read in that sentence. ``particles``: lowercase parts of a name ("al", "bin").
    ``countries``: phrases meaning "the country" as an office's owner ("the country's
    defence minister", "министр обороны страны"): the country named first in the nearest
    earlier sentence naming one. ``home``: words of the outlet's own country ("Russia",
    "Kremlin"): in an article naming one, an office with a name and no country ("Foreign
    Minister Sergei Lavrov") is the home country's, not the one side the article names.
    ``window``: how many sentences back an anaphor may reach.
    """

    offices: WordSet = WordSet()
    groups: PhraseSet = field(default_factory=PhraseSet)
    #: the group phrases that mean people ("the two leaders"): anyone named may be one
    persons: PhraseSet = field(default_factory=PhraseSet)
    counterparts: PhraseSet = field(default_factory=PhraseSet)
    #: counterpart phrases read only after a side's possessive ("Ankara's new partners"):
    #: their words make no sentence naming nobody worth reading ("partners" is common)
    possessed: PhraseSet = field(default_factory=PhraseSet)
    pronouns: WordSet = WordSet()
    #: pronouns among ``pronouns`` that may stand for a thing ("it"): one stands for the last
    #: subject (a party, a ministry, a government) only before one of ``stances`` ("It
    #: promises to restore relations …"), not before "was" or "covered" (the call, the visit)
    neuter: WordSet = WordSet()
    stances: WordSet = WordSet()
    #: possessive pronouns of the sentence's own subject ("its", "свое"): before one of
    #: ``missions`` ("Turkey suspended work at its embassy in Damascus", "Турция
    #: приостановила работу своего посольства"), the subject country acts as a state
    own: WordSet = WordSet()
    missions: WordSet = WordSet()
    #: words after a side naming it as one party of an encounter ("the Turkish side",
    #: "сирийская сторона"): opening a clause in a sentence naming no other side, the
    #: encounter's other party is the last subject, when that is the other side
    facing: WordSet = WordSet()
    #: office words naming one side, in a period, when nothing tied them to anyone
    defaults: tuple[Default, ...] = ()
    #: speech tags set off by commas ("…, he said, …", "по его словам"): their pronoun is
    #: the speaker, the last subject, even after another party named in the sentence
    speech: PhraseSet = field(default_factory=PhraseSet)
    #: first-person words ("we", "наши"): in a sentence opening a quotation that no speech
    #: tag closes within it (the tag comes sentences later, or never), the speaker's, the
    #: last subject
    quoted: WordSet = WordSet()
    #: adverbs of place after an office word ("the government there"): the office of the
    #: side whose place the sentence named last before it ("sent an ambassador back to
    #: Damascus and negotiate with the government there")
    there: WordSet = WordSet()
    #: words after a ``facing`` word that make it a place ("the Turkish side of the border")
    facing_stops: WordSet = WordSet()
    #: object pronouns ("him", "его"): next to a transitive cue, the last subject
    objects: WordSet = WordSet()
    #: phrases meaning the parties of an earlier sentence naming both sides and others
    #: ("the three countries", "трех стран"): a list, its third parties co-participants
    lists: PhraseSet = field(default_factory=PhraseSet)
    #: group phrases (of ``groups``) a third party puts two others in, never its own pair
    #: ("the two neighbours", «двух соседей»): in a sentence whose agent is a third party
    #: ("Moscow would seek a dialogue between the two neighbours"), both sides
    mediated: PhraseSet = field(default_factory=PhraseSet)
    #: phrases naming what a speaker was asked about ("asked about", «на вопрос о»): the side
    #: named right after is who the speaker's ``answers`` pronouns mean, later in that
    #: sentence and in the next ("Asked about Syria, Erdogan said he had invited its
    #: president"; «ответил на вопрос о президенте Сирии. … он предложил ему встречу»)
    asked: PhraseSet = field(default_factory=PhraseSet)
    #: object and possessive pronouns that may stand for what was asked about ("him",
    #: "its", "ему"); a ``neuter`` one ("it") only after a link ("relations with it")
    answers: WordSet = WordSet()
    #: relative pronouns in the object case ("whom", «которым», «которого»): a subject
    #: pronoun in the clause one opens after a comma is the last subject, not the side named
    #: before it ("Among them was Syria's al-Sharaa, with whom he spoke"), nor that side
    whom: WordSet = WordSet()
    #: words opening a clause about the place named before their comma ("where", «где»):
    #: its subject pronoun is no place ("took him to Ankara, where he met Fidan")
    place_clauses: WordSet = WordSet()
    #: endings of a modifier (folded) in a language without articles: two opening a
    #: sentence before an office word make it the subject («Бывший полевой командир …»)
    modifier_endings: tuple[str, ...] = ()
    definite: WordSet = WordSet()
    events: PhraseSet = field(default_factory=PhraseSet)
    particles: WordSet = WordSet()
    #: capitalized words naming an office's field ("Economy Minister", "Trade Minister"):
    #: no one's name, so they do not make the office someone else's
    fields: WordSet = WordSet()
    countries: PhraseSet = field(default_factory=PhraseSet)
    home: WordSet = WordSet()
    #: auxiliaries of a passive clause ("was", "была"): right before a cue in a clause that
    #: names no one before it and opens without an article, its agent is the last subject
    passive: WordSet = WordSet()
    window: int = 3
    #: exclusion ids whose subject names the sides together without relating them (the
    #: earthquake): both sides named across such a sentence are not "the two countries"
    apart: frozenset[str] = frozenset()
    #: office word -> another office word naming the same post ("diplomat" -> "minister":
    #: "the top diplomat" after "Foreign Minister Hakan Fidan")
    posts: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Historic:
    """A cue dated years before the article is a yardstick, not news ("the 1987 protocol").

    A cue is historic when a year at least ``min_age`` years before the publication year, or
    a ``markers`` phrase ("in that era"), is within ``gap`` words of it, and the sentence has
    no ``revival`` word (revive, renegotiate, basis …). A year after a ``baseline`` word
    ("since 2012", "с 2011 года") dates a comparison, not the event, and does not count.
    """

    min_age: int = 5
    gap: int = 8
    baseline: WordSet = WordSet()
    markers: PhraseSet = field(default_factory=PhraseSet)
    revival: PhraseSet = field(default_factory=PhraseSet)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A subject that, when present in a sentence, can veto the rules that list it."""

    id: str
    reason: str
    terms: tuple[str, ...]
    #: a subject two governments may talk about ("the quake", "refugees"): it vetoes no
    #: contact whose partner, after "with", is one side's official while the other side's
    #: is named too (tests/data/README.md: talks between the two about it count)
    discussed: bool = False
    #: the day the subject began (None: always): an article published before it cannot be
    #: about it, so its terms veto nothing there ("соболезнования" in 2012 are no quake's)
    since: date | None = None
    #: the day the subject ended (exclusive; None: never): an article published on it or
    #: later tells of the subject no more, so its terms veto nothing there (grain shipments
    #: through a border gate in 2025 are no Black Sea grain deal's)
    until: date | None = None

    def applies_on(self, day: date | None) -> bool:
        """Whether the subject can be told in a document of ``day`` (None: undated, it can)."""
        if day is None:
            return True
        return (self.since is None or day >= self.since) and (
            self.until is None or day < self.until)


@dataclass(frozen=True, slots=True)
class Rule:
    """Fires for a cue of one of ``cues`` whose binding is one of ``bindings``."""

    id: str
    priority: int
    cues: frozenset[str]
    bindings: frozenset[str]
    third_parties: str
    exclusions: tuple[str, ...]
    #: the historic veto applies (see Historic)
    historic: bool = False
    #: the rule applies to documents published in [valid_from, valid_until) (None: open)
    valid_from: date | None = None
    valid_until: date | None = None

    def applies_on(self, day: date | None) -> bool:
        """Whether the rule applies to a document of ``day`` (None: undated, it applies)."""
        if day is None:
            return True
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day < self.valid_until


@dataclass(frozen=True, slots=True)
class Topic:
    """Everything the matcher needs to know about one topic."""

    form: ClassVar[str] = "rules"

    id: str
    name: str
    version: str
    rule_version: str
    source: str
    sides: tuple[Side, Side]
    third_parties: tuple[str, ...]
    cues: tuple[CueClass, ...]
    grades: Grades
    context: Context
    windows: Windows
    exclusions: tuple[Exclusion, ...]
    rules: tuple[Rule, ...]
    #: names of institutions and titles holding a relation word; a cue inside one is not a cue
    institutions: PhraseSet = field(default_factory=PhraseSet)
    coreference: Coreference = Coreference()
    historic: Historic = Historic()
    #: a learned reader consulted when the rules find no evidence (pipelines/matcher/opinion.py)
    second_opinion: SecondOpinion | None = field(default=None, compare=False)
    #: every context and coreference word: a capitalized word outside it may be a name
    known: WordSet = field(init=False, compare=False)
    #: the cue classes by name (cue_class is asked for every cue of every sentence)
    _classes: Mapping[str, CueClass] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        ctx, coref = self.context, self.coreference
        known = WordSet()
        for part in (ctx.connectors, ctx.links, ctx.determiners, ctx.pronouns, ctx.actor_after,
                     ctx.actor_before, ctx.nonparty_after, ctx.nonparty_before,
                     ctx.place_nonparty_before, ctx.venue_before, coref.offices,
                     coref.pronouns, coref.definite):
            known = known | part
        # "said on Sunday": a day or month in a time phrase is no one's name
        known = known | WordSet.of(word for phrase in ctx.adverbials.phrases for word in phrase)
        object.__setattr__(self, "known", known)
        object.__setattr__(self, "_classes", {item.name: item for item in self.cues})

    def exclusion(self, exclusion_id: str) -> Exclusion:
        """Return the exclusion with this id."""
        return next(item for item in self.exclusions if item.id == exclusion_id)

    def cue_class(self, name: str) -> CueClass:
        """Return the cue class with this name."""
        return self._classes[name]
