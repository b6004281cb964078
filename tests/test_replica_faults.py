"""The replica's fault plans, moving clock, HTTPS mode and canary listener."""

from __future__ import annotations

import gzip
import http.client
import json
import ssl
import subprocess
import sys
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.fetch import SEED_PATH, fetch
from tests.replica import CanaryServer, FaultPlan, FaultPlanError, Replica

ROOT = Path(__file__).resolve().parent.parent


def test_status_rules_with_times_and_retry_after() -> None:
    plan = FaultPlan([{"path": SEED_PATH, "fault": "status", "status": 429, "times": 2,
                       "headers": {"Retry-After": "120"}}])
    with Replica(articles=20, seed=1, faults=plan) as r:
        first = fetch(r.base_url, SEED_PATH)
        assert (first[0], first[1]["retry-after"]) == (429, "120")
        assert fetch(r.base_url, SEED_PATH)[0] == 429
        assert fetch(r.base_url, SEED_PATH)[0] == 200  # only the first two
        assert [rec.status for rec in r.access_log if rec.path == SEED_PATH] == [429, 429, 200]


def test_probability_is_seeded_per_path() -> None:
    rule = {"match": r"^/\d{4}/", "fault": "status", "status": 503, "probability": 0.5}
    outcomes = []
    for _ in range(2):
        with Replica(articles=60, seed=2, faults=FaultPlan([rule], seed=9)) as r:
            paths = [urlsplit(a["url"]).path for a in r.truth["articles"][:30]]
            outcomes.append([fetch(r.base_url, p)[0] for p in paths])
    assert outcomes[0] == outcomes[1]
    assert 5 < outcomes[0].count(503) < 25


@pytest.mark.parametrize("fault", ["truncate", "length_mismatch", "broken_chunked", "drop"])
def test_broken_transfers_never_deliver_a_whole_page(fault: str) -> None:
    with Replica(articles=20, seed=1, faults=FaultPlan([{"path": SEED_PATH, "fault": fault}])
                 ) as r:
        with pytest.raises((http.client.IncompleteRead, http.client.RemoteDisconnected,
                            ConnectionError)):
            fetch(r.base_url, SEED_PATH)
        assert r.access_log[-1].path == SEED_PATH


def test_gzip_bomb_inflates_far_beyond_what_is_sent() -> None:
    plan = FaultPlan([{"path": "/rss/news", "fault": "gzip_bomb", "size_mb": 16},
                      {"path": "/sitemap/2026-6.xml", "fault": "gzip_bomb", "size_mb": 16,
                       "as_file": True}])
    with Replica(articles=20, seed=1, faults=plan) as r:
        status, headers, body = fetch(r.base_url, "/rss/news")
        assert (status, headers["content-encoding"]) == (200, "gzip")
        assert len(body) < 100_000
        inflated = zlib.decompressobj(31).decompress(body, 32 * 1024 * 1024)
        assert len(inflated) == 16 * 1024 * 1024
        _, headers, body = fetch(r.base_url, "/sitemap/2026-6.xml")
        assert "content-encoding" not in headers
        assert gzip.decompress(body) == bytes(16 * 1024 * 1024)


def test_xxe_document_keeps_its_real_entries(tmp_path: Path) -> None:
    plan = FaultPlan([{"path": "/sitemap/sitemap.xml", "fault": "xxe",
                       "file": str(tmp_path / "canary"), "dtd": "http://127.0.0.1:9/x.dtd"}])
    with Replica(articles=20, seed=1, faults=plan) as r:
        body = fetch(r.base_url, "/sitemap/sitemap.xml")[2].decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE root SYSTEM')
    assert f'<!ENTITY xxe SYSTEM "file://{tmp_path / "canary"}">' in body
    assert "<sitemap><loc>&xxe;</loc></sitemap></sitemapindex>" in body
    assert "/sitemap/2026-6.xml" in body


def test_redirects_chains_pads_and_headers() -> None:
    plan = FaultPlan([
        {"path": "/a", "fault": "redirect", "location": "http://evil.test:1/x"},
        {"path": SEED_PATH, "fault": "chain", "hops": 3},
        {"path": "/rss/news", "fault": "pad", "size_mb": 1},
        {"path": "/rss/opinion", "fault": "headers", "headers": {"Set-Cookie": "s=secret"}},
    ])
    with Replica(articles=20, seed=1, faults=plan) as r:
        assert fetch(r.base_url, "/a")[1]["location"] == "http://evil.test:1/x"
        hop = fetch(r.base_url, SEED_PATH + "?hop=2")
        assert hop[1]["location"] == f"{r.base_url}{SEED_PATH}?hop=3"
        assert fetch(r.base_url, SEED_PATH + "?hop=3")[0] == 200
        assert len(fetch(r.base_url, "/rss/news")[2]) >= 1024 * 1024
        assert fetch(r.base_url, "/rss/opinion")[1]["set-cookie"] == "s=secret"


def test_replace_puts_raw_bytes_into_a_page() -> None:
    corpus = [{"title": "Plain title MARK", "text": "Body MARK text."}]
    plan = FaultPlan([{"match": r"-a\d+$", "fault": "replace",
                       "replace": {"MARK": "&#27;[2K<b>\u202e</b>"}}])
    with Replica(articles=0, seed=1, corpus=corpus, faults=plan) as r:
        [entry] = [a for a in r.truth["articles"] if a["title"] == "Plain title MARK"]
        status, _, body = fetch(r.base_url, urlsplit(entry["url"]).path)
        _, _, feed = fetch(r.base_url, "/rss/news")
    text = body.decode("utf-8")
    assert status == 200
    assert "Plain title &#27;[2K<b>\u202e</b>" in text
    assert "Body &#27;[2K<b>\u202e</b> text." in text
    assert "MARK" not in text
    assert b"MARK" in feed  # only the pages the rule matches


def test_bad_plans_are_rejected_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(FaultPlanError, match="fault must be one of"):
        FaultPlan([{"path": "/", "fault": "explode"}])
    with pytest.raises(FaultPlanError, match="needs 'path' or 'match'"):
        FaultPlan([{"fault": "drop"}])
    plan = tmp_path / "plan.json"
    plan.write_text('{"rules": [{"path": "/", "fault": "nope"}]}')
    result = subprocess.run([sys.executable, "-m", "tests.replica", "serve", "--articles", "5",
                             "--faults", str(plan)], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "fault must be one of" in result.stderr


def test_publisher_holds_back_and_publishes_in_order() -> None:
    with Replica(articles=80, seed=4) as r:
        newest = r.truth["articles"][-10:]
        publisher = r.publisher(hold=10)
        visible = {a["id"] for a in r.truth["articles"]}
        assert not visible & {a["id"] for a in newest}
        assert newest[0]["url"] not in fetch(r.base_url, "/rss/all")[2].decode()
        batch = publisher.publish(3)
        assert [a.id for a in batch][:3] == [a["id"] for a in newest[:3]]
        assert newest[0]["url"] in fetch(r.base_url, "/rss/all")[2].decode()
        publisher.publish(100)
        assert publisher.remaining == 0
        assert {a["id"] for a in newest} <= {a["id"] for a in r.truth["articles"]}


def test_cli_publishes_on_a_timer(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.replica", "serve", "--articles", "40", "--seed", "3",
         "--hold", "5", "--publish-every", "0.2", "--publish-count", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        seen = set()
        deadline = time.monotonic() + 60
        while len(seen) < 3 and time.monotonic() < deadline:  # poll observable state
            body = fetch(base, "/rss/all")[2].decode()
            seen.add(body.count("<item>"))
        assert len(seen) >= 3, "new items must appear over time"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_https_replica_uses_an_untrusted_certificate() -> None:
    with Replica(articles=10, seed=1, tls=True) as r:
        assert r.base_url.startswith("https://127.0.0.1:")
        parts = urlsplit(r.base_url)
        verified = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=10,
                                               context=ssl.create_default_context())
        with pytest.raises(ssl.SSLCertVerificationError):
            verified.request("GET", "/robots.txt")
        unverified = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=10, context=ssl._create_unverified_context())
        unverified.request("GET", "/robots.txt")
        assert unverified.getresponse().status == 200


def test_canary_counts_connections() -> None:
    with CanaryServer() as canary:
        status, _, body = fetch(canary.url, "/x.dtd", headers={"Cookie": "a=b"})
        assert status == 200
        assert b"CANARY" in body
    assert canary.connections == 1
    assert b"Cookie: a=b" in canary.requests[0]


def test_access_log_has_start_times_and_concurrency(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    with Replica(articles=10, seed=1, access_log_path=log,
                 faults=FaultPlan([{"match": ".", "fault": "delay", "seconds": 0.05}])) as r:
        fetch(r.base_url, "/rss/news")
        assert r.server.max_inflight == 1
    record = json.loads(log.read_text().splitlines()[-1])
    assert record["time"] - record["started"] >= 0.05
