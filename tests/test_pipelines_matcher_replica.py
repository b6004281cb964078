"""The matcher against the offline replica's ground truth, the way the crawler sees articles.

Each truth article's page is rendered by the replica's router (no server), parsed with the
crawler's ArticlePage and cleaned with pipelines.extraction.body before being evaluated: every
planted positive must match, and no trap (nor any other non-positive article) may match.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.sites.moscowtimes.article import ArticlePage
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.body import extract_text
from pipelines.matcher import Document, Matcher
from tests.replica import build_site
from tests.replica.routes import resolve

BASE = "http://127.0.0.1:8000"
ARTICLES = 500

Miss = tuple[int, str, str, list[str]]


def sweep(matcher: Matcher, seed: int, articles: int = ARTICLES) -> dict[str, Any]:
    """Evaluate every truth article of one replica build; return the misses by kind."""
    site = build_site(articles, seed)
    truth = site.truth(BASE)
    urls = SiteUrls(BASE)
    traps = set(truth["traps"])
    missed: list[Miss] = []
    trapped: list[Miss] = []
    other: list[Miss] = []
    unparsed: list[int] = []
    for item in truth["articles"]:
        response = resolve(site, urlsplit(item["url"]).path, BASE)
        assert response.status == 200, item["url"]
        fields = ArticlePage(item["url"], response.body.decode("utf-8"), urls).fields()
        if fields is None:
            unparsed.append(item["id"])
            continue
        verdict = matcher.evaluate(Document(
            title=fields.headline, subtitle=fields.subtitle,
            body=extract_text(fields.body.zone_html).text, published=fields.published))
        if item["positive"] and not verdict.matched:
            missed.append((item["id"], item["kind"], item["title"],
                           [f"{e.sentence} [{e.reason}]" for e in verdict.near_misses]))
        elif verdict.matched and not item["positive"]:
            found = (item["id"], item["kind"], item["title"],
                     [f"{e.sentence} [{e.rule}]" for e in verdict.evidence])
            (trapped if item["id"] in traps else other).append(found)
    return {"articles": len(truth["articles"]), "positives": len(truth["positives"]),
            "traps": len(traps), "missed": missed, "trapped": trapped, "other": other,
            "unparsed": unparsed}


def check(result: dict[str, Any]) -> None:
    assert result["positives"] >= 12
    assert result["traps"] >= 12
    assert result["unparsed"] == []
    assert result["missed"] == [], "planted positives not matched"
    assert result["trapped"] == [], "traps matched"
    assert result["other"] == [], "non-positive articles matched"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replica_truth_is_matched_exactly(matcher: Matcher, seed: int) -> None:
    """Three builds of 250 articles (20 planted positives, 25 traps each); the slow variant
    sweeps six builds of 500."""
    check(sweep(matcher, seed, articles=250))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_replica_truth_is_matched_exactly_six_seeds(matcher: Matcher, seed: int) -> None:
    check(sweep(matcher, seed))
