"""The reading plan: which monthly sitemaps a run reads, feed overflow, the backfill start."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crawler.pages.discovery import FeedEntry, MonthlySitemap
from crawler.sites.moscowtimes.urls import ArticleRef
from crawler.spiders.plan import MARGIN, DiscoveryPlan, month_range
from pipelines.storage.sources import SourceState

FEED = "https://x.test/rss/news"
T = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


def months(*pairs: tuple[int, int], lastmod: str = "") -> list[MonthlySitemap]:
    found = [MonthlySitemap(y, m, f"https://x.test/sitemap/{y}-{m}.xml", lastmod)
             for y, m in pairs]
    return sorted(found, reverse=True)


def entry(published: datetime, article_id: int = 1) -> FeedEntry:
    return FeedEntry(ArticleRef(f"https://x.test/a{article_id}", article_id, published.date()),
                     published)


INDEX = months((2026, 6), (2026, 5), (2026, 4), (2026, 3))


def test_first_run_reads_the_newest_months_only() -> None:
    plan = DiscoveryPlan(since=None, sitemap_months=1)
    assert [m.month for m in plan.months_to_read(INDEX, {})] == [6]


def test_later_runs_read_every_month_since_the_newest_item_seen() -> None:
    plan = DiscoveryPlan(since=None, sitemap_months=1, marks={FEED: T})
    assert [m.month for m in plan.months_to_read(INDEX, {})] == [6]
    boundary = DiscoveryPlan(since=None, sitemap_months=1,
                             marks={FEED: datetime(2026, 5, 31, 23, tzinfo=UTC)})
    assert [m.month for m in boundary.months_to_read(INDEX, {})] == [6, 5]


def test_since_reads_every_month_from_there() -> None:
    plan = DiscoveryPlan(since=date(2026, 4, 15), sitemap_months=1)
    assert [m.month for m in plan.months_to_read(INDEX, {})] == [6, 5, 4]
    assert plan.keeps(date(2026, 4, 15))
    assert not plan.keeps(date(2026, 4, 14))
    assert plan.keeps(None)  # a legacy link: its day is only known after the redirect


def test_a_month_whose_lastmod_moved_is_read_again() -> None:
    url = "https://x.test/sitemap/2026-3.xml"
    seen = {url: SourceState(url=url, kind="sitemap", checked_at=T, changed_at=T, lastmod="a")}
    plan = DiscoveryPlan(since=None, sitemap_months=1)
    index = [*INDEX[:3], MonthlySitemap(2026, 3, url, "b")]
    assert [m.month for m in plan.months_to_read(index, seen)] == [6, 3]
    same = [*INDEX[:3], MonthlySitemap(2026, 3, url, "a")]
    assert [m.month for m in plan.months_to_read(same, seen)] == [6]


def test_an_overflowing_feed_starts_a_backfill() -> None:
    before = T - timedelta(days=10)
    plan = DiscoveryPlan(since=None, sitemap_months=1, marks={FEED: before})
    window = [entry(T - timedelta(hours=h), h) for h in range(50)]  # only the last 2 days
    assert plan.read_feed(FEED, window) == T
    assert plan.backfilling
    assert plan.backfill_from == before - MARGIN
    assert "oldest item" in plan.reasons[0]
    assert [m.month for m in plan.months_to_read(INDEX, {})] == [6]
    assert plan.listing_continues(date(2026, 6, 10))
    assert not plan.listing_continues((before - 2 * MARGIN).date())


def test_a_feed_that_still_reaches_back_is_no_overflow() -> None:
    plan = DiscoveryPlan(since=None, sitemap_months=1, marks={FEED: T - timedelta(hours=5)})
    window = [entry(T - timedelta(hours=h), h) for h in range(50)]
    plan.read_feed(FEED, window)
    assert not plan.backfilling
    assert not plan.listing_continues(date(2026, 6, 1))


def test_a_long_outage_reads_all_months_since() -> None:
    plan = DiscoveryPlan(since=None, sitemap_months=1,
                         marks={FEED: datetime(2026, 3, 20, tzinfo=UTC)})
    plan.read_feed(FEED, [entry(T - timedelta(hours=h), h) for h in range(50)])
    assert [m.month for m in plan.months_to_read(INDEX, {})] == [6, 5, 4, 3]


def test_guessed_months_when_the_index_is_unreadable() -> None:
    assert month_range(date(2025, 11, 30), date(2026, 2, 1)) == [
        (2026, 2), (2026, 1), (2025, 12), (2025, 11)]
    assert DiscoveryPlan(since=None, sitemap_months=2).guessed_months(date(2026, 1, 5)) == [
        (2026, 1), (2025, 12)]
    plan = DiscoveryPlan(since=date(2025, 12, 3), sitemap_months=1)
    assert plan.guessed_months(date(2026, 1, 5)) == [(2026, 1), (2025, 12)]
