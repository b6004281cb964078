"""Lowercase, diacritic- and punctuation-folded text with a map back to original offsets."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

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


# Blocks whose characters are classified once: Latin, combining marks, Greek, Cyrillic,
# Latin Extended Additional, General Punctuation. Anything else goes through fold_char.
_KNOWN_BLOCKS = ((0x80, 0x250), (0x300, 0x530), (0x1E00, 0x1F00), (0x2000, 0x2070))
_SPECIAL_CHARS: list[re.Pattern[str]] = []


def _special_chars() -> re.Pattern[str]:
    """Characters whose folding is more than lowercasing (diacritics, dashes, quotes, format
    characters; capital sigma, which ``str.lower`` turns into "ς" at a word's end)."""
    if not _SPECIAL_CHARS:
        special = [chr(code) for first, end in _KNOWN_BLOCKS for code in range(first, end)
                   if code == 0x3A3 or fold_char(chr(code)) != chr(code).lower()]
        bounds = [end for _, end in _KNOWN_BLOCKS]
        starts = [first for first, _ in _KNOWN_BLOCKS[1:]] + [0x110000]
        # one character class: the special ones, and everything between the known blocks
        others = "".join(f"{re.escape(chr(low))}-{re.escape(chr(high - 1))}"
                         for low, high in zip(bounds, starts, strict=True) if low < high)
        escaped = "".join(re.escape(char) for char in special)
        _SPECIAL_CHARS.append(re.compile(f"[{escaped}{others}]"))
    return _SPECIAL_CHARS[0]


def _fold_match(match: re.Match[str]) -> str:
    return fold_char(match.group())


def _fold_text(text: str) -> str:
    """Most letters (Cyrillic among them) fold by lowercasing alone; only the others go
    through fold_char, so Russian text folds at about the speed of ``str.lower``."""
    for char, folded in _FREQUENT:
        if char in text:
            text = text.replace(char, folded)
    return _special_chars().sub(_fold_match, text).lower()


# The special letters of running Russian text, replaced at C speed before the general pass.
_FREQUENT = (("й", "и"), ("Й", "и"), ("ё", "е"), ("Ё", "е"))


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


# Russian news text is almost always written in the characters of one single-byte code page
# (Cyrillic, ASCII, typographic quotes and dashes). Such text folds byte by byte through a
# table: several times cheaper than lowercasing and scanning it for special characters.
CODE_PAGE = "cp1251"
_BYTE_TABLES: list[tuple[bytes, bytes]] = []


def _byte_tables() -> tuple[bytes, bytes]:
    """The folding of each byte of the code page, and the bytes that fold to no single
    character of it (dropped like the soft hyphen, or not in the page): text holding one of
    those takes the general path."""
    if not _BYTE_TABLES:
        table = bytearray(range(256))
        unsafe = bytearray()
        for code in range(256):
            try:
                folded = _fold_text(bytes([code]).decode(CODE_PAGE))
            except UnicodeDecodeError:
                continue  # a byte the code page leaves undefined: encoding never makes it
            try:
                encoded = folded.encode(CODE_PAGE)
            except UnicodeEncodeError:
                encoded = b""
            if len(encoded) == 1:
                table[code] = encoded[0]
            else:
                unsafe.append(code)
        _BYTE_TABLES.append((bytes(table), bytes(unsafe)))
    return _BYTE_TABLES[0]


def _fold_code_page(text: str) -> str | None:
    """``text`` folded byte by byte, or None when it is not plain code-page text."""
    raw = _folded_code_page(text)
    return None if raw is None else raw.decode(CODE_PAGE)


def _folded_code_page(text: str) -> bytes | None:
    try:
        raw = text.encode(CODE_PAGE)
    except UnicodeEncodeError:
        return None
    table, unsafe = _byte_tables()
    if any(code in raw for code in unsafe):
        return None
    return raw.translate(table)


def fold_bytes(text: str) -> bytes | None:
    """``fold(text).text`` in the code page's bytes (ASCII is a part of it), without building
    the string; None when ``text`` takes the general path. A string occurs in the folded text
    exactly when its code-page bytes occur in these (one byte per character), so a substring
    test can skip decoding text that holds nothing it looks for."""
    if text.isascii():
        return text.encode("ascii").lower()
    return _folded_code_page(text)


def fold(text: str) -> Folded:
    """Fold ``text`` for matching; ASCII text and plain Russian text take fast paths."""
    if text.isascii():
        return Folded(text.lower())
    quick = _fold_code_page(text)
    if quick is not None:
        return Folded(quick)
    folded = _fold_text(text)
    if len(folded) == len(text):
        return Folded(folded)
    kept = [i for i, char in enumerate(text) if char.isascii() or fold_char(char)]
    kept.append(len(text))
    return Folded(folded, tuple(kept))
