"""Re-run the topic rules over every stored article (after a rule change): no alert storms.

A known match only has its evidence refreshed; an "updated" alert is queued only when an edit
changed what the first alert quoted (``pipelines.alerts.evidence``). New matches alert once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pipelines.matcher import Document, Matcher

if TYPE_CHECKING:
    from pipelines.storage import Store
    from pipelines.storage.routes import Routing


@dataclass
class RematchReport:
    articles: int = 0
    matched: int = 0
    new_matches: int = 0
    new_alert_rows: int = 0


def rematch(
    store: Store,
    matchers: Sequence[Matcher],
    channels: Sequence[str] | Routing,
    *,
    now: datetime,
    topic_names: Mapping[str, str] | None = None,
) -> RematchReport:
    """Evaluate every stored article again and record its matches (new ones alert on the
    routes of ``channels``: a routing, or channel names of the implicit watch); what changed."""
    from pipelines.storage import MatchRecord

    report = RematchReport()
    before = len(store.outbox_rows())
    for article_id in sorted(store.article_ids()):
        article = store.get_article(article_id)
        if article is None:
            continue
        report.articles += 1
        document = Document(title=article.headline, subtitle=article.subtitle, body=article.text,
                            language=article.language, published=article.published)  # fmt: skip
        for verdict in (m.evaluate(document) for m in matchers):
            if not verdict.matched:
                continue
            report.matched += 1
            record = MatchRecord(
                article_id=article_id, topic=verdict.topic, rule_version=verdict.rule_version,
                rule=verdict.rule or "", grade=verdict.grade or "mention",
                evidence=list(verdict.to_dict()["evidence"]), matched_at=now,
            )  # fmt: skip
            name = (topic_names or {}).get(verdict.topic)
            report.new_matches += store.record_match(record, channels, topic_name=name)
    report.new_alert_rows = len(store.outbox_rows()) - before
    return report
