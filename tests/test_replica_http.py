"""Tests of the replica's HTTP layer, Python API and command line (loopback, free ports)."""

from __future__ import annotations

import gzip
import json
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.fetch import SEED_PATH, fetch
from tests.replica import Replica

ROOT = Path(__file__).resolve().parent.parent

@pytest.fixture(scope="module")
def live_replica() -> Iterator[Replica]:
    with Replica(articles=300, seed=1) as r:
        yield r


def test_binds_loopback_and_serves_robots(live_replica: Replica) -> None:
    assert live_replica.base_url.startswith("http://127.0.0.1:")
    status, _headers, body = fetch(live_replica.base_url, "/robots.txt")
    assert status == 200
    assert body.decode() == (
        "User-agent: *\nDisallow: /preview/\nDisallow: /search/\nDisallow: *?utm\n"
        "Disallow: *&utm\n\nUser-agent: Yandex\nDisallow: /preview/\nDisallow: /search/\n"
        "Disallow: */amp/\nDisallow: */amp$\nDisallow: *?amp \nDisallow: *?utm\n"
        f"Disallow: *&utm\n\nSitemap: {live_replica.base_url}/sitemap/sitemap.xml"
    )


def test_feed_headers(live_replica: Replica) -> None:
    status, headers, _body = fetch(live_replica.base_url, "/rss/news")
    assert status == 200
    assert headers["content-type"] == "text/xml; charset=utf-8"
    assert headers["cache-control"] == "max-age=300, 300, public"
    assert fetch(live_replica.base_url, "/rss/all")[1]["cache-control"].startswith("max-age=60")
    assert fetch(live_replica.base_url, "/rss/business")[0] == 404
    assert fetch(live_replica.base_url, "/rss/news/")[0] == 200


@pytest.mark.parametrize("path", [
    "/2023/05/10/some-other-slug-a81087",
    "/2024/01/02/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087",
    "/news/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-81087",
    "/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties",
])
def test_non_canonical_urls_redirect(live_replica: Replica, path: str) -> None:
    status, headers, _ = fetch(live_replica.base_url, path)
    assert status == 302
    assert headers["location"] == live_replica.base_url + SEED_PATH


def test_in_body_aside_link_redirects_to_an_article(live_replica: Replica) -> None:
    status, _, body = fetch(live_replica.base_url, SEED_PATH)
    href = body.decode().split('class="related-article__inner" href="', 1)[1].split('"', 1)[0]
    status, headers, _ = fetch(live_replica.base_url, href.removeprefix(live_replica.base_url))
    assert status == 302
    assert "putin-eyes-rapprochement" in headers["location"]
    assert fetch(live_replica.base_url, urlsplit(headers["location"]).path)[0] == 200


def test_soft_404_and_real_404(live_replica: Replica) -> None:
    for path in ("/2023/05/10/nothing-here-a99999", *[
            urlsplit(u).path for u in live_replica.truth["soft404_urls"]]):
        status, _, body = fetch(live_replica.base_url, path)
        assert status == 200
        assert b"Oops!" in body
        assert b"We couldn't find your page." in body
        assert b'class="page-item"' in body
    assert fetch(live_replica.base_url, "/no/such/route")[0] == 404
    assert fetch(live_replica.base_url, "/2023/5/10/x-a81087")[0] == 404


def test_pdf_and_infinite_scroll_fragment(live_replica: Replica) -> None:
    status, headers, body = fetch(live_replica.base_url, SEED_PATH + "/pdf")
    assert status == 200
    assert headers["content-type"] == "application/pdf"
    assert body.startswith(b"%PDF")
    status, _, body = fetch(live_replica.base_url, "/all/81087")
    assert status == 200
    assert b"<html" not in body
    assert b'id="article-id-81087"' in body


def test_etag_and_last_modified_give_304(live_replica: Replica) -> None:
    status, headers, body = fetch(live_replica.base_url, SEED_PATH)
    assert status == 200
    assert headers["etag"].startswith('"')
    assert "last-modified" in headers
    assert headers["cache-control"] == "max-age=300, 300, public"
    status, h304, body304 = fetch(live_replica.base_url, SEED_PATH,
                                  headers={"If-None-Match": headers["etag"]})
    assert status == 304
    assert body304 == b""
    assert h304["etag"] == headers["etag"]
    status, _, body304 = fetch(live_replica.base_url, SEED_PATH,
                               headers={"If-Modified-Since": headers["last-modified"]})
    assert status == 304
    assert body304 == b""
    status, _, again = fetch(live_replica.base_url, SEED_PATH,
                             headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})
    assert status == 200
    assert again == body
    assert fetch(live_replica.base_url, SEED_PATH, headers={"If-None-Match": '"nope"'})[0] == 200


def test_gzip_and_head(live_replica: Replica) -> None:
    _, plain_headers, plain = fetch(live_replica.base_url, "/news")
    status, headers, body = fetch(live_replica.base_url, "/news",
                                  headers={"Accept-Encoding": "gzip, deflate"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body)
    assert gzip.decompress(body) == plain
    assert "content-encoding" not in plain_headers
    assert "content-encoding" not in fetch(live_replica.base_url, "/news",
                                           headers={"Accept-Encoding": "gzip;q=0"})[1]
    status, head_headers, head_body = fetch(live_replica.base_url, "/news", method="HEAD")
    assert status == 200
    assert head_body == b""
    assert head_headers["content-length"] == str(len(plain))


def test_access_log_records_requests(live_replica: Replica) -> None:
    fetch(live_replica.base_url, "/sitemap/sitemap.xml?x=1", headers={"User-Agent": "mtwatch-test"})
    record = next(r for r in reversed(live_replica.access_log.snapshot())
                  if r.path == "/sitemap/sitemap.xml?x=1")
    assert record.method == "GET"
    assert record.status == 200
    assert record.bytes > 0
    assert record.headers["User-Agent"] == "mtwatch-test"
    assert record.time > 0


def test_truth_urls_are_served(live_replica: Replica) -> None:
    truth = live_replica.truth
    for entry in truth["articles"][::25]:
        assert entry["url"].startswith(live_replica.base_url)
        assert fetch(live_replica.base_url, urlsplit(entry["url"]).path)[0] == 200


# ---- command line ------------------------------------------------------------------------------
def _readline(proc: subprocess.Popen[str], timeout: float = 30) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, "the replica did not print its URL"
    return proc.stdout.readline().strip()


def test_cli_serves_until_terminated(tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    log = tmp_path / "access.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.replica", "serve", "--port", "0", "--articles", "40",
         "--seed", "3", "--truth", str(truth), "--access-log", str(log)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = _readline(proc)
        assert base.startswith("http://127.0.0.1:")
        data = json.loads(truth.read_text())
        assert 81087 in data["positives"]
        assert data["articles"][0]["url"].startswith(base)
        status, _, body = fetch(base, "/robots.txt")
        assert status == 200
        assert body.startswith(b"User-agent: *")
        assert json.loads(log.read_text().splitlines()[-1])["path"] == "/robots.txt"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert err == ""


def test_cli_bad_corpus_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "corpus.jsonl"
    bad.write_text('{"title": "ok", "text": "fine"}\n{"title": \n')
    result = subprocess.run(
        [sys.executable, "-m", "tests.replica", "serve", "--port", "0", "--corpus", str(bad)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert "corpus.jsonl:2" in result.stderr


def test_cli_truth_command_and_loopback_only(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    subprocess.run([sys.executable, "-m", "tests.replica", "truth", "--articles", "30",
                    "--seed", "2", "--out", str(out)], cwd=ROOT, check=True, timeout=60)
    assert json.loads(out.read_text())["seed"] == 2
    result = subprocess.run([sys.executable, "-m", "tests.replica", "serve", "--articles", "5",
                             "--host", "0.0.0.0"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "loopback" in result.stderr
