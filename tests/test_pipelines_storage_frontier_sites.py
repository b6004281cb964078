"""The crawl frontier per site: two sites sharing article keys never see each other's rows
(discovery, pending, failures, soft 404s, validators, backfills, runs)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.storage import DEFAULT_SITE, Store
from pipelines.storage.articles import Candidate, FrontierPolicy
from pipelines.storage.backfills import Backfill
from pipelines.storage.sources import SourceState

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
POLICY = FrontierPolicy(max_failures=4)
RU = "moscowtimes-ru"
URL_SITE = "generic-news"


def test_one_key_on_two_sites_is_two_articles(store: Store) -> None:
    english = [Candidate(500, "https://www.example/a500")]
    russian = [Candidate(500, "https://ru.example/a500", site=RU)]
    assert store.discover_articles(english, source="feed", now=T0, policy=POLICY) == {500: "new"}
    assert store.discover_articles(russian, source="feed", now=T0, policy=POLICY,
                                   site=RU) == {500: "new"}
    # a candidate that names no site is the site the call names
    assert store.discover_keys([Candidate(500, "https://ru.example/a500")], source="feed",
                               now=T0, policy=POLICY, site=RU) == {"500": "retry"}
    [en] = store.pending_articles(now=T0, max_failures=4)
    [ru] = store.pending_articles(now=T0, max_failures=4, site=RU)
    assert (en.site, en.key, en.article_id, en.url) == (DEFAULT_SITE, "500", 500,
                                                       "https://www.example/a500")
    assert (ru.site, ru.key, ru.article_id, ru.url) == (RU, "500", 500, "https://ru.example/a500")
    assert store.article_failed(500, state="discovered", error="503", now=T0, site=RU) == 1
    assert store.article_failed(500, state="discovered", error="503", now=T0, site=RU) == 2
    assert store.article_failed(500, state="discovered", error="503", now=T0) == 1
    english_row = store.find_article("500")
    russian_row = store.find_article("500", site=RU)
    assert english_row is not None
    assert russian_row is not None
    assert english_row.article_id == 500  # the default site keeps its own numeric IDs
    assert russian_row.article_id > 500
    assert store.count_articles(site=RU) == 1
    assert store.crawl_progress(since=T0, max_failures=4, site=RU) == (0, 1)
    assert store.crawl_progress(since=T0, max_failures=4, site=None) == (0, 2)


def test_a_site_without_numeric_ids_keys_its_articles_by_url(store: Store) -> None:
    urls = ["https://news.example/politics/talks", "https://news.example/politics/visit"]
    found = [Candidate(0, url, site=URL_SITE, key=url) for url in urls]
    decided = store.discover_keys(found, source="sitemap", now=T0, policy=POLICY, site=URL_SITE)
    assert decided == dict.fromkeys(urls, "new")
    pending = store.pending_articles(now=T0, max_failures=4, site=URL_SITE)
    assert sorted((p.key, p.article_id) for p in pending) == [(u, 0) for u in urls]
    assert len({store.find_article(u, site=URL_SITE).article_id for u in urls}) == 2  # type: ignore[union-attr]
    assert store.record_soft_404(0, urls[0], now=T0, site=URL_SITE, key=urls[0]) == 1
    assert store.find_article(urls[0], site=URL_SITE) is None  # never fetched: forgotten
    again = store.discover_keys(found, source="sitemap", now=T0 + timedelta(hours=1),
                                policy=POLICY, site=URL_SITE)
    assert again == {urls[0]: "soft404", urls[1]: "retry"}


def test_soft_404s_of_two_sites_are_counted_apart(store: Store) -> None:
    assert store.record_soft_404(700, "https://www.example/a700", now=T0) == 1
    assert store.record_soft_404(700, "https://ru.example/a700", now=T0, site=RU) == 1
    assert store.record_soft_404(700, "https://ru.example/a700", now=T0, site=RU) == 2
    later = T0 + timedelta(hours=1)
    en = store.discover_articles([Candidate(700, "https://www.example/a700")], source="feed",
                                 now=later, policy=POLICY)
    assert en == {700: "soft404"}


def test_sources_and_backfills_belong_to_their_site(store: Store) -> None:
    store.save_source(SourceState("https://ru.example/rss", "feed", T0, T0, etag="e1"), site=RU)
    store.save_source(SourceState("https://www.example/rss", "feed", T0, T0))
    assert set(store.discovery_sources()) == {"https://www.example/rss"}
    assert set(store.discovery_sources(site=RU)) == {"https://ru.example/rss"}
    store.save_backfill(Backfill.start("since", date(2025, 1, 1), "r", today=date(2025, 3, 1),
                                       now=T0, site=RU))
    store.save_backfill(Backfill.start("since", date(2024, 12, 1), "r", today=date(2025, 3, 1),
                                       now=T0))
    assert [b.since for b in store.unfinished_backfills()] == [date(2024, 12, 1)]
    assert [b.site for b in store.unfinished_backfills(site=RU)] == [RU]
    assert len(store.recent_backfills()) == 2


@pytest.mark.parametrize("sites", [(DEFAULT_SITE,), (DEFAULT_SITE, RU)])
def test_a_run_lists_the_sites_it_crawled(store: Store, sites: tuple[str, ...]) -> None:
    run = store.start_run(trigger="manual", now=T0, sites=sites)
    slot = store.record_slot(trigger="schedule", now=T0, status="skipped", reason="lock")
    assert store.run_sites([run, slot]) == {run: sorted(sites), slot: [DEFAULT_SITE]}
    last = store.last_run_of(RU)
    assert (last.id if last else None) == (run if RU in sites else None)
