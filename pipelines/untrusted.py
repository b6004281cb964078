"""Text from outside is untrusted: the characters that act on terminals, logs and layout go.

Crawled fields are cleaned once, where they enter (the article page's fields, the extracted
body), *after* HTML entities are decoded: ``&#27;[2K`` is an escape sequence only once parsed.
Tables, CSV and logs clean or escape again whatever they show (older rows, receivers' answers).

Unsafe: every control character (C0 with ESC, BEL, BS, CR; DEL; C1 with CSI and OSC) and every
format character (bidi embeddings, overrides, isolates and marks, zero-width spaces, soft
hyphens, BOM, tag characters), lone surrogates, and the line/paragraph separators U+2028/9.
Kept: ZWNJ and ZWJ (U+200C/D), which Persian, Indic scripts and emoji sequences need; and in
multi-line text ``\\n`` and ``\\t``, with every other kind of line break turned into ``\\n``.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: format characters that scripts need: zero-width non-joiner and joiner
KEEP_FORMAT = frozenset("\u200c\u200d")
#: characters that end a line somewhere (str.splitlines, terminals, log viewers)
_LINE_BREAKS = str.maketrans({**dict.fromkeys("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "\n"),
                              "\x1f": " "})
#: what str.split() takes for whitespace among the unsafe characters: a space in a line
_SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"


def is_unsafe(char: str) -> bool:
    """True for a character that must never reach a terminal, a log line or a cell."""
    return unicodedata.category(char) in _UNSAFE_CATEGORIES and char not in KEEP_FORMAT


def _drop(line: str, keep: str = "") -> str:
    """``line`` without unsafe characters (those in ``keep`` excepted); fast when printable."""
    if line.isprintable():
        return line
    return "".join(c for c in line if c in keep or c.isprintable() or not is_unsafe(c))


def clean_line(value: str) -> str:
    """One line of visible text: unsafe characters dropped, every run of whitespace (tabs and
    line breaks included) one space, no space at either end."""
    return " ".join(_drop(value, keep=_SPACES).split())


def clean_text(value: str) -> str:
    """Multi-line text: line breaks of any kind as ``\\n``, tabs kept, other unsafe characters
    dropped. ``clean_text(t).splitlines() == clean_text(t).split("\\n")``."""
    text = value.replace("\r\n", "\n").translate(_LINE_BREAKS)
    return "\n".join(_drop(line, keep="\t") for line in text.split("\n"))


def escape_line(value: str) -> str:
    """For a log line: every unsafe character, newlines included, as a visible escape
    (``\\x1b``, ``\\n``, ``\\u202e``), so nothing can erase, recolour or forge a line."""
    if value.isprintable():
        return value
    return "".join(_escape(c) if is_unsafe(c) else c for c in value)


def escape_text(value: str) -> str:
    """Like :func:`escape_line`, but ``\\n`` stays a line break (tracebacks)."""
    return "\n".join(escape_line(line) for line in value.split("\n"))


def _escape(char: str) -> str:
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


def json_line(value: Any) -> str:
    """``value`` as one line of JSON for a terminal or a pipe: other scripts stay readable, but
    unsafe characters (C1, DEL, bidi overrides, U+2028…, which ``json.dumps`` leaves raw) are
    ``\\uXXXX`` escapes, which any JSON reader turns back into the same text: nothing is lost."""
    text = json.dumps(value, ensure_ascii=False)
    if text.isprintable():
        return text
    return "".join(_json_escape(c) if is_unsafe(c) else c for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a surrogate pair, as JSON spells characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
