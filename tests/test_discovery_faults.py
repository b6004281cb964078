"""Reliability bar, section A (fetching): hostile and broken responses on the replica."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.launch import REPO
from tests.replica import CanaryServer, FaultPlan, Replica, TestCA
from tests.replica.canary import CANARY_BODY
from tests.replica.harness import (
    article_id,
    article_paths,
    crawl_log,
    dump,
    evaluated_ids,
    matched_ids,
    mtwatch_run,
    query,
)

pytestmark = pytest.mark.e2e
SINCE = ("--since", "2023-01-01")


def paths_of(replica: Replica, count: int, *, skip_positives: bool = False) -> list[str]:
    """``count`` article paths spread over the archive (optionally no planted positives)."""
    positives = set(replica.truth["positives"])
    pool = [a for a in replica.truth["articles"]
            if not (skip_positives and a["id"] in positives) and a["id"] != 81087]
    step = max(len(pool) // count, 1)
    return [urlsplit(a["url"]).path for a in pool[::step][:count]]


def all_ids(replica: Replica) -> set[int]:
    return {a["id"] for a in replica.truth["articles"]}


def restart_with(replica: Replica, plan: FaultPlan | None) -> None:
    """Serve the same site (same port) with another fault plan."""
    replica.stop()
    replica.faults = plan
    replica.start()


def bomb_run(tmp_path: Path, articles: int, size_mb: int) -> None:
    """A1: gzip bombs on 4 articles, the sitemap index and a feed."""
    with Replica(articles=articles, seed=21) as r:
        bombed = paths_of(r, 4)
        restart_with(r, FaultPlan([
            {"path": [*bombed, "/sitemap/sitemap.xml", "/rss/news"], "fault": "gzip_bomb",
             "size_mb": size_mb}]))
        crawl = mtwatch_run(tmp_path, r.base_url, *SINCE, measure_rss=True)
        truth = r.truth
    assert crawl.returncode == 0, crawl.stderr
    assert crawl.status == "degraded"
    assert 0 < crawl.peak_rss_mb < 400, crawl.peak_rss_mb
    assert crawl.counts["failed/maxsize"] == 4
    log = crawl_log(tmp_path)
    bombed_ids = {article_id(p) for p in bombed}
    for bomb in bombed_ids:
        assert f"article {bomb} failed (fetch_failed:maxsize)" in log
    assert "discovery failed: sitemap_index" in log
    assert evaluated_ids(tmp_path) == all_ids(r) - bombed_ids
    reachable = set(truth["positives"]) - bombed_ids
    assert reachable <= matched_ids(tmp_path)


def test_a1_decompression_bombs_are_dropped(tmp_path: Path) -> None:
    """A crawl of 80 articles in which six responses are 256 MiB gzip bombs, each read up to
    the 10 MiB cap: 30-45 s here."""
    bomb_run(tmp_path, articles=80, size_mb=256)  # 256 MiB: far beyond the 10 MiB cap


@pytest.mark.slow
def test_a1_decompression_bombs_full_replica(tmp_path: Path) -> None:
    bomb_run(tmp_path, articles=500, size_mb=1024)


def test_a2_a3_a4_hostile_responses(tmp_path: Path) -> None:
    """Size caps (A2), XML entity attacks (A3) and off-site redirects (A4) in one crawl."""
    secret = "CANARY-XXE-5d1c"
    canary_file = tmp_path / "canary.txt"
    canary_file.write_text(secret + CANARY_BODY.decode())
    with CanaryServer() as canary, Replica(articles=40, seed=24) as r:
        targets = [f"http://evil.test:{canary.port}/", f"{canary.url}/internal",
                   f"file://{canary_file}", "data:text/html,CANARY",
                   f"ftp://127.0.0.1:{canary.port}/"]
        huge, big, *victims = paths_of(r, len(targets) + 3, skip_positives=True)
        newest = f"/sitemap/{r.site.now.year}-{r.site.now.month}.xml"
        rules: list[dict[str, object]] = [
            {"path": huge, "fault": "huge", "size_mb": 50},
            {"path": big, "fault": "pad", "size_mb": 3},
            {"path": ["/sitemap/sitemap.xml", newest, "/rss/all", "/rss/news"], "fault": "xxe",
             "file": str(canary_file), "dtd": f"{canary.url}/x.dtd"},
            *({"path": v, "fault": "redirect", "location": t}
              for v, t in zip(victims[:-1], targets, strict=True)),
            {"path": victims[-1], "fault": "chain", "hops": 6},
            # the origin sets a cookie; it must never reach another origin
            {"path": "/rss/opinion", "fault": "headers",
             "headers": {"Set-Cookie": "session=origin-secret"}},
        ]
        restart_with(r, FaultPlan(rules))
        crawl = mtwatch_run(tmp_path, r.base_url, *SINCE)
        chain_hops = [p for p in r.access_log.paths() if p.startswith(victims[-1])]
    assert crawl.returncode == 0, crawl.stderr
    counts, log = crawl.counts, crawl_log(tmp_path)
    # A2: 50 MiB dropped at its Content-Length; 3 MiB warned about, then processed
    assert counts["failed/maxsize"] == 1
    assert "larger than download max size" in log
    assert "larger than download warn size" in log
    assert article_id(big) in evaluated_ids(tmp_path)
    # A3 + A4: nothing ever reached the canary (DTD, redirects), nothing of it was stored
    assert canary.connections == 0
    store = dump(tmp_path)
    assert secret not in store
    assert CANARY_BODY.decode() not in store
    assert secret not in log + crawl.stdout + crawl.stderr
    # A3: the documents' real entries were all crawled
    assert evaluated_ids(tmp_path) == all_ids(r) - {article_id(p) for p in [huge, *victims]}
    # A4: off-site and internal targets blocked, other schemes never requested, chain capped
    assert counts["failed/offsite"] == 2
    assert counts["failed/http_302"] == 3
    assert counts["failed/redirects"] == 1
    assert len(chain_hops) == 6  # the first request and 5 redirects, no more
    errors = dict(query(tmp_path, "SELECT article_id, last_error FROM articles "
                                  "WHERE state != 'evaluated'"))
    assert errors[article_id(victims[-1])].startswith("redirects")


def test_a5_robots_txt_disallow_is_obeyed(tmp_path: Path) -> None:
    with Replica(articles=40, seed=25) as r:
        robots = "User-agent: *\nDisallow: /2024/\n"
        restart_with(r, FaultPlan([{"path": "/robots.txt", "fault": "status", "status": 200,
                                    "body": robots, "content_type": "text/plain"}]))
        crawl = mtwatch_run(tmp_path, r.base_url, *SINCE)
        fetched = article_paths(r.access_log.snapshot())
    assert crawl.returncode == 0, crawl.stderr
    assert fetched
    assert not [p for p in fetched if p.startswith("/2024/")]
    in_2024 = {a["id"] for a in r.truth["articles"] if "/2024/" in a["url"]}
    assert in_2024
    assert not in_2024 & evaluated_ids(tmp_path)
    # blocked articles stay queued without a failure count
    assert query(tmp_path, "SELECT max(failures) FROM articles WHERE state != 'evaluated'") == [
        (0,)]


def test_a5_robots_txt_server_error_means_disallow_all(tmp_path: Path) -> None:
    with Replica(articles=40, seed=26) as r:
        restart_with(r, FaultPlan([{"path": "/robots.txt", "fault": "status", "status": 503}]))
        down = mtwatch_run(tmp_path, r.base_url, *SINCE)
        requested = {urlsplit(p).path for p in r.access_log.paths()}
        assert requested == {"/robots.txt"}  # after its retries, nothing else
        assert down.returncode == 0, down.stderr
        assert down.status == "degraded"
        assert "robots.txt answered HTTP 503" in down.summary["reason"]
        restart_with(r, None)
        back = mtwatch_run(tmp_path, r.base_url, *SINCE)
    assert back.status == "ok", back.summary
    assert evaluated_ids(tmp_path) == all_ids(r)


def test_a7_site_down_fails_loudly_then_catches_up(tmp_path: Path) -> None:
    r = Replica(articles=40, seed=27).start()
    base = r.base_url
    r.stop()  # connection refused on the same port
    try:
        down = mtwatch_run(tmp_path, base, *SINCE)
        assert down.returncode == 1
        assert down.status == "failed"
        assert "site unreachable" in down.summary["reason"]
        assert "run failed" in down.stderr
        r.start()
        assert r.base_url == base
        back = mtwatch_run(tmp_path, base, *SINCE)
    finally:
        r.stop()
    assert back.status == "ok", back.summary
    assert evaluated_ids(tmp_path) == all_ids(r)
    runs = query(tmp_path, "SELECT status, reason FROM runs ORDER BY id")
    assert [s for s, _ in runs] == ["failed", "ok"]
    assert "robots.txt" in runs[0][1] or "unreachable" in runs[0][1]


def test_a7_unknown_host_fails(tmp_path: Path) -> None:
    down = mtwatch_run(tmp_path, "http://mtwatch-test.invalid", *SINCE, timeout=120)
    assert down.returncode == 1
    assert down.status == "failed"
    assert "site unreachable" in down.summary["reason"]


def test_a10_self_signed_tls_fails_with_a_tls_error(tmp_path: Path) -> None:
    with Replica(articles=10, seed=28, tls=True) as r:
        down = mtwatch_run(tmp_path, r.base_url, *SINCE)
    assert down.returncode == 1
    assert down.status == "failed"
    log = crawl_log(tmp_path)
    assert "certificate verify failed" in log or "SSL" in log
    assert evaluated_ids(tmp_path) == set()


def test_a10_succeeds_with_the_test_ca_installed(tmp_path: Path) -> None:
    """The same HTTPS replica, its certificate issued by a CA that OpenSSL trusts (the
    documented way: SSL_CERT_FILE names the bundle), is crawled in full — verification stays on.
    Two crawls over TLS: 25-40 s here."""
    ca = TestCA()
    trusted = ca.openssl_env(tmp_path)
    for name in ("trusted", "untrusted"):
        (tmp_path / name).mkdir()
    with Replica(articles=10, seed=28, tls=ca) as r:
        assert r.base_url.startswith("https://")
        ok = mtwatch_run(tmp_path / "trusted", r.base_url, *SINCE, env=trusted)
        untrusted = mtwatch_run(tmp_path / "untrusted", r.base_url, *SINCE)
    assert ok.status == "ok", ok.summary
    assert evaluated_ids(tmp_path / "trusted") == all_ids(r)
    assert untrusted.status == "failed"  # the same server without the CA: still refused
    assert "certificate verify failed" in crawl_log(tmp_path / "untrusted")


def test_a10_the_trusted_ca_does_not_vouch_for_another_address(tmp_path: Path) -> None:
    """A certificate from the trusted CA, but issued for another address: refused."""
    ca = TestCA()
    trusted = ca.openssl_env(tmp_path)
    with Replica(articles=10, seed=28, tls=ca.server_context("127.0.0.9")) as r:
        down = mtwatch_run(tmp_path, r.base_url, *SINCE, env=trusted)
    assert down.status == "failed"
    assert evaluated_ids(tmp_path) == set()
    assert "IPAddressMismatch" in crawl_log(tmp_path)


def scrapy_setting(name: str) -> str:
    """``scrapy settings --get NAME`` from the repository root: the effective settings dump."""
    done = subprocess.run([sys.executable, "-m", "scrapy", "settings", "--get", name],
                          cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip()


_DUMP = """
import json
from scrapy.utils.project import get_project_settings
s = get_project_settings()
names = ("TELNETCONSOLE_ENABLED", "REMOTE_CONTROL_ENABLED", "DOWNLOAD_VERIFY_CERTIFICATES",
         "ROBOTSTXT_OBEY", "REDIRECT_MAX_TIMES", "CONCURRENT_REQUESTS_PER_DOMAIN",
         "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "DOWNLOAD_MAXSIZE", "DOWNLOAD_TIMEOUT")
print(json.dumps({n: s.get(n) for n in names}))
"""


def test_a10_settings_dump_disables_unused_handlers_and_consoles() -> None:
    handlers = scrapy_setting("DOWNLOAD_HANDLERS")
    for scheme in ("file", "data", "ftp", "s3"):
        assert f"'{scheme}': None" in handlers or f'"{scheme}": null' in handlers, handlers
    done = subprocess.run([sys.executable, "-c", _DUMP], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True,
                          env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"})
    values = json.loads(done.stdout)
    assert values["TELNETCONSOLE_ENABLED"] is False
    assert values["REMOTE_CONTROL_ENABLED"] is False
    assert values["DOWNLOAD_VERIFY_CERTIFICATES"] is True
    assert values["ROBOTSTXT_OBEY"] is True
    assert values["REDIRECT_MAX_TIMES"] == 5
    assert values["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 2
    assert values["DOWNLOAD_DELAY"] >= 1
    assert values["AUTOTHROTTLE_ENABLED"] is True
    assert 0 < values["DOWNLOAD_MAXSIZE"] <= 10 * 1024 * 1024
    assert values["DOWNLOAD_TIMEOUT"] <= 30


ARTICLE = r"^/\d{4}/\d{2}/\d{2}/"
TRANSIENT = [
    {"fault": "status", "status": 503},
    {"fault": "status", "status": 429, "headers": {"Retry-After": "120"}},
    {"fault": "drop"}, {"fault": "truncate"}, {"fault": "broken_chunked"},
    {"fault": "stall", "seconds": 40}, {"fault": "length_mismatch"},
]


@pytest.mark.slow
def test_a6_transient_faults_lose_nothing_within_three_runs(tmp_path: Path) -> None:
    config = "[crawl]\ndownload_delay = 0\nautothrottle = false\n" \
             "concurrent_requests_per_domain = 8\nrun_timeout = 1200\ndownload_timeout = 10\n"
    plan = FaultPlan([{"match": ARTICLE, "fault": "random", "probability": 0.3,
                       "choices": TRANSIENT}], seed=6)
    with Replica(articles=500, seed=30, faults=plan) as r:
        everything = all_ids(r)
        runs = []
        for _ in range(3):
            r.access_log.clear()
            runs.append(mtwatch_run(tmp_path, r.base_url, *SINCE, config=config, timeout=1500))
            log = r.access_log.snapshot()
            assert len(article_paths(log)) <= 2 * len(everything)
            _assert_retry_after_honoured(log)
            if evaluated_ids(tmp_path) == everything:
                break
        truth = r.truth
    # 0 lost matches; any article not evaluated yet is one the site asked us (Retry-After) not
    # to fetch before a time that has not come: still queued, never given up
    assert set(truth["positives"]) <= matched_ids(tmp_path), f"lost after {len(runs)} runs"
    waiting = query(tmp_path, "SELECT last_error, retry_at FROM articles "
                              "WHERE state != 'evaluated'")
    assert len(waiting) == len(everything - evaluated_ids(tmp_path))
    assert all(error.startswith("retry_after") and retry_at for error, retry_at in waiting), waiting
    # truncated 200s were failures, never parsed as short articles
    assert runs[0].counts.get("failed/data_loss", 0) > 0
    assert runs[0].status == "degraded"


def _assert_retry_after_honoured(log: list) -> None:  # type: ignore[type-arg]
    by_path: dict[str, list] = {}  # type: ignore[type-arg]
    for rec in sorted(log, key=lambda r: r.started):
        by_path.setdefault(rec.path.split("?")[0], []).append(rec)
    for records in by_path.values():
        for earlier, later in itertools.pairwise(records):
            if earlier.status == 429:
                assert later.started >= earlier.time + 119, (earlier, later)


@pytest.mark.slow
def test_a9_politeness_on_a_slow_site(tmp_path: Path) -> None:
    polite = "[crawl]\nrun_timeout = 900\n"  # the shipped politeness settings
    with Replica(articles=30, seed=31,
                 faults=FaultPlan([{"match": ".", "fault": "delay", "seconds": 0.2}])) as r:
        publisher = r.publisher(hold=3)
        calm = mtwatch_run(tmp_path, r.base_url, config=polite, timeout=900)
        assert calm.returncode == 0, calm.stderr
        calm_gaps = _gaps(r.access_log.snapshot())
        assert r.server.max_inflight <= 2
        assert sum(calm_gaps) / len(calm_gaps) >= 1.0  # DOWNLOAD_DELAY
        # the site starts answering 503: the observed delay must rise
        r.faults = FaultPlan([{"match": ARTICLE, "fault": "status", "status": 503, "times": 2},
                              {"match": ".", "fault": "delay", "seconds": 0.2}])
        r.stop()
        r.start()
        publisher.publish(3)
        r.access_log.clear()
        mtwatch_run(tmp_path, r.base_url, config=polite, timeout=900)
        busy = r.access_log.snapshot()
    after_503 = [later.started - earlier.started
                 for earlier, later in itertools.pairwise(busy) if earlier.status == 503]
    assert after_503
    assert sum(after_503) / len(after_503) > sum(calm_gaps) / len(calm_gaps)


def _gaps(log: list) -> list[float]:  # type: ignore[type-arg]
    starts = sorted(rec.started for rec in log)
    return [b - a for a, b in itertools.pairwise(starts)]
