"""What mtwatch printed, read as its user reads it: the one line a failure ends with, and the
characters in a text that would act on a terminal or a log viewer."""

from __future__ import annotations

import unicodedata


def one_line_error(stderr: str) -> str:
    """The last ``mtwatch: …`` line of ``stderr``; fails when there is none or a traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("mtwatch:")]
    assert lines, stderr
    return lines[-1]


def unsafe(text: str, *, newlines: bool = False) -> list[str]:
    """The characters that act on a terminal or a log viewer: C0/C1 controls, DEL, bidi
    overrides and isolates, other format characters (zero-width joiners are text)."""
    keep = "\n" if newlines else ""
    return sorted({repr(c) for c in text if c not in keep and c not in "\u200c\u200d"
                   and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")})
