"""Plain value types the matcher takes and returns: Document, Evidence, Verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Document:
    """One article as the matcher sees it: three text fields and an optional publish time."""

    title: str = ""
    subtitle: str = ""
    body: str = ""
    language: str = "en"
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence (or sentence window) of one field; ``text[start:end] == sentence``."""

    field: str
    start: int
    end: int
    sentence: str
    rule: str
    terms: tuple[str, ...]
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "rule": self.rule,
            "terms": list(self.terms),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of evaluating one document against one topic."""

    topic: str
    rule_version: str
    matched: bool
    grade: str | None = None
    rule: str | None = None
    evidence: tuple[Evidence, ...] = ()
    near_misses: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "topic": self.topic,
            "rule_version": self.rule_version,
            "matched": self.matched,
            "grade": self.grade,
            "rule": self.rule,
            "evidence": [item.to_dict() for item in self.evidence],
            "near_misses": [item.to_dict() for item in self.near_misses],
        }
