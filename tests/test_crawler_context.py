"""crawler.context: one crawl context per crawl, shared through ``crawler.mtwatch``; spider
callbacks tested with ``get_crawler`` and a registered context instead of a subprocess."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.config import load_config
from crawler.context import CONTEXT_SETTING, CrawlContext, crawl_context, register
from crawler.items import ArticleFields, ArticleItem
from crawler.spiders.moscowtimes import MoscowTimesSpider
from tests.replica.routes import resolve
from tests.replica.russian import POSITIVE_ID, build_russian_site

RU = "http://127.0.0.2:8000"


class CountingStore:
    """Stands in for pipelines.storage.Store where a test only counts opens and closes."""

    opened = 0

    def __init__(self, url: str) -> None:
        type(self).opened += 1
        self.url = url
        self.closed = False

    def close(self) -> None:
        self.closed = True


def two_site_context(tmp_path: Path, **store: Any) -> CrawlContext:
    user = tmp_path / "two.toml"
    user.write_text(f'[sites.moscowtimes-ru]\nenabled = true\nurl = "{RU}"\n', encoding="utf-8")
    config = load_config(user, env={"MTWATCH_DATA_DIR": str(tmp_path / "data"),
                                    "MTWATCH_DB_URL": f"sqlite:///{tmp_path / 'm.db'}"})
    return CrawlContext.from_config(config)


def test_every_crawler_of_a_crawl_shares_one_context_and_one_store(tmp_path: Path) -> None:
    context = two_site_context(tmp_path)
    context.open_store = CountingStore
    CountingStore.opened = 0
    settings = Settings()
    register(context, settings)
    only = {CONTEXT_SETTING: settings[CONTEXT_SETTING]}
    crawlers = [get_crawler(MoscowTimesSpider, only) for _ in range(2)]
    assert all(crawl_context(c) is context for c in crawlers)
    assert all(c.mtwatch is context for c in crawlers)
    assert context.store is context.store
    assert CountingStore.opened == 1
    store = context.store
    assert isinstance(store, CountingStore)
    context._crawler_stopped()
    assert not store.closed  # another crawler still runs
    context._crawler_stopped()
    assert store.closed


def test_a_plain_crawler_builds_its_context_from_its_settings(tmp_path: Path) -> None:
    crawler = get_crawler(MoscowTimesSpider, {
        "MTWATCH_SITE": "moscowtimes-ru", "MTWATCH_DB_URL": f"sqlite:///{tmp_path / 'm.db'}"})
    context = crawl_context(crawler)
    assert list(context.sites) == ["moscowtimes-ru"]
    assert context.site().urls.host == "ru.themoscowtimes.com"
    assert context.site("moscowtimes").urls.host == "www.themoscowtimes.com"  # asked by name
    with pytest.raises(ValueError, match=r"no site named 'nope' \(configured: moscowtimes"):
        context.site("nope")


def test_the_spider_reads_a_russian_article_as_an_item_of_its_own_site(tmp_path: Path) -> None:
    context = two_site_context(tmp_path)
    settings = Settings()
    register(context, settings)
    crawler = get_crawler(MoscowTimesSpider, {CONTEXT_SETTING: settings[CONTEXT_SETTING]})
    spider = MoscowTimesSpider.from_crawler(crawler, site="moscowtimes-ru")
    assert spider.site.name == "moscowtimes-ru"
    assert spider.allowed_domains == ["127.0.0.2"]
    site = build_russian_site()
    article = site.by_id[POSITIVE_ID]
    path = f"/{article.published:%Y/%m/%d}/{article.slug}-a{article.id}"
    html = resolve(site, path, RU).body.decode("utf-8")
    url = RU + path
    response = HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8",
                            request=spider._article_request(spider.candidate(POSITIVE_ID, url)))
    items = list(spider.parse_article(response))
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, ArticleItem)
    assert (item.site, item.article_key, item.fields.article_id) == ("moscowtimes-ru", "81087",
                                                                     81087)
    assert item.fields.language == "ru"
    assert "дорожной картой" in item.fields.headline
    context.close()


def test_the_store_and_alert_pipelines_use_the_crawls_store(tmp_path: Path) -> None:
    """Neither pipeline opens a store of its own, and the store pipeline leaves the shared one
    open for the crawlers still running (the context closes it after the last one)."""
    from pipelines.steps.alert import AlertPipeline
    from pipelines.steps.store import StorePipeline

    context = two_site_context(tmp_path)
    context.open_store = CountingStore
    CountingStore.opened = 0
    settings = Settings()
    register(context, settings)
    crawler = get_crawler(MoscowTimesSpider, {CONTEXT_SETTING: settings[CONTEXT_SETTING]})
    stored = StorePipeline.from_crawler(crawler)
    alerted = AlertPipeline.from_crawler(crawler)
    assert stored.store is context.store
    assert alerted.shared_store is not None
    assert alerted.shared_store() is context.store
    stored.close_spider()
    assert not context.store.closed
    assert CountingStore.opened == 1


def test_a_crawl_compiles_its_topics_only_when_it_evaluates_an_article(tmp_path: Path) -> None:
    """An idle poll (nothing to evaluate) never compiles the rules: the pipelines and the
    canary bookkeeping need only the topics' headers."""
    from pipelines.steps.detect import DetectPipeline
    from pipelines.steps.store import StorePipeline

    context = two_site_context(tmp_path)
    context.open_store = CountingStore
    settings = Settings()
    register(context, settings)
    crawler = get_crawler(MoscowTimesSpider, {CONTEXT_SETTING: settings[CONTEXT_SETTING]})
    detect = DetectPipeline.from_crawler(crawler)
    stored = StorePipeline.from_crawler(crawler)
    assert stored.topic_names == {"syria-turkey": context.topic_headers[0].name}
    assert context._matchers is None
    item = ArticleItem(ArticleFields(url="https://www.themoscowtimes.com/a", article_id=1,
                                     headline="Turkey and Syria agree to restore ties",
                                     language="en"))
    detect.process_item(item)
    assert context._matchers is not None
    assert [v.topic for v in item.verdicts] == ["syria-turkey"]
    assert item.verdicts[0].matched


def test_topic_headers_agree_with_the_compiled_topics(tmp_path: Path) -> None:
    """Headers read without compiling name the same topics and rule versions as the rules'
    own loader (the canaries' 'checked with these rules' stamp depends on it)."""
    context = two_site_context(tmp_path)
    headers = context.topic_headers
    compiled = [(m.topic.id, m.topic.name, m.topic.rule_version) for m in context.matchers]
    assert [(h.id, h.name, h.rule_version) for h in headers] == compiled
