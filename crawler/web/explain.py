"""Why a stored article matched or not: the current rules re-run on its stored text, next to
what the store recorded (the match, its alerts' evidence) and the analysts' labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.matcher import Document, Matcher, Verdict
from pipelines.storage import ArticleRecord, Store
from pipelines.storage.desk import MatchRow, matches_of
from pipelines.storage.labels import Label


@dataclass(frozen=True)
class Explanation:
    """One article against one topic."""

    topic_id: str
    topic_name: str
    rule_version: str
    verdict: Verdict
    stored: MatchRow | None
    label: Label | None

    @property
    def disagreement(self) -> str:
        """How the stored verdict or the label differ from the current rules ("" if not)."""
        notes = []
        if self.stored is not None and not self.verdict.matched:
            notes.append(f"stored as a match (rules {self.stored.rule_version}) but the current "
                         "rules do not match it")
        elif self.stored is None and self.verdict.matched:
            notes.append("the current rules match it but no match is stored (run "
                         "`mtwatch rematch`)")
        if self.label is not None and self.label.relevant != self.verdict.matched:
            said = "relevant" if self.label.relevant else "not relevant"
            notes.append(f"labelled {said} by {self.label.labelled_by}, the rules say "
                         f"{'match' if self.verdict.matched else 'no match'}")
        return "; ".join(notes)


def document(article: ArticleRecord) -> Document:
    return Document(title=article.headline, subtitle=article.subtitle, body=article.text,
                    language=article.language or "en", published=article.published)


def explain(store: Store, article: ArticleRecord, matchers: Sequence[Matcher]
            ) -> list[Explanation]:
    """One explanation per topic of ``matchers``."""
    with store.read("explain") as conn:
        stored = {row.topic: row for row in matches_of(conn, article.article_id)}
    labels = store.current_labels(article.article_id)
    doc = document(article)
    return [Explanation(m.topic.id, m.topic.name, m.topic.rule_version, m.evaluate(doc),
                        stored.get(m.topic.id), labels.get(m.topic.id)) for m in matchers]
