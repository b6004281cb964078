"""Crawled text made safe to show: no control, bidi-override or non-XML characters, bounded."""

from __future__ import annotations

import re

#: C0 controls but tab/newline, DEL and C1, lone surrogates, line/paragraph separators, bidi
#: overrides and isolates (they reorder what the reader sees), U+FFFE/U+FFFF (not XML)
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def clean(value: str) -> str:
    """``value`` without characters that HTML pages and XML feeds must not carry; CR→LF."""
    return _UNSAFE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def clip(value: str, limit: int) -> str:
    """Cleaned and at most ``limit`` characters (an ellipsis marks a cut)."""
    text = clean(value)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
