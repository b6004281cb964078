"""The worker's pieces without processes: the lease and politeness middlewares (fakes and
``get_crawler``), the worker spider's start documents and lease outcomes, the runtime's
heartbeat, and the leader's pure core."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.cluster.keys import ARTICLE_ID
from crawler.cluster.leader import SitePlan, plan_round
from crawler.cluster.middlewares import (
    SLOT,
    ClusterPolitenessMiddleware,
    LeaseMiddleware,
    LeaseTaken,
)
from crawler.cluster.politeness import HostSlots
from crawler.cluster.runtime import LEASE, RUNTIME_SETTING, WorkerRuntime, register_runtime
from crawler.cluster.serializer import data_for
from crawler.cluster.settings import cluster_settings
from crawler.cluster.spider import WorkerSpider
from crawler.config import load_config
from crawler.context import CONTEXT_SETTING, CrawlContext, register
from crawler.middlewares import VALIDATORS
from crawler.sites.moscowtimes.urls import SiteUrls
from crawler.spiders.documents import KIND
from pipelines.storage.leases import Lease
from tests.helpers.redisdb import RedisForTest, redis_for_test

__all__ = ["redis_for_test"]

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=60)
SITE = "http://127.0.0.9:8000"
ARTICLE = f"{SITE}/2026/05/30/some-story-a91234"


class FakeLeases:
    """Leases in a dict: who holds what (the real ones are tested on SQLite and PostgreSQL)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str | None]] = {}
        self.extended: list[str] = []

    def claim(self, url: str, worker: str, now: datetime, ttl: timedelta) -> Lease | None:
        state, holder = self.rows.get(url, ("queued", None))
        if state == "done" or (state == "claimed" and holder != worker):
            return None
        if state == "claimed":
            return None
        self.rows[url] = ("claimed", worker)
        return Lease(url, "claimed", worker, now + ttl, 1)

    def complete(self, url: str, worker: str, now: datetime) -> bool:
        return self._finish(url, worker, "done")

    def release(self, url: str, worker: str, now: datetime) -> bool:
        return self._finish(url, worker, "queued")

    def _finish(self, url: str, worker: str, state: str) -> bool:
        if self.rows.get(url) != ("claimed", worker):
            return False
        self.rows[url] = (state, None)
        return True

    def extend_all(self, worker: str, now: datetime, ttl: timedelta) -> int:
        self.extended.append(worker)
        return sum(1 for _, holder in self.rows.values() if holder == worker)

    def enqueued(self, urls: Any, now: datetime, ttl: timedelta, *,
                 reopen: bool = False) -> list[str]:
        out = []
        for url in urls:
            state, _ = self.rows.get(url, ("new", None))
            if state == "new" or (reopen and state == "done"):
                self.rows[url] = ("queued", None)
                out.append(url)
        return out


class FakeRegistry:
    def __init__(self) -> None:
        self.beats: list[tuple[str, int, bool]] = []
        self.known = True

    def register(self, now: float) -> str:
        return "host:1:0"

    def register_as(self, worker_id: str, now: float, in_flight: int = 0) -> None:
        self.known = True

    def heartbeat(self, worker_id: str, now: float, in_flight: int, *, idle: bool) -> bool:
        self.beats.append((worker_id, in_flight, idle))
        return self.known

    def unregister(self, worker_id: str) -> None:
        self.known = False


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def runtime(leases: FakeLeases | None = None, registry: FakeRegistry | None = None,
            worker: str = "w1") -> WorkerRuntime:
    return WorkerRuntime(leases or FakeLeases(), registry, ttl=TTL,  # type: ignore[arg-type]
                         worker_id=worker, clock=lambda: T0)


# ---- LeaseMiddleware -----------------------------------------------------------------------


def test_an_article_is_claimed_before_its_fetch_and_a_document_is_not() -> None:
    leases = FakeLeases()
    mw = LeaseMiddleware(runtime(leases), Stats())
    feed = Request(f"{SITE}/rss/news")
    mw.process_request(feed)
    assert LEASE not in feed.meta
    request = Request(ARTICLE, meta={ARTICLE_ID: 91234})
    mw.process_request(request)
    assert request.meta[LEASE] == ARTICLE
    assert leases.rows[ARTICLE] == ("claimed", "w1")
    redirected = request.replace(url=f"{SITE}/news/some-story-91234")
    mw.process_request(redirected)  # the redirect fetches under the first URL's lease
    assert redirected.meta[LEASE] == ARTICLE
    assert f"{SITE}/news/some-story-91234" not in leases.rows


def test_a_url_another_worker_holds_or_done_is_dropped_quietly() -> None:
    leases = FakeLeases()
    leases.rows[ARTICLE] = ("claimed", "w2")
    stats = Stats()
    mw = LeaseMiddleware(runtime(leases), stats)
    with pytest.raises(LeaseTaken, match="another worker holds"):
        mw.process_request(Request(ARTICLE, meta={ARTICLE_ID: 91234}))
    leases.rows[ARTICLE] = ("done", None)
    with pytest.raises(LeaseTaken):
        mw.process_request(Request(ARTICLE, meta={ARTICLE_ID: 91234}))
    assert stats.values["mtwatch/cluster/lease_taken"] == 2


# ---- the runtime ---------------------------------------------------------------------------


def test_item_outcomes_complete_or_release_and_the_heartbeat_reports() -> None:
    leases, registry = FakeLeases(), FakeRegistry()
    rt = runtime(leases, registry)
    rt.register()
    rt.idle_checks.append(lambda: False)
    assert rt.claim(ARTICLE)
    item = object()
    rt.await_item(item, ARTICLE)
    assert rt.heartbeat() == 1
    assert registry.beats[-1] == ("host:1:0", 1, False)
    rt.item_done(item, stored=True)
    assert leases.rows[ARTICLE] == ("done", None)
    assert rt.in_flight == 0
    other = f"{SITE}/2026/05/30/other-a91235"
    assert rt.claim(other)
    rt.item_done(object(), stored=False)  # an item this worker never saw: nothing happens
    rt.release(other)
    assert leases.rows[other] == ("queued", None)
    registry.known = False  # dropped out of the registry: it appears again under its id
    rt.heartbeat()
    assert registry.known


def test_a_clean_stop_gives_back_every_lease() -> None:
    leases, registry = FakeLeases(), FakeRegistry()
    rt = runtime(leases, registry)
    rt.register()
    urls = [f"{SITE}/2026/05/30/s-a{n}" for n in range(3)]
    assert all(rt.claim(u) for u in urls)
    rt.stop()
    assert {leases.rows[u] for u in urls} == {("queued", None)}
    assert not registry.known


# ---- ClusterPolitenessMiddleware ---------------------------------------------------------


def test_a_request_takes_a_slot_and_its_response_gives_it_back(
        redis_for_test: RedisForTest) -> None:
    r = redis_for_test
    slots = HostSlots(r.client, default=1, ttl=30, prefix=f"{r.prefix}slots:")
    rt = runtime()
    mw = ClusterPolitenessMiddleware(slots, None, rt, Stats())
    first = Request(f"{SITE}/rss/news")
    done(mw.process_request(first))
    assert first.meta[SLOT][0] == "127.0.0.9"
    assert slots.held("127.0.0.9") == 1
    second = Request(f"{SITE}/sitemap/sitemap.xml")
    waiting = mw.process_request(second)
    assert waiting.send(None) is not None  # parked: the host's only slot is taken
    waiting.close()
    mw.refresh()  # the heartbeat pushes the expiry of the held slot
    assert mw.process_response(first, HtmlResponse(first.url, body=b"")) is not None
    assert slots.held("127.0.0.9") == 0
    assert SLOT not in first.meta
    done(mw.process_request(second))
    mw.process_exception(second, OSError("reset"))
    assert slots.held("127.0.0.9") == 0


def done(coroutine: Any) -> None:
    """Run a coroutine that must not wait."""
    with pytest.raises(StopIteration):
        coroutine.send(None)


def test_politeness_reads_each_hosts_limit_from_the_download_slots(
        redis_for_test: RedisForTest) -> None:
    r = redis_for_test
    rt = runtime()
    settings = Settings()
    register_runtime(rt, settings)
    crawler = get_crawler(settings_dict={
        **cluster_settings(r.url, key_prefix=r.prefix), RUNTIME_SETTING: settings[
            RUNTIME_SETTING], "MTWATCH_CLUSTER_PREFIX": r.prefix, "MTWATCH_SLOT_TTL": 9,
        "DOWNLOAD_SLOTS": {"a.test": {"delay": 0.5, "concurrency": 3},
                           "b.test": {"delay": 0.0, "concurrency": 1}}})
    mw = ClusterPolitenessMiddleware.from_crawler(crawler)
    assert (mw.slots.limit("a.test"), mw.slots.limit("b.test")) == (3, 1)
    assert mw.buckets is not None
    assert mw.buckets.rate_for("a.test").rate == 2.0
    assert mw.buckets.rate_for("b.test").rate > 1000  # no delay: no real limit on the rate
    assert mw.slots.key_for("a.test") == f"{r.prefix}slots:a.test"


# ---- the worker spider -------------------------------------------------------------------


@pytest.fixture
def worker_spider(tmp_path: Path, redis_for_test: RedisForTest) -> WorkerSpider:
    user = tmp_path / "site.toml"
    user.write_text(f'[sites.moscowtimes]\nurl = "{SITE}"\ncanaries = []\n', encoding="utf-8")
    config = load_config(user, env={"MTWATCH_DATA_DIR": str(tmp_path / "data"),
                                    "MTWATCH_DB_URL": f"sqlite:///{tmp_path / 'm.db'}"})
    settings = Settings()
    register(CrawlContext.from_config(config), settings)
    rt = runtime()
    register_runtime(rt, settings)
    crawler = get_crawler(WorkerSpider, {
        **cluster_settings(redis_for_test.url, key_prefix=redis_for_test.prefix),
        CONTEXT_SETTING: settings[CONTEXT_SETTING], RUNTIME_SETTING: settings[RUNTIME_SETTING]})
    spider = WorkerSpider.from_crawler(crawler, site="moscowtimes")
    crawler.spider = spider
    return spider


def test_start_documents_become_the_spiders_own_requests(worker_spider: WorkerSpider) -> None:
    spider = worker_spider
    assert spider.queue_name == "moscowtimes"
    assert spider.redis_key.endswith("moscowtimes:start")
    feed = f"{SITE}/rss/news?cat=guncel&x=1"
    [request] = spider.make_request_from_data(data_for(feed, meta={KIND: "feed"}))
    assert type(request) is Request  # never a FormRequest
    assert request.url == feed  # the query string is the leader's, untouched
    assert request.callback == spider.parse_feed
    assert request.meta[KIND] == "feed"
    assert request.meta.get(VALIDATORS) is None or isinstance(request.meta[VALIDATORS], list)
    json.loads(json.dumps(request.meta))  # crosses the Redis queue as JSON
    [art] = spider.make_request_from_data(data_for(ARTICLE, meta={ARTICLE_ID: 91234}))
    assert art.callback == spider.parse_article
    assert art.errback == spider.article_failed
    assert art.meta[ARTICLE_ID] == 91234


@pytest.mark.parametrize("data", [
    data_for("http://elsewhere.test/rss", meta={KIND: "feed"}),  # another site
    data_for(f"{SITE}/rss/news", meta={KIND: "listing"}),  # a kind the leader never sends
    data_for(f"{SITE}/rss/news", callback="_closed"),  # a private method
    b"\x80\x81 not json",
    json.dumps({"v": 1, "url": f"{SITE}/x", "formdata": {"a": "b"}}),
])
def test_bad_start_documents_are_refused(worker_spider: WorkerSpider, data: str | bytes) -> None:
    assert worker_spider.make_request_from_data(data) == []


# ---- the leader's core -------------------------------------------------------------------


def test_a_round_queues_each_sites_documents_and_gives_expired_urls_to_their_site() -> None:
    a, b = SiteUrls("http://127.0.0.2:8000"), SiteUrls("http://127.0.0.3:8000")
    sites = [SitePlan("a", a, ("/rss/news", "/rss/opinion"), "/sitemap/sitemap.xml"),
             SitePlan("b", b, ("/rss/news",), "")]
    expired = ["http://127.0.0.3:8000/2026/05/30/late-a777", "http://127.0.0.9:1/x-a1",
               "http://127.0.0.3:8000/2026/05/30/late-a777"]
    plan = plan_round(sites, {"a": [(5, "http://127.0.0.2:8000/2026/05/01/owed-a5")]}, expired)
    assert [(p.site, p.url) for p in plan.documents] == [
        ("a", "http://127.0.0.2:8000/rss/news"), ("a", "http://127.0.0.2:8000/rss/opinion"),
        ("a", "http://127.0.0.2:8000/sitemap/sitemap.xml"), ("b", "http://127.0.0.3:8000/rss/news")]
    assert json.loads(plan.documents[2].data)["meta"] == {KIND: "sitemap_index"}
    assert plan.articles == {"a": [(5, "http://127.0.0.2:8000/2026/05/01/owed-a5")],
                             "b": [(777, "http://127.0.0.3:8000/2026/05/30/late-a777")]}
    assert plan.orphans == ["http://127.0.0.9:1/x-a1"]
