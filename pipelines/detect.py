"""Detect: run every enabled topic's matcher over an article's headline, subtitle and body."""

from __future__ import annotations

import logging
from typing import Any

from pipelines.matcher import Document, Matcher, load_topic
from pipelines.matcher.topicset import TopicSet
from pipelines.topic_files import topic_file

logger = logging.getLogger(__name__)


def load_matchers(topics_dir: Any, enabled: list[str]) -> list[Matcher]:
    """One compiled matcher per enabled topic: a name (``<topics_dir>/<name>.toml``) or a
    path to a topic file."""
    return [Matcher(load_topic(topic_file(topics_dir, entry))) for entry in enabled]


class DetectPipeline:
    """Attach one verdict per topic to the item; count evaluated and matched articles."""

    def __init__(self, matchers: list[Matcher], stats: Any) -> None:
        self.matchers = matchers
        self.topics = TopicSet(matchers)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> DetectPipeline:
        from crawler.context import crawl_context

        return cls(crawl_context(crawler).matchers, crawler.stats)

    def process_item(self, item: Any) -> Any:
        document = Document(
            title=item.headline, subtitle=item.subtitle, body=item.text,
            language=item.language, published=item.published,
        )
        item.verdicts = self.topics.evaluate(document)
        self.stats.inc_value("mtwatch/evaluated")
        matched = [v for v in item.verdicts if v.matched]
        if matched:
            self.stats.inc_value("mtwatch/matched")
            logger.info("match %s (%s): %s", item.article_id, matched[0].grade, item.headline)
        return item
