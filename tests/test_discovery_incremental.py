"""Incremental crawling on the replica: idle runs cost 304s, outages backfill, failures retry."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.replica import FaultPlan, Replica
from tests.replica.harness import (
    article_id,
    article_paths,
    evaluated_ids,
    matched_ids,
    mtwatch_run,
    query,
)

pytestmark = pytest.mark.e2e
FEEDS = ("/rss/news", "/rss/opinion", "/rss/all")


def test_idle_run_revalidates_with_304s_and_fetches_no_article(tmp_path: Path) -> None:
    """Three real runs on one store (a first crawl, an idle one, one after five new articles),
    each paying a crawl child's start-up: 30-50 s here."""
    with Replica(articles=300, seed=11) as r:
        ghost = urlsplit(r.truth["soft404_urls"][0]).path
        publisher = r.publisher(hold=5)
        first = mtwatch_run(tmp_path, r.base_url)
        assert first.returncode == 0, first.stderr
        assert first.counts["evaluated"] > 0
        r.access_log.clear()
        idle = mtwatch_run(tmp_path, r.base_url)
        assert idle.returncode == 0, idle.stderr
        requests = r.access_log.snapshot()
        current_month = f"/sitemap/{r.site.now.year}-{r.site.now.month}.xml"
        # then five new articles: exactly those are fetched, nothing old again
        batch = publisher.publish(5)
        r.access_log.clear()
        fresh = mtwatch_run(tmp_path, r.base_url)
        fetched = [article_id(p) for p in article_paths(r.access_log.snapshot())]
    # idle: one conditional GET per feed, the index and the current month; all 304
    assert article_paths(requests) == []
    assert sorted(rec.path for rec in requests) == sorted(
        [*FEEDS, "/sitemap/sitemap.xml", current_month])
    assert len(requests) <= len(FEEDS) + 2
    assert {rec.status for rec in requests} == {304}
    assert idle.status == "ok"
    assert idle.counts["fetched"] == 0
    assert idle.counts["documents/feed/unchanged"] == 3
    # new articles: only they are fetched, each once, without a backfill
    assert fresh.returncode == 0, fresh.stderr
    ghost_id = article_id(ghost)
    assert set(fetched) - {ghost_id} == {a.id for a in batch}
    assert len(fetched) == len(set(fetched))
    assert not fresh.counts.get("backfill")
    # the feeds list an unpublished article: one soft 404, recorded, not stored as an article
    assert first.counts["soft 404"] + fresh.counts["soft 404"] == 1
    assert query(tmp_path, "SELECT hits FROM soft_404s WHERE article_id = ?", ghost_id) == [(1,)]
    assert query(tmp_path, "SELECT 1 FROM articles WHERE article_id = ?", ghost_id) == []


def test_outage_longer_than_the_feed_window_loses_nothing(tmp_path: Path) -> None:
    """Two real runs, the second a backfill of 300 articles published in between (more than
    the feeds show, by design): 40-70 s here."""
    with Replica(articles=600, seed=12) as r:
        publisher = r.publisher(hold=300)
        before = mtwatch_run(tmp_path, r.base_url)
        assert before.returncode == 0, before.stderr
        assert not before.counts.get("backfill")
        published = publisher.publish(300)  # while mtwatch is not running
        assert len(published) >= 300
        after = mtwatch_run(tmp_path, r.base_url)
        assert after.returncode == 0, after.stderr
        truth = r.truth
    new_ids = {a.id for a in published if not a.ghost}
    lost = new_ids - evaluated_ids(tmp_path)
    assert not lost, f"{len(lost)} of {len(new_ids)} new articles never evaluated"
    assert after.counts["backfill"] == 1
    positives = set(truth["positives"]) & new_ids
    assert positives <= matched_ids(tmp_path)
    # each new article fetched once; the backfill read sitemaps and listings, not old articles
    assert after.counts["fetched"] <= len(new_ids) + 5


def test_failures_are_retried_later_and_retry_after_is_honoured(tmp_path: Path) -> None:
    with Replica(articles=60, seed=14) as r:
        victims = [urlsplit(a["url"]).path for a in r.truth["articles"][-6:-2]]
        short, long = (urlsplit(a["url"]).path for a in r.truth["articles"][5:7])
        r.faults = FaultPlan([
            # three attempts fail (one run's retries); the next run's succeed
            {"path": victims, "fault": "status", "status": 503, "times": 3},
            {"path": short, "fault": "status", "status": 429, "times": 1,
             "headers": {"Retry-After": "2"}},
            {"path": long, "fault": "status", "status": 503, "times": 1,
             "headers": {"Retry-After": "3600"}}])
        r.stop()
        r.start()
        first = mtwatch_run(tmp_path, r.base_url, "--since", "2023-01-01")
        hits = [rec for rec in r.access_log.snapshot() if rec.path == short]
        assert first.status == "degraded"
        assert first.counts["failed/http_503"] == len(victims)
        assert first.counts["failed/retry_after"] == 1
        rows = query(tmp_path, "SELECT article_id, state, failures, last_error FROM articles "
                               "WHERE state != 'evaluated'")
        states = {row[0]: row[1:] for row in rows}
        assert {article_id(v) for v in victims} | {article_id(long)} == set(states)
        assert all(states[article_id(v)][:2] == ("discovered", 1) for v in victims)
        assert all(states[article_id(v)][2].startswith("http_503") for v in victims)
        r.access_log.clear()
        second = mtwatch_run(tmp_path, r.base_url)
        asked_again = [p for p in r.access_log.paths() if p == long]
    # a 429 with Retry-After: 2 is asked again in the same run, and not before
    assert [rec.status for rec in hits] == [429, 200]
    assert hits[1].started >= hits[0].time + 2
    assert article_id(short) in evaluated_ids(tmp_path)
    # the next run fetches the failed ones, found through the store's queue
    assert second.status == "ok", second.summary
    assert second.counts["new/retry"] == len(victims)
    assert second.counts["evaluated/retry"] == len(victims)
    assert {article_id(v) for v in victims} <= evaluated_ids(tmp_path)
    # ... but not the one whose Retry-After (1 h) has not passed
    assert asked_again == []
    assert query(tmp_path, "SELECT retry_at IS NOT NULL FROM articles WHERE article_id = ?",
                 article_id(long)) == [(1,)]


def test_refresh_and_backfill_days(tmp_path: Path) -> None:
    """A backfill and a refresh of every article back to the replica's first day (every
    monthly sitemap since), then a usage error: three real runs, 30-45 s here."""
    with Replica(articles=15, seed=16) as r:
        days = (datetime.now(UTC).date() - r.site.articles[-1].published.date()).days + 1
        full = mtwatch_run(tmp_path, r.base_url, "--backfill-days", str(days))
        assert full.returncode == 0, full.stderr
        assert evaluated_ids(tmp_path) == {a["id"] for a in r.truth["articles"]}
        refresh = mtwatch_run(tmp_path, r.base_url, "--backfill-days", str(days), "--refresh")
        assert refresh.counts["fetched"] == full.counts["fetched"]
        assert refresh.counts["stored updated"] + refresh.counts["stored new"] == 0
        both = mtwatch_run(tmp_path, r.base_url, "--since", "2023-01-01", "--backfill-days", "3")
    assert both.returncode == 2
    assert "either --since or --backfill-days" in both.stderr
    assert "Traceback" not in both.stderr
