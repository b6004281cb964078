"""Lowercase, diacritic- and punctuation-folded text with a map back to original offsets."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPECIAL = {
    "ı": "i", "İ": "i", "ß": "s", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l",
    "æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "ħ": "h", "Ħ": "h",
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
}
# Combining marks, enclosing marks and format characters (soft hyphen, zero-width space)
# carry no letters of their own: dropping them lets "Erdog\u0306an" match "erdogan".
_DROPPED = frozenset({"Mn", "Me", "Cf"})


@lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    """Fold one non-ASCII character to one lowercase character, or '' to drop it."""
    special = _SPECIAL.get(char)
    if special is not None:
        return special
    category = unicodedata.category(char)
    if category in _DROPPED:
        return ""
    if category[0] == "Z":
        return " "
    if category == "Pd":
        return "-"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def _fold_match(match: re.Match[str]) -> str:
    return fold_char(match.group())


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text; ``orig_of[i]`` is the original offset of folded offset ``i``."""

    text: str
    orig_of: tuple[int, ...] | None = None

    def to_orig(self, index: int) -> int:
        """Map a folded offset (0..len) back to an offset in the original text."""
        return index if self.orig_of is None else self.orig_of[index]

    def to_folded(self, index: int) -> int:
        """Map an original offset to the first folded offset at or after it."""
        return index if self.orig_of is None else bisect_left(self.orig_of, index)


def fold(text: str) -> Folded:
    """Fold ``text`` for matching; ASCII text takes a fast path."""
    if text.isascii():
        return Folded(text.lower())
    folded = _NON_ASCII.sub(_fold_match, text).lower()
    if len(folded) == len(text):
        return Folded(folded)
    kept = [i for i, char in enumerate(text) if char.isascii() or fold_char(char)]
    kept.append(len(text))
    return Folded(folded, tuple(kept))
