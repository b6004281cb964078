"""Typed, immutable form of a topic's rules, as read from its TOML file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BINDINGS = ("tight", "paired", "actors", "loose", "window")
THIRD_PARTY_MODES = ("nearest", "sentence", "off")
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
class Context:
    """Word lists (folded, possessive-free) that give a mention its role or link it."""

    connectors: frozenset[str]
    links: frozenset[str]
    determiners: frozenset[str]
    pronouns: frozenset[str]
    actor_after: frozenset[str]
    nonparty_after: frozenset[str]
    nonparty_before: frozenset[str]
    place_nonparty_before: frozenset[str]


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
