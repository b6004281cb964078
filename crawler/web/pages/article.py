"""The Article page: the cleaned text with every evidence sentence highlighted in place, the
rule that fired and why, the near-misses, the alerts sent, the labels and the label form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from crawler.web.explain import Explanation, explain
from crawler.web.highlight import mark
from crawler.web.text import clip
from pipelines.alerts.render import GRADE_NOTES, highlight
from pipelines.matcher import Matcher
from pipelines.storage import ArticleRecord, MatchRecord, Store
from pipelines.storage.desk import alerts_of
from pipelines.storage.matches import story_reports
from pipelines.storage.stories import known_story

#: characters of the article text shown (a hostile 10 MB body is cut, and the page says so)
MAX_TEXT_CHARS = 200_000
MAX_SENTENCE_CHARS = 1000
FIELD_NAMES = {"title": "headline", "subtitle": "subtitle", "body": "text"}


@dataclass(frozen=True)
class Item:
    """An evidence sentence or a near-miss, ready to show."""

    number: int
    topic: str
    field: str
    start: int
    end: int
    rule: str
    reason: str
    segments: list[tuple[str, bool]]


def _items(topic: str, entries: Sequence[dict[str, Any]], first: int) -> list[Item]:
    return [Item(first + n, topic, FIELD_NAMES.get(str(e.get("field")), str(e.get("field"))),
                 int(e.get("start") or 0), int(e.get("end") or 0), str(e.get("rule") or ""),
                 str(e.get("reason") or ""),
                 highlight(clip(str(e.get("sentence", "")), MAX_SENTENCE_CHARS),
                           [str(t) for t in e.get("terms") or []]))
            for n, e in enumerate(entries)]  # fmt: skip


def _shown_evidence(e: Explanation) -> list[dict[str, Any]]:
    """What the store recorded (what the alert quoted); else what the rules find now."""
    if e.stored is not None:
        return list(e.stored.evidence)
    return [item.to_dict() for item in e.verdict.evidence]


def _topic_view(e: Explanation, evidence: list[Item]) -> dict[str, Any]:
    v = e.verdict
    return {
        "id": e.topic_id, "name": e.topic_name, "rule_version": e.rule_version,
        "matched": v.matched, "grade": v.grade, "rule": v.rule,
        "grade_note": GRADE_NOTES.get(v.grade or "", ""),
        "rules_fired": sorted({item.rule for item in v.evidence}),
        "stored": e.stored, "label": e.label, "disagreement": e.disagreement,
        "evidence": evidence,
        "near_misses": _items(e.topic_id, [n.to_dict() for n in v.near_misses], 1),
    }  # fmt: skip


def context(store: Store, matchers: Sequence[Matcher], article_id: int
            ) -> dict[str, Any] | None:
    """Everything the Article template shows; None when the article is not stored."""
    article = store.get_article(article_id)
    if article is None:
        return None
    found = explain(store, article, matchers)
    with store.read("desk_article") as conn:
        alerts = alerts_of(conn, article_id)
        story = story_of(conn, article_id)
    evidence: list[dict[str, Any]] = []
    topics = []
    for e in found:
        shown = _shown_evidence(e)
        topics.append(_topic_view(e, _items(e.topic_id, shown, len(evidence) + 1)))
        evidence += shown
    return {
        "article": article, "topics": topics, "alerts": alerts, "story": story,
        "history": store.label_history(article_id),
        "fields": {name: mark(getattr(article, name), evidence, name, MAX_TEXT_CHARS)
                   for name in ("headline", "subtitle", "text")},
        "link_ok": article.url.startswith(("https://", "http://")),
        "facts": _facts(article),
    }  # fmt: skip


def story_of(conn: Connection, article_id: int) -> dict[str, Any] | None:
    """The article's story (pipelines.storage.stories): its id and its other articles, first
    report first; None when the article was grouped under none."""
    found = known_story(conn, article_id)
    if found is None:
        return None
    others: dict[int, MatchRecord] = {}
    for m in story_reports(conn, [found]).get(found, []):
        if m.article_id != article_id:
            others.setdefault(m.article_id, m)
    return {"id": found, "others": list(others.values())}


def _facts(article: ArticleRecord) -> list[tuple[str, str]]:
    return [
        ("article id", str(article.article_id)),
        ("site", clip(article.site, 100)),
        ("site's id", clip(article.article_key, 200)),
        ("authors", ", ".join(clip(a, 100) for a in article.authors[:20]) or "—"),
        ("section", clip(article.section, 100) or "—"),
        ("language", article.language or "—"),
        ("stored text", f"{len(article.text):,} characters"),
        ("extraction", article.extraction or "ok"),
        ("state", article.state),
    ]
