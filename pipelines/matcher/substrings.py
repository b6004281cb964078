"""Which of many strings occur in folded text, in one automaton pass over its bytes.

The pass runs over the text's code-page bytes when every field has them (ASCII and plain
Russian text: ``fold_bytes``, no string is built), else over the UTF-8 bytes of the folded
text. In either encoding a string occurs in a text exactly when its bytes occur in the text's
bytes, so the answer is the plain substring test of each string."""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick_rs

from .fold import CODE_PAGE, fold_bytes


def utf8(text: str) -> bytes:
    """``text`` in UTF-8, lone surrogates included (a hostile text may hold them)."""
    return text.encode("utf-8", "surrogatepass")


class _Automaton:
    """A DFA over byte strings (the fastest search; its memory and build time grow with the
    strings, a few thousand of them at most), reporting the numbers of those found."""

    def __init__(self, patterns: Sequence[tuple[int, bytes]]) -> None:
        numbers: dict[bytes, list[int]] = {}
        for number, pattern in patterns:
            if pattern:
                numbers.setdefault(pattern, []).append(number)
        self._numbers = list(numbers.values())
        self._dfa: ahocorasick_rs.BytesAhoCorasick | None = None
        if numbers:
            self._dfa = ahocorasick_rs.BytesAhoCorasick(
                list(numbers), implementation=ahocorasick_rs.Implementation.DFA)

    def found(self, hay: bytes) -> set[int]:
        if self._dfa is None:
            return set()
        hits = {index for index, _, _ in self._dfa.find_matches_as_indexes(hay, overlapping=True)}
        return {number for index in hits for number in self._numbers[index]}


class _AsciiAutomaton:
    """A DFA over the ASCII strings, searching ASCII text (a ``str``, read in place: ASCII
    is its own UTF-8) and reporting each occurrence as the stored string itself: a match
    costs a reference, not a tuple of three new integers as the byte automaton's do."""

    def __init__(self, patterns: Sequence[tuple[int, str]]) -> None:
        numbers: dict[str, list[int]] = {}
        for number, pattern in patterns:
            if pattern and pattern.isascii():
                numbers.setdefault(pattern, []).append(number)
        self._numbers = {string: tuple(found) for string, found in numbers.items()}
        self._dfa: ahocorasick_rs.AhoCorasick | None = None
        if numbers:
            self._dfa = ahocorasick_rs.AhoCorasick(
                list(numbers), implementation=ahocorasick_rs.Implementation.DFA,
                store_patterns=True)

    def found(self, hay: str) -> set[int]:
        if self._dfa is None:
            return set()
        numbers = self._numbers
        return {number for string in set(self._dfa.find_matches_as_strings(hay, overlapping=True))
                for number in numbers[string]}


class Substrings:
    """Strings (folded), numbered in the order given; ``found`` says which occur."""

    def __init__(self, strings: Sequence[str]) -> None:
        self.strings = tuple(strings)
        self._utf8 = _Automaton([(n, utf8(s)) for n, s in enumerate(self.strings)])
        self._ascii = _AsciiAutomaton(list(enumerate(self.strings)))
        # a string with a character outside the code page cannot occur in code-page text
        self._code_page = _Automaton([(n, s.encode(CODE_PAGE)) for n, s in
                                      enumerate(self.strings) if _in_code_page(s)])

    def found(self, folded: str) -> set[int]:
        """The numbers of the strings occurring in ``folded`` text."""
        return self._utf8.found(utf8(folded))

    def found_in_ascii(self, folded: str) -> set[int]:
        """``found(folded)`` for folded text that is ASCII (checked by the caller)."""
        return self._ascii.found(folded)

    def found_in_bytes(self, hay: bytes) -> set[int]:
        """The numbers of the strings occurring in folded text given in code-page bytes."""
        return self._code_page.found(hay)

    def found_in_fields(self, texts: Sequence[str]) -> set[int] | None:
        """The numbers of the strings occurring in the fields ``texts`` (not folded) once
        folded and joined by newlines, when every field has code-page bytes; else None (fold
        them and ask ``found``)."""
        parts = []
        for text in texts:
            part = fold_bytes(text)
            if part is None:
                return None
            parts.append(part)
        return self._code_page.found(b"\n".join(parts))


def _in_code_page(text: str) -> bool:
    try:
        text.encode(CODE_PAGE)
    except UnicodeEncodeError:
        return False
    return True
