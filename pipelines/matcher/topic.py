"""Typed, immutable form of a topic's rules, as read from its TOML file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

BINDINGS = ("tight", "paired", "actors", "loose", "window")
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
class Side:
    """One of the two parties whose relation the topic is about."""

    name: str
    aliases: tuple[Alias, ...]


@dataclass(frozen=True, slots=True)
class Near:
    """A two-part cue: a ``first`` term followed by a ``second`` within ``max_gap`` words."""

    first: tuple[str, ...]
    second: tuple[str, ...]
    max_gap: int


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


@dataclass(frozen=True, slots=True)
class Grades:
    """Terms that decide between the "development" and "mention" grades."""

    development: tuple[str, ...]
    negation: tuple[str, ...]
    hedges: tuple[str, ...]


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
    #: words that end a noun phrase (prepositions, connectors), derived once
    phrase_stops: WordSet = field(init=False, compare=False)

    def __post_init__(self) -> None:
        stops = (self.links | self.place_nonparty_before | self.nonparty_before
                 | self.connectors) - self.determiners
        object.__setattr__(self, "phrase_stops", stops)


@dataclass(frozen=True, slots=True)
class Windows:
    """Distances, in words, used when linking mentions and cues."""

    pair_gap: int = 3
    adjacent: int = 3
    bridge_gap: int = 3
    subject_window: int = 6
    neighbors: int = 1


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A subject that, when present in a sentence, can veto the rules that list it."""

    id: str
    reason: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """Fires for a cue of one of ``cues`` whose binding is one of ``bindings``."""

    id: str
    priority: int
    cues: frozenset[str]
    bindings: frozenset[str]
    third_parties: str
    exclusions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    """Everything the matcher needs to know about one topic."""

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

    def exclusion(self, exclusion_id: str) -> Exclusion:
        """Return the exclusion with this id."""
        return next(item for item in self.exclusions if item.id == exclusion_id)

    def cue_class(self, name: str) -> CueClass:
        """Return the cue class with this name."""
        return next(item for item in self.cues if item.name == name)
