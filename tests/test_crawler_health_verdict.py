"""The run verdict (crawler.health.verdict, on the funnel of crawler.health.funnel): a failed run
never looks like a quiet day."""

from __future__ import annotations

from crawler.health.verdict import judge

FEED_OK = {"mtwatch/sources/feed/ok": 3, "mtwatch/sources/sitemap_index/ok": 1}


def test_quiet_healthy_run_is_ok() -> None:
    verdict = judge({**FEED_OK, "mtwatch/discovered": 50, "mtwatch/skipped_known": 50},
                    "finished", [])
    assert (verdict.status, verdict.reason) == ("ok", "")
    assert verdict.counts["discovered"] == 50


def test_site_down_is_failed_with_the_first_error() -> None:
    verdict = judge({}, "finished", ["feed http://x/rss/news: Connection refused"])
    assert verdict.status == "failed"
    assert "site unreachable" in verdict.reason
    assert "Connection refused" in verdict.reason


def test_store_errors_fail_the_run() -> None:
    verdict = judge({**FEED_OK, "mtwatch/store_errors": 2}, "finished", [])
    assert verdict.status == "failed"
    assert verdict.reason.startswith("store")


def test_early_stop_fails_the_run() -> None:
    assert judge(FEED_OK, "shutdown", []).status == "failed"
    assert judge(FEED_OK, "memusage_exceeded", []).status == "failed"


def test_partial_failures_degrade() -> None:
    verdict = judge({**FEED_OK, "mtwatch/fetch_failed": 2, "mtwatch/alerts/failed": 1},
                    "finished", ["feed http://x/rss/opinion: 503"])
    assert verdict.status == "degraded"
    assert "2 article fetch(es) failed" in verdict.reason
    assert "1 alert(s) not delivered" in verdict.reason
    assert "1 feed/sitemap fetch(es) failed" in verdict.reason


def test_robots_server_error_degrades_instead_of_failing() -> None:
    stats = {"mtwatch/robots/unavailable": 503, "mtwatch/sources/feed/failed": 3}
    verdict = judge(stats, "finished", ["feed http://x/rss/news: robots.txt: ... HTTP 503"])
    assert verdict.status == "degraded"
    assert "robots.txt answered HTTP 503" in verdict.reason
    assert "disallow all" in verdict.reason


def test_feeds_up_but_no_article_fetchable_is_a_failed_run() -> None:
    stats = {**FEED_OK, "mtwatch/discovered": 5, "mtwatch/new": 5,
             "mtwatch/fetch_failed": 5, "mtwatch/fetch_failed/refused": 5}
    verdict = judge(stats, "finished", [])
    assert verdict.status == "failed"
    assert "no article page could be fetched (5 refused)" in verdict.reason
    deferred = {**FEED_OK, "mtwatch/new": 2, "mtwatch/fetch_failed": 2,
                "mtwatch/fetch_failed/retry_after": 2}
    assert judge(deferred, "finished", []).status == "degraded"
    one_bad_page = {**FEED_OK, "mtwatch/new": 1, "mtwatch/fetch_failed": 1,
                    "mtwatch/fetch_failed/http_404": 1}
    assert judge(one_bad_page, "finished", []).status == "degraded"


def test_funnel_per_source_failures_and_documents() -> None:
    stats = {**FEED_OK, "mtwatch/discovered": 7, "mtwatch/discovered/feed": 5,
             "mtwatch/discovered/sitemap": 4, "mtwatch/new": 2, "mtwatch/new/feed": 2,
             "mtwatch/fetched": 2, "mtwatch/fetched/feed": 2, "mtwatch/extracted": 2,
             "mtwatch/evaluated": 2, "mtwatch/evaluated/feed": 2, "mtwatch/matched/feed": 1,
             "mtwatch/fetch_failed/http_503": 3, "mtwatch/skipped/known": 5,
             "mtwatch/sources/feed/unchanged": 2, "mtwatch/backfill_from": "2026-06-01T00:00"}
    counts = judge(stats, "finished", []).counts
    assert counts["discovered/feed"] == 5
    assert counts["discovered/sitemap"] == 4
    assert counts["matched/feed"] == 1
    assert counts["failed/http_503"] == 3
    assert counts["skipped/known"] == 5
    assert counts["documents/feed/ok"] == 3
    assert counts["documents/feed/unchanged"] == 2
    assert counts["backfill"] == 1
    assert all(isinstance(v, int) for v in counts.values())


def test_coverage_counts_are_kept_for_the_monitors() -> None:
    from crawler.health.funnel import funnel

    counts = funnel({**FEED_OK, "mtwatch/fetched": 9, "mtwatch/fetch_failed": 1,
                     "mtwatch/first_seen": 4, "mtwatch/body_median": 1050,
                     "mtwatch/zone_missing": 2, "mtwatch/extraction/generic": 2,
                     "mtwatch/extraction/zone": 7, "mtwatch/sources/feed/empty": 1})
    assert counts["first seen"] == 4
    assert counts["median body chars"] == 1050
    assert counts["fetches/tried"] == 10
    assert counts["zone/missing"] == 2
    assert (counts["extraction/generic"], counts["extraction/zone"]) == (2, 7)
    assert counts["documents/feed/empty"] == 1


def test_a_tripped_monitor_degrades_an_ok_run_and_marks_it() -> None:
    from crawler.health.verdict import with_coverage

    ok = judge(FEED_OK, "finished", [])
    degraded = with_coverage(ok, ["layout changed? 5 of 5 …"], ["zone"])
    assert (degraded.status, degraded.reason) == ("degraded", "layout changed? 5 of 5 …")
    assert degraded.counts["tripped/zone"] == 1
    partial = judge({**FEED_OK, "mtwatch/fetch_failed": 2}, "finished", [])
    both = with_coverage(partial, ["bodies shrank: …"], ["body_length"])
    assert both.reason == "2 article fetch(es) failed (retried next run); bodies shrank: …"
    assert with_coverage(ok, [], []) == ok
