"""The alert payload: the JSON snapshot of one match that the outbox stores and notifiers send."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.storage.records import ArticleRecord, MatchRecord

PAYLOAD_KEYS = (
    "site", "article_key",
    "article_id", "url", "headline", "subtitle", "published", "authors", "section",
    "topic", "topic_name", "grade", "rule", "rule_version", "evidence", "story_id",
)  # fmt: skip
EVIDENCE_KEYS = ("field", "sentence", "start", "end", "terms")


def build_payload(article: ArticleRecord, match: MatchRecord, topic_name: str) -> dict[str, Any]:
    """Everything a notifier needs, as JSON-safe values (datetimes as ISO 8601 UTC strings)."""
    return {
        "site": article.site,
        "article_key": article.article_key,
        "article_id": article.article_id,
        "url": article.url,
        "headline": article.headline,
        "subtitle": article.subtitle,
        "published": _iso(article.published),
        "authors": [str(a) for a in article.authors],
        "section": article.section,
        "topic": match.topic,
        "topic_name": topic_name,
        "grade": match.grade,
        "rule": match.rule,
        "rule_version": match.rule_version,
        "evidence": [evidence_item(e) for e in match.evidence],
        # the story the article reports (None: not grouped)
        "story_id": match.story_id,
    }


def evidence_item(raw: Mapping[str, Any]) -> dict[str, Any]:
    """One evidence entry reduced to the payload's keys, with safe types."""
    terms = raw.get("terms") or []
    return {
        "field": str(raw.get("field", "text")),
        "sentence": str(raw.get("sentence", "")),
        "start": _int(raw.get("start")),
        "end": _int(raw.get("end")),
        "terms": [str(t) for t in terms] if isinstance(terms, list | tuple) else [str(terms)],
    }


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
