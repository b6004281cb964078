"""Per-source health in the store: each discovery document's last poll, its consecutive
failures, its last error (bounded), its recent polls' 304 share; documents read before polls
were recorded still listed, their last status told by their validators."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pipelines.storage import Store
from pipelines.storage.sources import ERROR_CHARS, RECENT_POLLS, SourceState

T0 = datetime(2026, 6, 1, tzinfo=UTC)
FEED = "https://blog.example/feed.xml"


def poll(store: Store, status: str, n: int, error: str | None = None, **kw: bool) -> int:
    return store.record_poll(FEED, site="blog", kind="feed", status=status, error=error,
                             now=T0 + timedelta(hours=n), **kw)


def test_a_feed_that_fails_twice_after_two_unchanged_polls(store: Store) -> None:
    for n, status in enumerate(("200", "304", "304")):
        assert poll(store, status, n) == 0
    assert poll(store, "error", 3, "http_503: Service Unavailable") == 1
    assert poll(store, "error", 4, "timeout: " + "x" * 2000) == 2
    [feed] = store.source_health(site="blog")
    assert (feed.site, feed.kind, feed.url) == ("blog", "feed", FEED)
    assert feed.status == "error"
    assert feed.polled_at == T0 + timedelta(hours=4)
    assert feed.failures == 2
    assert feed.error is not None
    assert feed.error.startswith("timeout: xxx")
    assert len(feed.error) == ERROR_CHARS
    assert feed.recent == ["200", "304", "304", "error", "error"]
    assert feed.unchanged_share == 2 / 5
    assert poll(store, "200", 5) == 0  # it answers again: the streak ends, the error stays
    [feed] = store.source_health()
    assert (feed.status, feed.failures, feed.error_at) == ("200", 0, T0 + timedelta(hours=4))


def test_recent_polls_are_bounded_and_a_second_verdict_replaces_the_first(
        store: Store) -> None:
    for n in range(RECENT_POLLS + 5):
        poll(store, "304", n)
    assert poll(store, "error", 99, "no monthly sitemaps listed", again=True) == 1
    [feed] = store.source_health()
    assert len(feed.recent) == RECENT_POLLS
    assert feed.recent[-2:] == ["304", "error"]
    assert feed.unchanged == RECENT_POLLS - 1
    assert store.source_health(site="moscowtimes") == []


def test_documents_read_before_polls_were_recorded_are_listed(store: Store) -> None:
    store.save_source(SourceState(url="https://x.example/sitemap.xml", kind="sitemap_index",
                                  checked_at=T0 + timedelta(hours=1), changed_at=T0,
                                  etag='"v1"'), site="other")
    store.save_source(SourceState(url=FEED, kind="feed", checked_at=T0, changed_at=T0),
                      site="blog")
    poll(store, "error", 1, "dns: no such host")
    feed, index = store.source_health()
    assert (index.site, index.status, index.polled_at) == ("other", "304", T0 + timedelta(hours=1))
    assert index.validators == ("ETag",)
    assert index.recent == []
    assert index.unchanged_share is None
    assert (feed.status, feed.checked_at, feed.failures) == ("error", T0, 1)


def test_a_documents_polling_schedule_is_kept_beside_its_poll(store: Store) -> None:
    assert store.poll_schedules(site="blog") == {}
    poll(store, "304", 0)
    due = T0 + timedelta(hours=2)
    schedule = {"interval": 7200.0, "next_poll_at": due.timestamp(), "failures": 0.0,
                "last_success_at": T0.timestamp(), "last_new_items_at": None,
                "created_at": T0.timestamp()}
    store.save_poll_schedule(FEED, schedule, due)
    assert store.poll_schedules(site="blog") == {FEED: schedule}
    assert store.poll_schedules(site="other") == {}
    poll(store, "200", 1)  # a later poll record keeps the schedule
    [feed] = store.source_health()
    assert (feed.interval, feed.next_poll_at) == (7200.0, due)


def _checked(store: Store, state: SourceState) -> None:
    with store.together("source_unchanged"):
        poll(store, "304", 1)
        store.source_checked(replace(state, checked_at=T0 + timedelta(hours=1),
                                     lastmod="2026-06-01"), site="blog")


def test_a_304_updates_its_check_and_keeps_the_stored_copy(store: Store) -> None:
    state = SourceState(url=FEED, kind="feed", checked_at=T0, changed_at=T0, etag='"v1"',
                        body="<rss/>", site="blog")
    store.save_source(state)
    _checked(store, replace(state, body=None, etag=None))  # a stale copy in hand: not written
    [kept] = store.discovery_sources(site="blog").values()
    assert kept == replace(state, checked_at=T0 + timedelta(hours=1), lastmod="2026-06-01")
    assert store.discovery_source(FEED, site="blog") == kept
    assert store.discovery_source(FEED) is None  # another site's document
    [feed] = store.source_health(site="blog")
    assert (feed.status, feed.recent) == ("304", ["304"])


def test_a_304_whose_row_is_gone_writes_it_whole(store: Store) -> None:
    state = SourceState(url=FEED, kind="feed", checked_at=T0, changed_at=T0, etag='"v1"',
                        body="<rss/>", site="blog")
    _checked(store, state)
    assert store.discovery_sources(site="blog") == {
        FEED: replace(state, checked_at=T0 + timedelta(hours=1), lastmod="2026-06-01")}


def test_writes_made_together_are_committed_together_or_not_at_all(store: Store) -> None:
    state = SourceState(url=FEED, kind="feed", checked_at=T0, changed_at=T0, site="blog")
    try:
        with store.together("source_unchanged"):
            poll(store, "304", 1)
            with store.together("nested"):  # the outer block's transaction
                store.save_source(state)
            assert store.discovery_source(FEED, site="blog") == state  # seen inside
            raise RuntimeError("the crawl failed here")
    except RuntimeError:
        pass
    assert store.discovery_sources(site="blog") == {}
    assert store.source_health(site="blog") == []
    with store.together("source_unchanged"):
        poll(store, "304", 1)
        store.save_source(state)
    assert store.discovery_source(FEED, site="blog") == state
    [feed] = store.source_health(site="blog")
    assert feed.recent == ["304"]
