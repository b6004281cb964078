"""Detect: run every enabled topic's matcher over an article's headline, subtitle and body."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.matcher import Matcher
    from pipelines.matcher.topicset import TopicSet

logger = logging.getLogger(__name__)


class DetectPipeline:
    """Attach one verdict per topic to the item; count evaluated and matched articles.

    The topics are compiled when the first article arrives: a crawl that evaluates nothing
    (an idle poll) never pays for them. One automaton over every topic's anchor words
    (``TopicSet``) chooses which topics an article is evaluated for."""

    def __init__(self, matchers: list[Matcher] | Callable[[], list[Matcher]],
                 stats: Any) -> None:
        self._matchers = matchers
        self._topics: TopicSet | None = None
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> DetectPipeline:
        from crawler.context import crawl_context

        context = crawl_context(crawler)
        return cls(lambda: context.matchers, crawler.stats)

    @property
    def matchers(self) -> list[Matcher]:
        if callable(self._matchers):
            self._matchers = self._matchers()
        return self._matchers

    @property
    def topics(self) -> TopicSet:
        if self._topics is None:
            from pipelines.matcher.topicset import TopicSet

            self._topics = TopicSet(self.matchers)
        return self._topics

    def process_item(self, item: Any) -> Any:
        from pipelines.matcher import Document

        document = Document(
            title=item.fields.headline, subtitle=item.fields.subtitle, body=item.text,
            language=item.fields.language, published=item.fields.published,
        )
        item.verdicts = self.topics.evaluate(document)
        self.stats.inc_value("mtwatch/evaluated")
        matched = [v for v in item.verdicts if v.matched]
        if matched:
            self.stats.inc_value("mtwatch/matched")
            logger.info("match %s (%s): %s", item.key,
                        matched[0].grade, item.fields.headline)
        return item
