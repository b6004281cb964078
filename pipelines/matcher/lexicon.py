"""Compile a topic's terms into Aho–Corasick automata and find whole-word hits in folded text."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

import ahocorasick
import ahocorasick_rs

from .fold import CODE_PAGE
from .topic import Topic, plain_word

_WORD_TAIL = re.compile(r"[^\W_]*")

SIDE, CUE, NEAR1, NEAR2 = "side", "cue", "near1", "near2"
DEV, NEG, HEDGE, EXCL, THIRD = "dev", "neg", "hedge", "excl", "third"
#: suffix of a side hit's key (its role) when the alias is a generic description
GENERIC = ":generic"
#: suffix of a side hit's key when the alias is a city of the side (a venue may take it)
SEAT = ":seat"


class Hit(NamedTuple):
    """A whole-word term occurrence in folded text: ``kind``/``key``/``code`` say what it is."""

    start: int
    end: int
    kind: str
    key: str
    code: int


# One automaton entry: (prefix match?, kind, key, code).
Entry = tuple[bool, str, str, int]


class Lexicon:
    """Two automata: one with only the side terms (the prefilter) and one with every term."""

    def __init__(self, topic: Topic) -> None:
        self.topic = topic
        sides: dict[str, list[Entry]] = defaultdict(list)
        for index, side in enumerate(topic.sides):
            for alias_index, alias in enumerate(side.aliases):
                _add(sides, alias.terms, SIDE, side.name, index * 1000 + alias_index)
        everything: dict[str, list[Entry]] = defaultdict(list)
        for word, entries in sides.items():
            everything[word].extend(entries)
        _add_rest(everything, topic)
        self._sides = _compile(sides)
        self._all = _compile(everything)
        self._side_lines = _LineFinder(list(sides))

    def side_hits(self, text: str, day: date | None, limit: int | None = None) -> list[Hit]:
        """Side-term hits only (at most about ``limit``), with time-bounded aliases resolved
        for ``day``."""
        lines = self._side_lines.lines(text)
        if lines is None:
            return self.resolve(_scan(self._sides, text, limit=limit), day)
        return self.resolve(_scan_lines(self._sides, text, lines, limit), day)

    def all_hits(self, text: str, day: date | None, start: int = 0,
                 end: int | None = None) -> list[Hit]:
        """Every term hit in ``text[start:end]``, sorted, side hits resolved for ``day``."""
        hits = self.resolve(_scan(self._all, text, start, end), day)
        hits.sort()
        return hits

    def resolve(self, hits: list[Hit], day: date | None) -> list[Hit]:
        """Give side hits their role on ``day`` (in ``key``); drop overlapped side hits and
        third-party names inside a side term ("Syrian Arab Republic")."""
        sides: list[Hit] = []
        last_end = -1
        for hit in sorted((h for h in hits if h.kind == SIDE), key=lambda h: (h.start, -h.end)):
            side, index = divmod(hit.code, 1000)
            alias = self.topic.sides[side].aliases[index]
            role = alias.role_on(day)
            if role != "drop" and hit.start >= last_end:
                last_end = hit.end
                key = role + (GENERIC if alias.generic else SEAT if alias.seat else "")
                sides.append(Hit(hit.start, hit.end, SIDE, key, side))
        rest = [h for h in hits if h.kind != SIDE]
        if any(h.kind == THIRD for h in rest):
            # a third party inside a side's name or inside a longer third-party name
            # ("Рияде" in "Эр-Рияде": the venue word stands before the whole name)
            thirds = [h for h in rest if h.kind == THIRD]
            rest = [h for h in rest if h.kind != THIRD or not (
                _inside(h, sides) or any(o is not h and (o.start, o.end) != (h.start, h.end)
                                         and _inside(h, [o]) for o in thirds))]
        return sides + rest


def _add(table: dict[str, list[Entry]], terms: Iterable[str], kind: str, key: str,
         code: int) -> None:
    for term in terms:
        prefix = term.endswith("*")
        word = term.rstrip("*").strip()
        if word:
            table[word].append((prefix, kind, key, code))


def _add_rest(table: dict[str, list[Entry]], topic: Topic) -> None:
    for cue in topic.cues:
        transitive = set(cue.transitive)
        for term in cue.terms:
            _add(table, [term], CUE, cue.name, int(term in transitive))
        _add(table, [t for t in cue.transitive if t not in cue.terms], CUE, cue.name, 1)
        for index, near in enumerate(cue.near):
            _add(table, near.first, NEAR1, cue.name, index)
            _add(table, near.second, NEAR2, cue.name, index)
    # single plain words are looked up among a sentence's words (view.py), not scanned for
    for kind, terms in topic.grades.by_kind():
        _add(table, [t for t in terms if not plain_word(t)], kind, kind, 0)
    for exclusion in topic.exclusions:
        _add(table, exclusion.terms, EXCL, exclusion.id, 0)
    _add(table, topic.third_parties, THIRD, THIRD, 0)


def _compile(table: dict[str, list[Entry]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word, entries in table.items():
        automaton.add_word(word, (word, tuple(entries)))
    if len(automaton):
        automaton.make_automaton()
    return automaton


def _scan(automaton: ahocorasick.Automaton, text: str, begin: int = 0,
          stop: int | None = None, limit: int | None = None) -> list[Hit]:
    """All whole-word hits (the first ``limit`` or so); a trailing ``*`` in a term lets it
    match a word prefix."""
    stop = len(text) if stop is None else stop
    if not len(automaton) or begin >= stop:
        return []
    hits: list[Hit] = []
    size = len(text)
    for last, (word, entries) in automaton.iter(text, begin, stop):
        start = last - len(word) + 1
        if start and word[0].isalnum() and text[start - 1].isalnum():
            continue
        end = last + 1
        whole = end == size or not word[-1].isalnum() or not text[end].isalnum()
        for prefix, kind, key, code in entries:
            if prefix:
                hits.append(Hit(start, _word_end(text, end), kind, key, code))
            elif whole:
                hits.append(Hit(start, end, kind, key, code))
        if limit is not None and len(hits) >= limit:
            break
    return hits


class _LineFinder:
    """The lines of a text holding a word of a list, found by one DFA pass over the text's
    code-page bytes: a whole-text scan of the word automaton only needs to read those (an
    article names a side in a few of its paragraphs), and finds the same hits there."""

    def __init__(self, words: list[str]) -> None:
        self._dfa: ahocorasick_rs.BytesAhoCorasick | None = None
        if any("\n" in word for word in words):
            return  # a word across lines: every text is scanned whole
        patterns = []
        for word in words:
            try:
                patterns.append(word.encode(CODE_PAGE))
            except UnicodeEncodeError:
                continue  # cannot occur in code-page text
        if patterns:
            self._dfa = ahocorasick_rs.BytesAhoCorasick(
                patterns, implementation=ahocorasick_rs.Implementation.DFA)

    def lines(self, text: str) -> list[tuple[int, int]] | None:
        """The [start, end) offsets of the lines of ``text`` holding a word, in order; None
        when the text has no code-page bytes (it is scanned whole)."""
        if self._dfa is None:
            return None
        try:
            hay = text.encode("ascii") if text.isascii() else text.encode(CODE_PAGE)
        except UnicodeEncodeError:
            return None
        found: list[tuple[int, int]] = []
        # matches come in the order of their ends; no word holds a newline, so each lies in
        # one line, and the lines come in order
        for _, start, end in self._dfa.find_matches_as_indexes(hay, overlapping=True):
            if found and start < found[-1][1]:
                continue
            stop = hay.find(b"\n", end)
            found.append((hay.rfind(b"\n", 0, start) + 1, len(hay) if stop < 0 else stop))
        return found


def _scan_lines(automaton: ahocorasick.Automaton, text: str, lines: list[tuple[int, int]],
                limit: int | None) -> list[Hit]:
    """``_scan(automaton, text, limit=limit)`` when every hit lies in one of ``lines``."""
    hits: list[Hit] = []
    for start, end in lines:
        if limit is not None and len(hits) >= limit:
            break
        hits += _scan(automaton, text, start, end, None if limit is None else limit - len(hits))
    return hits


def _word_end(text: str, pos: int) -> int:
    match = _WORD_TAIL.match(text, pos)
    return match.end() if match else pos


def _inside(hit: Hit, sides: list[Hit]) -> bool:
    return any(side.start <= hit.start and hit.end <= side.end for side in sides)
