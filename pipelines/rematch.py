"""Re-running the topic rules over every stored article, after a rule change (``mtwatch
rematch``): an application task over the store, whatever the command line shows of it.

For each evaluated article and topic:

- a match the store does not have (**gained**) is recorded with one outbox row per route of
  ``channels`` (the config's watches, or channel names of the implicit watch): an alert, or an
  update threaded under its story's first alert on that watch when another report of the
  story alerted there. It alerts once, and never again on a later rematch or crawl;
- a known match whose verdict changed (rule version, rule, grade or evidence) is **updated** in
  place. The store queues an "updated" alert on ``channels`` only when an edit of the article
  changed the sentences its first alert quoted, once per distinct edit, and only for a match
  that alerted (``pipelines.alerts.evidence``): other sentences picked by new rules from the
  same text, or whitespace and layout changes, are not news;
- a known match the rules no longer find (**lost**) is reported and kept: its alert may have
  gone out, and the store is the record of what was sent.

``channels`` empty: matches are stored with no alert rows, as ``mtwatch run --no-alert`` does
(such a match never alerts later). ``write=False``: nothing is written, the report says what
would change. A second run over the same articles changes nothing and queues nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pipelines.matcher import Document, Matcher, Verdict
from pipelines.storage import MatchRecord

if TYPE_CHECKING:
    from pipelines.storage import Store
    from pipelines.storage.articles import StoredText
    from pipelines.storage.routes import Routing


@dataclass(frozen=True)
class Change:
    """A match gained or lost by re-running the rules."""

    article_id: int
    site: str
    topic: str
    headline: str
    url: str
    rule: str
    grade: str

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "site": self.site, "topic": self.topic,
                "rule": self.rule, "grade": self.grade, "headline": self.headline,
                "url": self.url}


@dataclass
class RematchReport:
    """What re-running the rules over the store changed (or, not written, would change)."""

    evaluated: int = 0
    gained: list[Change] = field(default_factory=list)
    lost: list[Change] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0
    #: outbox rows queued: the gained matches' alerts and the updates edits called for
    queued: int = 0


def rematch(store: Store, matchers: Sequence[Matcher], *, channels: Sequence[str] | Routing,
            now: datetime, write: bool = True) -> RematchReport:
    """Evaluate every stored article with ``matchers`` and record what changed (see the
    module docstring); ``now``: the time gained matches are recorded as found."""
    known = {(m.article_id, m.topic): m for matcher in matchers
             for m in store.list_matches(topic=matcher.topic.id)}
    report = RematchReport()
    before = _outbox_size(store)
    for article in store.iter_articles():
        report.evaluated += 1
        document = Document(title=article.headline, subtitle=article.subtitle,
                            body=article.text, language=article.language,
                            published=article.published)
        for matcher in matchers:
            verdict = matcher.evaluate(document)
            old = known.get((article.article_id, matcher.topic.id))
            if not verdict.matched:
                if old is not None:
                    report.lost.append(_change(article, old.topic, old.rule, old.grade))
                continue
            record = _record(article, verdict, now)
            if old is None:
                report.gained.append(_change(article, record.topic, record.rule, record.grade))
            elif _same_verdict(old, record):
                report.unchanged += 1
                continue
            else:
                report.updated += 1
            if write:
                store.record_match(record, channels, topic_name=matcher.topic.name)
    if write:
        # counted in the store: only the store knows which edits called for an update and
        # which rows it already had (a crawl writing at the same time would add its own)
        report.queued = _outbox_size(store) - before
    return report


def _record(article: StoredText, verdict: Verdict, now: datetime) -> MatchRecord:
    return MatchRecord(
        article_id=article.article_id, topic=verdict.topic, rule_version=verdict.rule_version,
        rule=verdict.rule or "", grade=verdict.grade or "mention",
        evidence=list(verdict.to_dict()["evidence"]), matched_at=now,
    )  # fmt: skip


def _same_verdict(old: MatchRecord, new: MatchRecord) -> bool:
    return (old.rule_version, old.rule, old.grade, old.evidence) == (
        new.rule_version, new.rule, new.grade, new.evidence)


def _change(article: StoredText, topic: str, rule: str, grade: str) -> Change:
    return Change(article.article_id, article.site, topic, article.headline, article.url, rule,
                  grade)


def _outbox_size(store: Store) -> int:
    return sum(store.alert_counts().values())
