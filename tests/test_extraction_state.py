"""Bar row B4: no cross-call state. In one process, the same article extracted 10 times and
500 distinct articles extracted twice each (as retries and ``--refresh`` do) give identical
text every time, and the match counts equal the single-run counts (trafilatura's
``deduplicate`` cache would blank text it has seen: it is off, and this proves it)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.body import Extraction, Thresholds, extract_text
from pipelines.extraction.worker import ExtractionWorker
from pipelines.matcher import Document, Matcher, load_topic
from tests.replica import build_site
from tests.replica.routes import resolve

ROOT = Path(__file__).resolve().parents[1]
MATCHER = Matcher(load_topic(ROOT / "config" / "topics" / "syria-turkey.toml"))
BASE = "http://127.0.0.1:8000"

Page = tuple[str, str]  # headline, body zone


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    """The body zones of 500 distinct replica articles, as the spider sees them."""
    site = build_site(500, 7)
    urls = SiteUrls(BASE)
    found = []
    for item in site.truth(BASE)["articles"]:
        response = resolve(site, urlsplit(item["url"]).path, BASE)
        fields = ArticlePage(item["url"], response.body.decode("utf-8"), urls).fields()
        if fields is not None:
            found.append((fields.headline, fields.body.zone_html))
    assert len(found) >= 490
    return found


def evaluate(pages: list[Page]) -> tuple[list[Extraction], int]:
    results = [extract_text(body) for _, body in pages]
    matched = sum(MATCHER.evaluate(Document(title=title, body=result.text)).matched
                  for (title, _), result in zip(pages, results, strict=True))
    return results, matched


def test_500_articles_extracted_twice_are_identical_with_equal_match_counts(
        pages: list[Page]) -> None:
    first, first_matches = evaluate(pages)
    second, second_matches = evaluate(pages)
    assert second == first
    assert second_matches == first_matches
    assert first_matches >= 12  # the replica's planted positives are among them
    assert sum(result.status == "zone" for result in first) >= 490


def test_one_article_extracted_ten_times_is_identical(pages: list[Page]) -> None:
    body = max((body for _, body in pages), key=len)
    first = extract_text(body)
    assert first.text
    assert all(extract_text(body) == first for _ in range(10))


def test_the_worker_keeps_no_state_between_pages(pages: list[Page]) -> None:
    long_page = "<div>" + "".join(body for _, body in pages[:40]) + "</div>"
    with ExtractionWorker() as worker:
        first = extract_text(long_page, worker=worker, thresholds=Thresholds(max_bytes=1000))
        assert worker.pid is not None  # it went through the worker
        assert first.status in {"zone", "zone:blocks"}
        assert all(extract_text(long_page, worker=worker, thresholds=Thresholds(max_bytes=1000))
                   == first for _ in range(3))
