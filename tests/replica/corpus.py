"""Load and validate a user corpus (JSON lines) to publish as replica articles."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .model import ANCHOR, MSK, SECTIONS

_SECTION_ALIASES = {
    "arts-and-life": "city", "ukraine-war": "ukraine_war", "news-analysis": "analysis",
}
_LABELS = {"positive": True, "negative": False, "true": True, "false": False}
_EARLIEST = datetime(2000, 1, 1, tzinfo=MSK)


class CorpusError(ValueError):
    """A corpus file that cannot be published; the message is one line for the user."""


@dataclass(frozen=True)
class CorpusEntry:
    title: str
    paragraphs: tuple[str, ...]
    id: int | None = None
    date: datetime | None = None
    authors: tuple[str, ...] = ()
    section: str = "news"
    label: bool | None = None


def load_corpus(path: str | Path) -> list[CorpusEntry]:
    """Parse a JSONL corpus file; raise CorpusError with a one-line reason on bad input."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read corpus {p}: {exc.__class__.__name__}: {exc}") from None
    rows: list[dict[str, Any]] = []
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{p}:{lineno}: invalid JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise CorpusError(f"{p}:{lineno}: each line must be a JSON object")
        rows.append(obj)
    return parse_entries(rows, str(p))


def parse_entries(rows: list[dict[str, Any]], origin: str = "corpus") -> list[CorpusEntry]:
    """Validate already-decoded corpus rows (also used by the Python API)."""
    if not rows:
        raise CorpusError(f"{origin}: corpus has no articles")
    out: list[CorpusEntry] = []
    seen: set[int] = set()
    for i, row in enumerate(rows, 1):
        where = f"{origin}: entry {i}"
        entry = _entry(row, where)
        if entry.id is not None:
            if entry.id in seen:
                raise CorpusError(f"{where}: duplicate id {entry.id}")
            seen.add(entry.id)
        out.append(entry)
    return out


def _entry(row: dict[str, Any], where: str) -> CorpusEntry:
    title, text = row.get("title"), row.get("text")
    if not isinstance(title, str) or not title.strip():
        raise CorpusError(f"{where}: 'title' must be a non-empty string")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' must be a non-empty string")
    paragraphs = tuple(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())
    return CorpusEntry(
        title=" ".join(title.split()),
        paragraphs=paragraphs,
        id=_id(row.get("id"), where),
        date=_date(row.get("date"), where),
        authors=_authors(row.get("authors"), where),
        section=_section(row.get("section"), where),
        label=_label(row.get("label"), where),
    )


def _id(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9_999_999:
        raise CorpusError(f"{where}: 'id' must be an integer between 1 and 9999999")
    return value


def _date(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CorpusError(f"{where}: 'date' must be an ISO 8601 string")
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise CorpusError(f"{where}: 'date' is not ISO 8601: {value!r}") from None
    when = when.replace(tzinfo=MSK) if when.tzinfo is None else when.astimezone(MSK)
    if len(value.strip()) == 10:  # a bare date: publish at noon Moscow time
        when = when.replace(hour=12)
    if not _EARLIEST <= when <= ANCHOR:
        raise CorpusError(f"{where}: 'date' must be between 2000-01-01 and {ANCHOR.isoformat()}")
    return when


def _authors(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        raise CorpusError(f"{where}: 'authors' must be a string or a list of strings")
    return tuple(a.strip() for a in value)


def _section(value: Any, where: str) -> str:
    if value is None:
        return "news"
    key = _SECTION_ALIASES.get(str(value).lower(), str(value).lower())
    if not isinstance(value, str) or key not in SECTIONS:
        raise CorpusError(f"{where}: unknown 'section' {value!r}; use one of {', '.join(SECTIONS)}")
    return key


def _label(value: Any, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _LABELS:
        return _LABELS[value.lower()]
    raise CorpusError(f"{where}: 'label' must be positive/negative/true/false")
