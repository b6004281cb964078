"""Making crawled text safe for mail headers and bodies (CVE-2024-6923 and friends)."""

from __future__ import annotations

import re
import unicodedata

#: RFC 2047 encoded word; the header parser decodes these, so "=0A" would become a real newline
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[^?\s]*\?.*?\?=", re.DOTALL)
#: bidi overrides/isolates: they reorder what the reader sees
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BODY_KEEP = frozenset("\n\t")


def _is_control(char: str) -> bool:
    # Cc = C0, DEL, C1 (incl. NEL); Cs = lone surrogates; Zl/Zp = U+2028/U+2029
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI


def header_text(value: str, limit: int) -> str:
    """One line of plain text for a header: no controls, no encoded words, ≤ ``limit`` chars."""
    cleaned = "".join(" " if _is_control(c) else c for c in value)
    # then drop every leftover "=?" so no encoded word can be reassembled from the pieces
    cleaned = _ENCODED_WORD.sub(" ", cleaned).replace("=?", " ")
    return truncate(" ".join(cleaned.split()), limit)


def body_text(value: str) -> str:
    """Text for a message body: newlines and tabs kept, other control characters dropped."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in _BODY_KEEP or not _is_control(c))


def truncate(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, with an ellipsis when it was cut."""
    if limit <= 0:
        return ""
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
