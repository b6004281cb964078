"""The run verdict: a failed run never looks like a quiet day."""

from __future__ import annotations

from crawler.health import judge

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
