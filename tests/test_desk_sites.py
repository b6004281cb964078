"""The desk reads each match's site from the store: two sites sharing an article key are two
rows, filtered apart, each article page naming its site and the site's own id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from crawler.web.app import build
from crawler.web.settings import WebSettings
from pipelines.storage import DEFAULT_SITE, Store
from pipelines.storage.store import Evaluated
from tests.helpers.desk import desk_config, matcher
from tests.helpers.ops import sample_article, sample_match

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
RU = "moscowtimes-ru"


@pytest.fixture
def client(migrated_store_url: str) -> Iterator[tuple[TestClient, Store]]:
    store_url = migrated_store_url  # filled here first: the migrated copy
    with Store(store_url) as store:
        for n, site in enumerate((DEFAULT_SITE, RU)):
            when = T0 + timedelta(days=n)
            rec = replace(sample_article(81001, when), site=site, headline=f"Story {n} <b>")
            store.store_evaluated_many(
                [Evaluated(rec, [replace(sample_match(81001, when), site=site)])], ["email"])
        app = build(store, desk_config(store_url), WebSettings(), [matcher()])
        yield TestClient(app, base_url="http://127.0.0.1:8080"), store


def test_the_site_filter_tells_two_sites_with_one_key_apart(
        client: tuple[TestClient, Store]) -> None:
    web, _ = client
    every = web.get("/matches").text
    assert "Story 0" in every
    assert "Story 1" in every
    assert f'<option value="{RU}"' in every
    only = web.get("/matches", params={"site": RU}).text
    assert "Story 1" in only
    assert "Story 0" not in only


def test_the_article_page_names_its_site_and_the_sites_own_id(
        client: tuple[TestClient, Store]) -> None:
    web, store = client
    russian = store.find_article("81001", site=RU)
    assert russian is not None
    assert russian.article_id != 81001  # the English article kept the store id 81001
    page = web.get(f"/articles/{russian.article_id}").text
    assert RU in page
    assert "81001" in page
    assert "Story 1 &lt;b&gt;" in page
