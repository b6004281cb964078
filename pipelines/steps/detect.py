"""Detect: run every enabled topic's matcher over an article's headline, subtitle and body."""

from __future__ import annotations

import logging
from typing import Any

from pipelines.matcher import Document, Matcher

logger = logging.getLogger(__name__)


class DetectPipeline:
    """Attach one verdict per topic to the item; count evaluated and matched articles."""

    def __init__(self, matchers: list[Matcher], stats: Any) -> None:
        self.matchers = matchers
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
        item.verdicts = [matcher.evaluate(document) for matcher in self.matchers]
        self.stats.inc_value("mtwatch/evaluated")
        matched = [v for v in item.verdicts if v.matched]
        if matched:
            self.stats.inc_value("mtwatch/matched")
            logger.info("match %s (%s): %s", item.article_id, matched[0].grade, item.headline)
        return item
