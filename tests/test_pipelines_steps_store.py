"""The store step names the articles of a batch whose write failed by their site and key (a
generic site's articles all have article ID 0)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import ArticleFields, ArticleItem
from pipelines.steps.groupcommit import BatchPolicy
from pipelines.steps.store import StorePipeline
from pipelines.storage import StoreError


class FullDisk:
    def store_evaluated_many(self, *_args: object, **_kw: object) -> Any:
        raise StoreError("database or disk is full")


def test_a_failed_batch_of_generic_articles_names_them_by_their_keys() -> None:
    stats = get_crawler().stats
    crawler = SimpleNamespace(stats=stats, engine=None)
    store: Any = FullDisk()
    pipeline = StorePipeline(store, [], {}, crawler, policy=BatchPolicy(size=2))
    urls = ["https://blog.example/2026/06/one", "https://blog.example/2026/06/two"]
    items = [ArticleItem(ArticleFields(url=url, article_id=0, headline="H"), site="blog",
                         article_key=url) for url in urls]
    pipeline.process_item(items[0])
    with pytest.raises(DropItem):
        pipeline.process_item(items[1])
    assert stats.get_value("mtwatch/store_error") == (
        f"articles blog {urls[0]}…blog {urls[1]} (2 in one transaction): "
        "database or disk is full")
