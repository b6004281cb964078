"""Alert bodies: a payload turned into a safe view, rendered by the Jinja2 templates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipelines.alerts.sanitize import body_text

MOSCOW = ZoneInfo("Europe/Moscow")
TEMPLATES = Path(__file__).with_name("templates")
#: a piece of an evidence sentence and whether it is a matched term
Segment = tuple[str, bool]


@dataclass(frozen=True)
class Evidence:
    field: str
    segments: list[Segment]


@dataclass(frozen=True)
class AlertView:
    """What the templates show; every string is already cleaned of control characters."""

    topic_name: str
    headline: str
    subtitle: str
    url: str
    link_ok: bool
    published_moscow: str
    published_utc: str
    authors: list[str]
    section: str
    grade: str
    rule: str
    rule_version: str
    evidence: list[Evidence]


def highlight(sentence: str, terms: Sequence[str]) -> list[Segment]:
    """Split ``sentence`` into plain and matched pieces (case-insensitive, longest term first)."""
    words = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return [(sentence, False)] if sentence else []
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    segments: list[Segment] = []
    pos = 0
    for found in pattern.finditer(sentence):
        if found.start() > pos:
            segments.append((sentence[pos : found.start()], False))
        segments.append((found.group(), True))
        pos = found.end()
    if pos < len(sentence):
        segments.append((sentence[pos:], False))
    return segments


def format_times(published: Any) -> tuple[str, str]:
    """(Moscow time, UTC time) of an ISO 8601 timestamp, or ("unknown", "unknown")."""
    try:
        when = datetime.fromisoformat(str(published)) if published else None
    except ValueError:
        when = None
    if when is None:
        return "unknown", "unknown"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    moscow = when.astimezone(MOSCOW).strftime("%Y-%m-%d %H:%M %Z")
    return moscow, when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def view(payload: Mapping[str, Any]) -> AlertView:
    def text(key: str, default: str = "") -> str:
        return body_text(str(payload.get(key) or default))

    url = text("url")
    moscow, utc = format_times(payload.get("published"))
    evidence = [
        Evidence(
            field=body_text(str(e.get("field", ""))),
            segments=highlight(body_text(str(e.get("sentence", ""))), _terms(e)),
        )
        for e in payload.get("evidence") or []
        if isinstance(e, Mapping)
    ]
    return AlertView(
        topic_name=text("topic_name", str(payload.get("topic") or "")),
        headline=text("headline", "(no headline)"),
        subtitle=text("subtitle"),
        url=url,
        link_ok=url.startswith(("https://", "http://")),
        published_moscow=moscow,
        published_utc=utc,
        authors=[body_text(str(a)) for a in payload.get("authors") or []],
        section=text("section"),
        grade=text("grade"),
        rule=text("rule"),
        rule_version=text("rule_version"),
        evidence=evidence,
    )


def _terms(entry: Mapping[str, Any]) -> list[str]:
    terms = entry.get("terms") or []
    return [body_text(str(t)) for t in terms] if isinstance(terms, list | tuple) else []


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, alert: AlertView) -> str:
    """Render ``templates/<template>`` (``email.txt.j2`` or ``email.html.j2``) for ``alert``."""
    return _environment().get_template(template).render(alert=alert)
