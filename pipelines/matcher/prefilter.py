"""Cheap necessary condition for a match: each side has a term stem somewhere in the text."""

from __future__ import annotations

import re
from itertools import pairwise

from .fold import fold
from .substrings import Substrings
from .topic import Topic, WordSet

_MIN_STEM = 4
_SAMPLE = 400
_RUN = re.compile(r"[a-z0-9]+|[^\W_]+")
# Non-ASCII punctuation common in news text. Dropping it cannot hide a letter, so a text
# whose only non-ASCII characters are these can be checked as plain ASCII bytes.
_IGNORABLE = "\u2019\u201c\u201d\u2014\u2013\u2018\u00a0\u2026\u00ab\u00bb\u2022\u00b7\u2032\u2010"


def _needles(terms: list[str], common: WordSet | None = None) -> tuple[str, ...]:
    """Stems whose absence proves no term occurs: one word run per term, deduplicated, then
    cut to the prefix a stem shares with others ("сирия", "сирии", "сирию" → "сири"). Any
    substring of a term is a sound needle; fewer needles mean fewer scans of the text. A
    determiner of the topic (``common``: "новые" in "новые власти") is in most articles, so
    another word of the phrase is taken when there is one."""
    runs = [_RUN.findall(term.rstrip("*")) for term in terms]
    kept: list[str] = []
    for parts in sorted((r for r in runs if r), key=len):
        if any(needle in part for part in parts for needle in kept):
            continue
        rare = [part for part in parts if common is None or part not in common]
        # all common ("новые власти"): the longest, which is the rarer
        # the longest rare part, which is the rarer: "bolat" of "omer bolat", not "omer"
        stem = max(rare or parts, key=len)
        kept = [needle for needle in kept if stem not in needle] + [stem]
    stems = sorted(kept)
    cut = {stem: stem for stem in stems}
    for one, two in pairwise(stems):
        prefix = _common_prefix(one, two)
        if len(prefix) >= _MIN_STEM:
            for stem in (one, two):
                if len(prefix) < len(cut[stem]):
                    cut[stem] = prefix
    merged: list[str] = []
    for stem in sorted(set(cut.values()), key=len):
        if not any(needle in stem for needle in merged):
            merged.append(stem)
    return tuple(merged)


def _common_prefix(one: str, two: str) -> str:
    size = next((i for i, (a, b) in enumerate(zip(one, two, strict=False)) if a != b),
                min(len(one), len(two)))
    return one[:size]


class Prefilter:
    """Rejects, without folding or scanning, documents that cannot name both sides."""

    def __init__(self, topic: Topic) -> None:
        sides = [_needles([t for alias in side.aliases for t in alias.terms],
                          topic.context.determiners)
                 for side in topic.sides]
        sides.sort(key=len)
        self._needles = tuple(sides)
        # One automaton pass over the text finds every side's stems at once: a substring scan
        # per stem cost more than folding the text (~50 stems, Russian text read 50 times).
        strings = list(dict.fromkeys(needle for side in sides for needle in side))
        number = {string: n for n, string in enumerate(strings)}
        #: per stem, the sides having it, one bit each
        self._sides_of = [0] * len(strings)
        for bit, side in enumerate(sides):
            for needle in side:
                self._sides_of[number[needle]] |= 1 << bit
        self._every_side = (1 << len(sides)) - 1
        self._search = Substrings(strings)

    def anchors(self) -> tuple[frozenset[str], ...]:
        """Each side's stems: a matching document holds one stem of every side."""
        return tuple(frozenset(side) for side in self._needles)

    def may_match(self, texts: list[str]) -> bool:
        """False only when some side's stems occur nowhere in ``texts``."""
        quick = self.quick_check(texts)
        if quick is not None:
            return quick
        return self.folded_check([fold(text).text for text in texts])

    def quick_check(self, texts: list[str]) -> bool | None:
        """The answer for texts that fold to code-page bytes (English, plain Russian) without
        building the folded strings; None for any other text."""
        hay = self._ascii_hay(texts)
        if hay is not None:
            return self._holds(self._search.found_in_bytes(hay))
        found = self._search.found_in_fields(texts)
        return None if found is None else self._holds(found)

    def folded_check(self, folded: list[str]) -> bool:
        """The answer for texts already folded."""
        return self._holds(self._search.found("\n".join(folded)))

    def _holds(self, found: set[int]) -> bool:
        """Whether the stems ``found`` (their numbers) include one of every side."""
        sides = 0
        for number in found:
            sides |= self._sides_of[number]
        return sides == self._every_side

    @staticmethod
    def _ascii_hay(texts: list[str]) -> bytes | None:
        """Lowercased ASCII bytes of the texts, or None if they hold non-ASCII letters.
        Dropping the typographic punctuation of English text can join, never split, a run:
        the test stays a necessary condition, and is cheaper than encoding the text."""
        parts = []
        for text in texts:
            if text.isascii():
                parts.append(text.encode("ascii"))
                continue
            head = text[:_SAMPLE]
            if (len(head) - len(head.encode("ascii", "ignore"))) * 20 > len(head):
                return None  # a non-Latin script from the start: not worth encoding it all
            part = text.encode("ascii", "ignore")
            missing = len(text) - len(part)
            if missing * 20 > len(text):
                return None  # not English punctuation: a non-Latin script
            for char in _IGNORABLE:
                if not missing:
                    break
                missing -= text.count(char)
            if missing:
                return None
            parts.append(part)
        return b"\n".join(parts).lower()
