"""The store's crawl frontier: discovered rows, decisions, retries, soft 404s, source validators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipelines.storage import ArticleRecord, Store
from pipelines.storage.articles import Candidate, FrontierPolicy, retry_delay
from pipelines.storage.sources import SourceState, soft_404_recheck

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
POLICY = FrontierPolicy(max_failures=4)


def cand(article_id: int, hint: datetime | None = None) -> Candidate:
    return Candidate(article_id, f"https://x.test/2025/03/01/s-a{article_id}", hint)


def evaluated(article_id: int, fetched_at: datetime) -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id, url=cand(article_id).url, headline="H", subtitle="", authors=[],
        published=None, modified=None, section="", tags=[], language="en", html_sha256="h",
        text="t", extraction="ok", fetched_at=fetched_at)


def test_new_articles_get_a_discovered_row_before_any_fetch(store: Store) -> None:
    decisions = store.discover_articles([cand(1), cand(2), cand(1)], source="feed", now=T0,
                                        policy=POLICY)
    assert decisions == {1: "new", 2: "new"}
    row = store.get_article(1)
    assert row is not None
    assert (row.state, row.headline) == ("discovered", "")
    # the crash-safe queue: discovered but never evaluated
    assert [p.article_id for p in store.pending_articles(now=T0, max_failures=4)] == [2, 1]
    assert {p.source for p in store.pending_articles(now=T0, max_failures=4)} == {"feed"}


def test_evaluated_articles_are_known_unless_the_site_says_they_changed(store: Store) -> None:
    store.discover_articles([cand(5)], source="sitemap", now=T0, policy=POLICY)
    assert store.upsert_article(evaluated(5, T0)) == "inserted"
    later = T0 + timedelta(hours=1)
    assert store.discover_articles([cand(5, T0 - timedelta(days=1))], source="feed", now=later,
                                   policy=POLICY) == {5: "known"}
    assert store.discover_articles([cand(5, later)], source="feed", now=later,
                                   policy=POLICY) == {5: "changed"}
    refresh = FrontierPolicy(max_failures=4, refresh=True)
    assert store.discover_articles([cand(5)], source="feed", now=later,
                                   policy=refresh) == {5: "refresh"}
    assert store.pending_articles(now=later, max_failures=4) == []


def test_failures_back_off_then_give_up(store: Store) -> None:
    store.discover_articles([cand(7)], source="feed", now=T0, policy=POLICY)
    now = T0
    for attempt in range(1, 5):
        assert store.article_failed(7, state="discovered", error="timeout", now=now) == attempt
        now += retry_delay(attempt)
        decision = store.discover_articles([cand(7)], source="feed", now=now, policy=POLICY)
        assert decision == {7: "retry" if attempt < 4 else "gave_up"}
    row = store.get_article(7)
    assert row is not None
    assert row.state == "discovered"
    assert store.pending_articles(now=now, max_failures=4) == []


def test_retry_after_is_honoured_across_runs(store: Store) -> None:
    store.discover_articles([cand(8)], source="feed", now=T0, policy=POLICY)
    store.article_failed(8, state="discovered", error="429 Retry-After 3600", now=T0,
                         retry_after=timedelta(hours=1))
    soon = T0 + timedelta(minutes=5)
    assert store.discover_articles([cand(8)], source="feed", now=soon, policy=POLICY) == {
        8: "backoff"}
    assert store.pending_articles(now=soon, max_failures=4) == []
    late = T0 + timedelta(hours=1, seconds=1)
    assert [p.article_id for p in store.pending_articles(now=late, max_failures=4)] == [8]


def test_success_clears_the_error_and_the_retry_time(store: Store) -> None:
    store.discover_articles([cand(9)], source="listing", now=T0, policy=POLICY)
    store.article_failed(9, state="fetched", error="http_503", now=T0,
                         retry_after=timedelta(seconds=30))
    assert store.upsert_article(evaluated(9, T0 + timedelta(minutes=1))) == "inserted"
    assert store.discover_articles([cand(9)], source="feed", now=T0 + timedelta(minutes=2),
                                   policy=POLICY) == {9: "known"}
    # a failed re-fetch keeps the evaluated content
    store.article_failed(9, state="discovered", error="timeout", now=T0)
    row = store.get_article(9)
    assert row is not None
    assert (row.state, row.text) == ("evaluated", "t")


def test_soft_404s_are_recorded_not_stored_and_rechecked_later(store: Store) -> None:
    store.discover_articles([cand(11)], source="feed", now=T0, policy=POLICY)
    assert store.record_soft_404(11, cand(11).url, now=T0) == 1
    assert store.get_article(11) is None
    assert store.count_articles() == 0
    assert store.discover_articles([cand(11)], source="feed", now=T0 + timedelta(hours=1),
                                   policy=POLICY) == {11: "soft404"}
    due = T0 + soft_404_recheck(1)
    assert store.discover_articles([cand(11)], source="feed", now=due, policy=POLICY) == {
        11: "new"}
    assert store.record_soft_404(11, cand(11).url, now=due) == 2
    assert soft_404_recheck(2) == 2 * soft_404_recheck(1)
    assert soft_404_recheck(50) == timedelta(days=7)


def test_source_validators_round_trip(store: Store) -> None:
    state = SourceState(url="https://x.test/rss/news", kind="feed", checked_at=T0,
                        changed_at=T0, etag='"abc"', last_modified="Sat, 01 Mar 2025 12:00:00 GMT",
                        newest_item=T0 - timedelta(hours=2))
    store.save_source(state)
    assert store.discovery_sources() == {state.url: state}
    moved = SourceState(url=state.url, kind="feed", checked_at=T0 + timedelta(hours=1),
                        changed_at=T0, etag='"def"', body="<rss/>")
    store.save_source(moved)
    assert store.discovery_sources()[state.url] == moved


def test_progress_counts_this_runs_work(store: Store) -> None:
    store.discover_articles([cand(1), cand(2), cand(3)], source="sitemap", now=T0, policy=POLICY)
    store.upsert_article(evaluated(1, T0 + timedelta(seconds=5)))
    assert store.crawl_progress(since=T0, max_failures=4) == (1, 2)


def test_retry_delay_is_bounded() -> None:
    assert retry_delay(1) == retry_delay(2) == timedelta(0)
    assert retry_delay(3) == timedelta(minutes=15)
    assert retry_delay(1000) == timedelta(days=1)
