"""Split a field into sentence spans and a sentence into word tokens."""

from __future__ import annotations

import re
from typing import NamedTuple

_CANDIDATE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s)|\n")
_NEXT_CHAR = re.compile(r"\s+[\"'\u201c\u2018\u00ab(\[]*(\S)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[.]*$")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "cmdr", "adm", "gov",
    "sen", "rep", "prof", "jr", "sr", "inc", "co", "corp", "ltd", "vs", "etc", "no", "nos",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "approx", "est", "dept", "min", "maj", "brig", "pres", "amb", "fig", "vol",
})


class Token(NamedTuple):
    """A word of folded text: its offsets, its base form without a possessive ending, and
    whether it had one ("turkey's", "syrians'": the word is a possessor)."""

    start: int
    end: int
    word: str
    possessive: bool = False


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, whitespace trimmed; newlines always split."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for match in _CANDIDATE.finditer(text, start, end):
        if match.group() == "\n":
            _append(spans, text, start, match.start())
        elif _is_boundary(text, match.start(), match.end()):
            _append(spans, text, start, match.end())
        else:
            continue
        start = match.end()
    _append(spans, text, start, end)
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def _is_boundary(text: str, mark: int, after: int) -> bool:
    """A full stop ends a sentence unless it follows an abbreviation or an initial."""
    following = _NEXT_CHAR.match(text, after)
    if following is None:
        return True
    char = following.group(1)
    if char.isalpha() and not char.isupper():
        return False
    if text[mark] != ".":
        return True
    before = _WORD_BEFORE.search(text, max(0, mark - 20), mark)
    if before is None:
        return True
    word = before.group(1)
    return len(word) > 1 and word.lower() not in _ABBREVIATIONS


def line_regions(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The runs of lines holding ``positions``; lines apart only by blank lines form one run."""
    regions: list[tuple[int, int]] = []
    for pos in sorted(positions):
        if regions and pos < regions[-1][1]:
            continue
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if regions and not text[regions[-1][1]:start].strip():
            start = regions.pop()[0]
        regions.append((start, end))
    return regions


def next_line(text: str, end: int) -> tuple[int, int] | None:
    """The first non-blank line after offset ``end`` (a line end), or None."""
    start = end + 1
    while start < len(text):
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        if text[start:stop].strip():
            return start, stop
        start = stop + 1
    return None


def tokens(text: str, start: int, end: int) -> list[Token]:
    """Word tokens of ``text[start:end]`` ("turkey's" → word "turkey", possessive)."""
    found = []
    for match in _TOKEN.finditer(text, start, end):
        word, _, rest = match.group().partition("'")
        possessive = rest == "s" or (
            not rest and word.endswith("s") and match.end() < end
            and text[match.end()] == "'"
            and (match.end() + 1 >= end or not text[match.end() + 1].isalnum()))
        found.append(Token(match.start(), match.end(), word, possessive))
    return found


def words_of(text: str, start: int, end: int) -> tuple[list[int], list[int], list[str]]:
    """The start and end offsets and the words of ``text[start:end]``, as ``tokens`` reads
    them (a word without its possessive ending), without building a Token for each."""
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    for match in _TOKEN.finditer(text, start, end):
        starts.append(match.start())
        ends.append(match.end())
        words.append(match.group().partition("'")[0])
    return starts, ends, words
