"""The replica's heavy pages (``serve --page-kb``, the crawl benchmark's workload): the page
reaches the asked size with furniture only, and what any extractor keeps does not change."""

from __future__ import annotations

import dataclasses

import pytest
import trafilatura

from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.body import extract_article
from tests.replica import LAYOUTS, build_site
from tests.replica.furniture import weigh
from tests.replica.routes import resolve

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    return build_site(40, 1)


def _page(site, path: str, kb: int | None) -> str:  # type: ignore[no-untyped-def]
    site.page_kb = kb
    try:
        return resolve(site, path, BASE).body.decode()
    finally:
        site.page_kb = None


def _fields(url: str, html: str) -> dict[str, object]:
    fields = ArticlePage(url, html, SiteUrls(BASE)).fields()
    assert fields is not None
    found = dataclasses.asdict(fields) if dataclasses.is_dataclass(fields) else dict(fields)
    found.pop("html_sha256")
    return found


@pytest.mark.parametrize("kb", [65, 150])
def test_heavy_pages_reach_the_size_and_keep_every_extracted_field(site, kb: int) -> None:  # type: ignore[no-untyped-def]
    articles = [a for a in site.articles if a.type == "default"][:6]
    assert articles
    for a in articles:
        light, heavy = _page(site, a.path, None), _page(site, a.path, kb)
        assert len(light.encode()) < 60 * 1024
        assert abs(len(heavy.encode()) - kb * 1024) <= kb * 1024 // 10
        url = BASE + a.path
        before, after = _fields(url, light), _fields(url, heavy)
        assert after == before
        body = ArticlePage(url, heavy, SiteUrls(BASE)).fields().body  # type: ignore[union-attr]
        assert extract_article(body).text == extract_article(
            ArticlePage(url, light, SiteUrls(BASE)).fields().body).text  # type: ignore[union-attr]
        # the naive reference extracts the whole page with trafilatura: the same text too
        assert (trafilatura.extract(heavy, include_comments=False)
                == trafilatura.extract(light, include_comments=False))


def test_every_layout_can_be_weighed(site) -> None:  # type: ignore[no-untyped-def]
    a = next(a for a in site.articles if a.type == "default")
    for layout in LAYOUTS:
        site.layout = layout
        try:
            heavy = _page(site, a.path, 70)
        finally:
            site.layout = "classic"
        assert abs(len(heavy.encode()) - 70 * 1024) <= 7 * 1024, layout
        assert heavy.count("<body") == 1
        assert heavy.rstrip().endswith("</html>")


def test_weigh_is_deterministic_and_leaves_large_or_bodiless_pages_alone() -> None:
    page = "<html><head></head><body class='x'><p>Text</p></body></html>"
    assert weigh(page, 20, BASE) == weigh(page, 20, BASE)
    assert weigh(page, 20, BASE).startswith("<html><head></head><body class='x'>\n<svg")
    big = "<html><body>" + "x" * 30_000 + "</body></html>"
    assert weigh(big, 10, BASE) == big
    assert weigh("no body here", 10, BASE) == "no body here"
    assert "</script>" not in weigh(page, 20, "http://h/</script>").split(
        'id="__app_state__">', 1)[1].split("</script>", 1)[0]
