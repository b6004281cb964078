"""An article field cut into plain and evidence pieces at the stored offsets, so every
proving sentence is highlighted in place (and its matched terms within it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.web.text import clean
from pipelines.alerts.render import highlight

#: the evidence ``field`` names of each stored article column
FIELDS = {"headline": ("title", "headline"), "subtitle": ("subtitle",),
          "text": ("body", "text")}  # fmt: skip


@dataclass(frozen=True)
class Block:
    """A run of the text: plain, or evidence ``number`` split into (piece, is_term) segments."""

    text: str = ""
    number: int = 0
    segments: tuple[tuple[str, bool], ...] = ()

    @property
    def evidence(self) -> bool:
        return self.number > 0


@dataclass(frozen=True)
class Marked:
    """A field ready to show: its blocks, whether it was cut, and evidence not found in it."""

    blocks: list[Block]
    cut: bool = False
    missing: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    number: int
    terms: tuple[str, ...]


def _locate(text: str, item: Mapping[str, Any]) -> tuple[int, int] | None:
    """Where the evidence sentence is: at its stored offsets, else (an edited article) its
    first occurrence, else nowhere."""
    sentence = str(item.get("sentence") or "")
    if not sentence:
        return None
    start, end = item.get("start"), item.get("end")
    if isinstance(start, int) and isinstance(end, int) and text[start:end] == sentence:
        return start, end
    found = text.find(sentence)
    return (found, found + len(sentence)) if found >= 0 else None


def _spans(text: str, evidence: Sequence[Mapping[str, Any]], column: str
           ) -> tuple[list[_Span], list[int]]:
    spans, missing = [], []
    for number, item in enumerate(evidence, start=1):
        if str(item.get("field", "")) not in FIELDS[column]:
            continue
        where = _locate(text, item)
        if where is None:
            missing.append(number)
            continue
        terms = tuple(str(t) for t in item.get("terms") or [])
        spans.append(_Span(where[0], where[1], number, terms))
    spans.sort(key=lambda s: (s.start, s.end))
    merged: list[_Span] = []
    for span in spans:  # overlapping sentence windows: one highlight, every term
        if merged and span.start < merged[-1].end:
            last = merged.pop()
            span = _Span(last.start, max(last.end, span.end), last.number,
                         last.terms + span.terms)
        merged.append(span)
    return merged, missing


def mark(text: str, evidence: Sequence[Mapping[str, Any]], column: str, limit: int) -> Marked:
    """``text`` (the stored ``column``) with its evidence marked; at most ``limit`` characters
    are shown (an evidence sentence past the cut is listed as missing)."""
    spans, missing = _spans(text, evidence, column)
    shown = text[:limit]
    blocks: list[Block] = []
    pos = 0
    for span in spans:
        if span.end > len(shown):
            missing.append(span.number)
            continue
        if span.start > pos:
            blocks.append(Block(text=clean(shown[pos:span.start])))
        pieces = highlight(clean(shown[span.start:span.end]), span.terms)
        blocks.append(Block(number=span.number, segments=tuple(pieces)))
        pos = span.end
    if pos < len(shown):
        blocks.append(Block(text=clean(shown[pos:])))
    return Marked(blocks, cut=len(text) > limit, missing=sorted(missing))
