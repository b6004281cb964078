"""Backtesting: read labelled JSON Lines, evaluate each row, score precision, recall and F1."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .model import Document, Verdict

_LABELS: dict[object, bool] = {"positive": True, "negative": False, True: True, False: False}


class CorpusError(ValueError):
    """A backtest file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One input row: its id, the document to evaluate and its label (None: unlabelled)."""

    id: str
    document: Document
    label: bool | None = None


def read_samples(path: Path) -> list[Sample]:
    """Every row of a JSON Lines file (blank lines skipped); the first bad row raises."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_samples(raw, str(path))


def parse_samples(raw: bytes, name: str) -> list[Sample]:
    """Every row of JSON Lines text read from ``name`` (a file, ``<stdin>``)."""
    samples = []
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise CorpusError(f"{name}:{number}: not UTF-8 text") from None
        if text.strip():
            samples.append(parse_row(text, f"{name}:{number}", number))
    return samples


def parse_row(text: str, where: str, number: int) -> Sample:
    """One JSON object ``{"id", "title", "text", "label"?, "subtitle"?, "language"?,
    "published"?}``; ``where`` prefixes any error ("file.jsonl:12")."""
    try:
        row = json.loads(text)
    except ValueError as exc:
        raise CorpusError(f"{where}: not JSON: {exc}") from None
    if not isinstance(row, dict):
        raise CorpusError(f"{where}: expected a JSON object, got {type(row).__name__}")
    fields = {name: _text(row, name, where, required=name in ("title", "text"))
              for name in ("title", "text", "subtitle", "language")}
    document = Document(title=fields["title"], subtitle=fields["subtitle"], body=fields["text"],
                        language=fields["language"] or "en",
                        published=_published(row.get("published"), where))
    return Sample(_id(row.get("id"), number, where), document, _label(row, where))


def _text(row: dict[str, Any], name: str, where: str, *, required: bool) -> str:
    value = row.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problem = "missing" if value is None else "not a string"
        raise CorpusError(f"{where}: {name!r} is {problem}")
    return value


def _id(value: object, number: int, where: str) -> str:
    if value is None:
        return f"line {number}"
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise CorpusError(f"{where}: 'id' must be a string or an integer")
    return str(value)


def _label(row: dict[str, Any], where: str) -> bool | None:
    value = row.get("label")
    if value is None:
        return None
    key = value.strip().lower() if isinstance(value, str) else value
    if isinstance(key, str | bool) and key in _LABELS:
        return _LABELS[key]
    raise CorpusError(f"{where}: 'label' must be \"positive\", \"negative\", true or false, "
                      f"got {value!r}")


def _published(value: object, where: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise CorpusError(f"{where}: 'published' must be an ISO date such as 2023-05-10, "
                      f"got {value!r}")


def result_row(sample: Sample, verdict: Verdict) -> dict[str, Any]:
    """What ``mtwatch match`` prints for one input row."""
    data = verdict.to_dict()
    return {"id": sample.id, "match": verdict.matched, "grade": verdict.grade,
            "rule": verdict.rule, "evidence": data["evidence"],
            "near_misses": data["near_misses"]}


@dataclass
class Score:
    """Confusion counts over the labelled rows, with the ids of the mistakes."""

    true_positives: int = 0
    true_negatives: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    def add(self, sample: Sample, matched: bool) -> None:
        if sample.label is None:
            return
        if sample.label and matched:
            self.true_positives += 1
        elif sample.label:
            self.false_negatives.append(sample.id)
        elif matched:
            self.false_positives.append(sample.id)
        else:
            self.true_negatives += 1

    @property
    def labelled(self) -> int:
        return (self.true_positives + self.true_negatives + len(self.false_positives)
                + len(self.false_negatives))

    @property
    def precision(self) -> float:
        return self.true_positives / max(1, self.true_positives + len(self.false_positives))

    @property
    def recall(self) -> float:
        return self.true_positives / max(1, self.true_positives + len(self.false_negatives))

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def summary(self) -> str:
        return (f"precision={self.precision:.3f} recall={self.recall:.3f} f1={self.f1:.3f} "
                f"(labelled={self.labelled} tp={self.true_positives} "
                f"fp={len(self.false_positives)} fn={len(self.false_negatives)} "
                f"tn={self.true_negatives})")


def score(results: Iterable[tuple[Sample, bool]]) -> Score:
    """Score (sample, matched) pairs; unlabelled samples are not counted."""
    total = Score()
    for sample, matched in results:
        total.add(sample, matched)
    return total

