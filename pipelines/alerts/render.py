"""Alert bodies: a payload turned into a safe view, rendered by the Jinja2 templates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.alerts.sanitize import body_text

MOSCOW = ZoneInfo("Europe/Moscow")
#: the time zone of a site no mapping names: The Moscow Times' sites (and payloads from before
#: sites, which name none) are read in Moscow, any other site in UTC
SITE_FAMILY_ZONES = {"moscowtimes": "Europe/Moscow"}
#: site name → IANA time zone (``[sites.<name>] timezone``), handed in by whoever sends
SiteZones = Mapping[str, str]
TEMPLATES = Path(__file__).with_name("templates")
#: a piece of an evidence sentence and whether it is a matched term
Segment = tuple[str, bool]
if TYPE_CHECKING:
    from jinja2 import Environment

FIELD_LABELS = {"title": "headline", "headline": "headline", "subtitle": "subtitle",
                "text": "article text", "body": "article text"}  # fmt: skip


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
    #: the publication time in the site's time zone, then in UTC
    published_local: str
    published_utc: str
    authors: list[str]
    section: str
    grade: str
    rule: str
    rule_version: str
    evidence: list[Evidence]
    #: "alert", or "update" when an edit changed the evidence of an earlier alert
    kind: str = "alert"
    refers_to: str = ""
    previous_evidence: tuple[Evidence, ...] = ()
    article_id: str = ""
    #: the site the article belongs to ("" in payloads from before sites)
    site: str = ""
    #: the story the article reports ("" when not grouped); for a later report of a story
    #: (an update "also reported by" its site), the story's first article
    story_id: str = ""
    also_reported_by: str = ""
    story_headline: str = ""
    story_site: str = ""
    story_url: str = ""
    #: the watch the alert belongs to ("": a config without watches)
    watch: str = ""

    @property
    def grade_note(self) -> str:
        """What the grade means, in the words of the topic rules."""
        return GRADE_NOTES.get(self.grade, "")


#: the topic rules' grades (config/topics/*.toml, [grades])
GRADE_NOTES = {
    "development": "an event: talks, a meeting, an agreement, a visit…",
    "mention": "the relation is named, without a new event",
}


def highlight(sentence: str, terms: Sequence[str]) -> list[Segment]:
    """Split ``sentence`` into plain and matched pieces (case-insensitive, longest term first).

    Terms match whole words, as the matcher does: "ties" is not highlighted in "deputies".
    """
    words = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return [(sentence, False)] if sentence else []
    pattern = re.compile("|".join(_whole(w) for w in words), re.IGNORECASE)
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


def _whole(term: str) -> str:
    before = r"(?<!\w)" if re.match(r"\w", term) else ""
    after = r"(?!\w)" if re.search(r"\w$", term) else ""
    return before + re.escape(term) + after


def parse_time(value: Any) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def site_zone(site: str, zones: SiteZones | None = None) -> ZoneInfo:
    """The time zone ``site``'s times are shown in: the mapping's, else its family's default
    (``moscowtimes-ru`` is read in Moscow too), else UTC. A name that is no zone: UTC."""
    family = site.split("-", 1)[0] if site else "moscowtimes"
    name = (zones or {}).get(site) or SITE_FAMILY_ZONES.get(family) or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_times(published: Any, zone: ZoneInfo = MOSCOW) -> tuple[str, str]:
    """(time in ``zone``, UTC time) of an ISO 8601 timestamp, or ("unknown", "unknown")."""
    when = parse_time(published)
    if when is None:
        return "unknown", "unknown"
    local = when.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    return local, when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def evidence_views(items: Any) -> list[Evidence]:
    return [
        Evidence(
            field=FIELD_LABELS.get(str(e.get("field", "")), body_text(str(e.get("field", "")))),
            segments=highlight(body_text(str(e.get("sentence", ""))), _terms(e)),
        )
        for e in items or []
        if isinstance(e, Mapping)
    ]


def view(payload: Mapping[str, Any], zones: SiteZones | None = None) -> AlertView:
    def text(key: str, default: str = "") -> str:
        return body_text(str(payload.get(key) or default))

    url = text("url")
    site = text("site")
    local, utc = format_times(payload.get("published"), site_zone(site, zones))
    raw_story = payload.get("story")
    story: Mapping[str, Any] = raw_story if isinstance(raw_story, Mapping) else {}

    def of_story(key: str) -> str:
        return body_text(str(story.get(key) or ""))

    return AlertView(
        topic_name=text("topic_name", str(payload.get("topic") or "")),
        headline=text("headline", "(no headline)"),
        subtitle=text("subtitle"),
        url=url,
        link_ok=url.startswith(("https://", "http://")),
        published_local=local,
        published_utc=utc,
        authors=[body_text(str(a)) for a in payload.get("authors") or []],
        section=text("section"),
        grade=text("grade"),
        rule=text("rule"),
        rule_version=text("rule_version"),
        evidence=evidence_views(payload.get("evidence")),
        kind="update" if payload.get("kind") == "update" else "alert",
        refers_to=text("refers_to"),
        previous_evidence=tuple(evidence_views(payload.get("previous_evidence"))),
        article_id=text("article_id"),
        site=site,
        story_id=text("story_id") or of_story("id"),
        also_reported_by=text("also_reported_by") if story else "",
        story_headline=of_story("headline"),
        story_site=of_story("site"),
        story_url=of_story("url"),
        watch=text("watch"),
    )


def _terms(entry: Mapping[str, Any]) -> list[str]:
    terms = entry.get("terms") or []
    return [body_text(str(t)) for t in terms] if isinstance(terms, list | tuple) else []


@cache
def _environment() -> Environment:
    # imported here: a crawl that sends nothing (an idle poll) never loads Jinja2
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, alert: Any = None, **context: Any) -> str:
    """Render ``templates/<template>`` with ``alert`` (an AlertView) and any other values."""
    return _environment().get_template(template).render(alert=alert, **context)
