"""When an edited article deserves an "updated" alert: its proving sentences changed.

An update is queued when the article still matches, the new evidence sentences differ from the
ones last recorded, and at least one recorded sentence is no longer in the article: an edit
touched what the alert quoted. Re-running the rules over unchanged text (even after a rule
change picked other sentences) and whitespace or layout changes never alert.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Text compared for meaning only: NFKC, no format characters, single spaces."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return _SPACE.sub(" ", visible).strip()


def sentences(evidence: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The distinct normalized evidence sentences, sorted."""
    found = {normalize(str(item.get("sentence", ""))) for item in evidence}
    return tuple(sorted(s for s in found if s))


def fingerprint(evidence: Iterable[Mapping[str, Any]]) -> str:
    return hashlib.sha256("\n".join(sentences(evidence)).encode()).hexdigest()


def needs_update(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]], fields: Sequence[str]
) -> bool:
    """True when an edit changed what the last alert quoted (see the module docstring)."""
    before, after = sentences(old), sentences(new)
    if not before or not after or before == after:
        return False
    texts = [normalize(f) for f in fields]
    return any(not any(sentence in text for text in texts) for sentence in before)
