"""Multi-word phrases matched on a sentence's words, each word exact or a ``*`` prefix.

The lexicon's automaton matches a ``*`` only at the end of a term, which cannot say
"центр* по примирени*" (centre, centra, centrom … for reconciliation). These phrases are
matched on word tokens instead, and only in sentences already being judged, so they cost
nothing on articles that do not name both sides.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W_]+\*?|\*")


@dataclass(frozen=True, slots=True)
class PhraseSet:
    """Phrases of one or more words; ``"two neighbo*"`` = "two" + any word starting "neighbo".
    A phrase written with a leading ``^`` matches only where a clause opens: the sentence's
    first words, after a comma, or after an opening phrase the caller names."""

    phrases: tuple[tuple[str, ...], ...] = ()
    anchored: frozenset[int] = frozenset()
    #: first word (exact) -> indexes of phrases starting with it
    _exact: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)
    #: (prefix, index) of phrases whose first word is a prefix
    _prefixed: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    #: every such prefix, for one quick test per word
    _prefixes: tuple[str, ...] = field(default=(), compare=False)
    #: per phrase, its longest word, which any match must hold: (word, is a prefix)
    _keys: tuple[tuple[str, bool], ...] = field(default=(), compare=False)
    _key_prefixes: tuple[str, ...] = field(default=(), compare=False)
    _key_words: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def of(cls, terms: Iterable[str]) -> PhraseSet:
        """Build from folded terms (words separated by single spaces)."""
        terms = [term for term in terms if _words(term)]
        phrases = tuple(tuple(_words(term)) for term in terms)
        anchored = frozenset(i for i, term in enumerate(terms) if term.startswith("^"))
        exact: dict[str, list[int]] = {}
        prefixed: list[tuple[str, int]] = []
        for index, words in enumerate(phrases):
            head = words[0]
            if head.endswith("*") and len(head) > 1:
                prefixed.append((head[:-1], index))
            else:
                exact.setdefault(head, []).append(index)
        keys = tuple(_key(words) for words in phrases)
        return cls(phrases, anchored, {k: tuple(v) for k, v in exact.items()}, tuple(prefixed),
                   tuple(prefix for prefix, _ in prefixed), keys,
                   tuple(key for key, prefix in keys if prefix),
                   frozenset(key for key, prefix in keys if not prefix))

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def match_at(self, words: Sequence[str], pos: int,
                 anchors: Collection[int] = (0,)) -> int:
        """Length in words of the longest phrase starting at ``words[pos]`` (0: none); an
        anchored phrase only where ``anchors`` allow (the sentence start by default)."""
        if not self.phrases or pos >= len(words):
            return 0
        word = words[pos]
        candidates = list(self._exact.get(word, ()))
        if self._prefixes and word.startswith(self._prefixes):
            candidates += [index for prefix, index in self._prefixed if word.startswith(prefix)]
        if not candidates:
            return 0
        best = 0
        for index in candidates:
            if index in self.anchored and pos not in anchors:
                continue
            phrase = self.phrases[index]
            if len(phrase) > best and _matches(phrase, words, pos):
                best = len(phrase)
        return best

    def _possible(self, words: Sequence[str]) -> bool:
        """Whether some phrase's longest word is in ``words``: a cheap test first."""
        present = set(words)
        if not present.isdisjoint(self._key_words):
            return True
        prefixes = self._key_prefixes
        return bool(prefixes) and any(word.startswith(prefixes) for word in present)

    def find(self, words: Sequence[str],
             anchors: Collection[int] = (0,)) -> list[tuple[int, int]]:
        """Non-overlapping ``(first, last)`` word spans of the phrases, left to right."""
        spans: list[tuple[int, int]] = []
        if not self.phrases:
            return spans
        if not self._possible(words):
            return spans
        exact, prefixes = self._exact, self._prefixes
        pos = 0
        while pos < len(words):
            word = words[pos]
            if word not in exact and not (prefixes and word.startswith(prefixes)):
                pos += 1
                continue
            size = self.match_at(words, pos, anchors)
            if size:
                spans.append((pos, pos + size - 1))
                pos += size
            else:
                pos += 1
        return spans


def _key(words: tuple[str, ...]) -> tuple[str, bool]:
    """The phrase's longest word (an exact one on a tie), as (text, is a prefix)."""
    word = max(reversed(words), key=lambda w: (len(w.rstrip("*")), not w.endswith("*")))
    return (word[:-1], True) if word.endswith("*") else (word, False)


def _words(term: str) -> list[str]:
    """A term's words as the tokenizer sees them: hyphens and apostrophes split words, a
    possessive "'s" is dropped ("al-sharaa" -> "al", "sharaa")."""
    return [word for word in _WORD.findall(term.replace("'s", "")) if word != "*"]


def word_matches(pattern: str, word: str) -> bool:
    """``pattern`` is a word or a ``*`` prefix."""
    if pattern.endswith("*") and len(pattern) > 1:
        return word.startswith(pattern[:-1])
    return word == pattern


def _matches(phrase: tuple[str, ...], words: Sequence[str], pos: int) -> bool:
    if pos + len(phrase) > len(words):
        return False
    return all(word_matches(pattern, words[pos + i]) for i, pattern in enumerate(phrase))
