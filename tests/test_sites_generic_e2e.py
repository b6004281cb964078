"""The Moscow Times and three generic sites (a WordPress-like blog, a large publisher, a
Russian-language site) crawled side by side in one `mtwatch run`, each on its own loopback
host: every planted positive matches once, no trap does, rows are keyed (site, canonical URL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.health.canaries import STATE_KEY as CANARIES
from crawler.sites.generic.urls import normalise
from pipelines.storage import Store
from tests.helpers.generic_sites import GENERIC_SITES, serve_generic, sites_config
from tests.helpers.launch import (
    ReplicaProcess,
    mtwatch_env,
    replicas_running,
    run_cli,
    start_replica,
)
from tests.helpers.rows import sqlite_rows as rows
from tests.helpers.smtp import SmtpServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[dict[str, ReplicaProcess]]:
    with replicas_running() as started:
        started["moscowtimes"] = start_replica(tmp_path, articles=40, seed=7)
        for layout in GENERIC_SITES:
            started[layout] = serve_generic(layout, tmp_path)
        yield started



def test_four_sites_match_each_planted_positive_once_and_no_trap(
        replicas: dict[str, ReplicaProcess], smtp: SmtpServer, workdir: Path) -> None:
    env = mtwatch_env(workdir, smtp, MTWATCH_CONFIG=str(sites_config(workdir, replicas)))
    done = run_cli(["run", "--since", "2023-01-01"], env, workdir)
    assert done.returncode == 0, done.stderr
    db = workdir / "mtwatch.db"
    assert not rows(db, "SELECT url FROM articles WHERE failures > 0")
    stored = rows(db, "SELECT site, article_key, url FROM articles WHERE state = 'evaluated'")
    assert len({(site, key) for site, key, _ in stored}) == len(stored)
    matched = rows(db, "SELECT a.site, a.article_key FROM matches m "
                       "JOIN articles a ON a.article_id = m.article_id")
    for layout, (_host, name, _keys) in GENERIC_SITES.items():
        truth = replicas[layout].truth
        keys = {str(key) for site, key, _ in stored if site == name}
        assert {normalise(a["url"]) for a in truth["articles"]} == keys, layout
        assert all(normalise(str(url)) == str(key) for site, key, url in stored if site == name)
        hits = [str(key) for site, key in matched if site == name]
        positives = [normalise(u) for u in truth["positives"]]
        assert sorted(hits) == sorted(positives), (layout, hits, positives)
        assert not set(hits) & {normalise(u) for u in truth["traps"]}
        assert not keys & {normalise(u) for u in truth["soft404_urls"]}
    assert any(site == "moscowtimes" for site, _ in matched)
    with Store(env["MTWATCH_DB_URL"]) as store:
        checked = store.get_state(CANARIES) or {}
        before = store.discovery_sources(site="levant-notes")
    for layout in GENERIC_SITES:
        canary = replicas[layout].truth["positives"][0]
        assert checked[canary]["ok"], (layout, checked[canary])
    assert all(str(key).isdigit() for site, key, _ in stored if site == "moscowtimes")
    sent = len(smtp.messages)
    again = run_cli(["run"], env, workdir)
    assert again.returncode == 0, again.stderr
    assert len(smtp.messages) == sent, "a second run must not alert again"
    # the blog's old-slug link is one more spelling of a positive: its redirect to a page this
    # run already fetched was dropped as a duplicate request; the next run follows it, finds the
    # page's canonical URL and forgets the old spelling: no failure, no row of its own
    assert not rows(db, "SELECT url FROM articles WHERE failures > 0 OR state != 'evaluated'")
    with Store(env["MTWATCH_DB_URL"]) as store:
        after = store.discovery_sources(site="levant-notes")
    posts = replicas["wordpress"].base_url + "/wp-sitemap-posts-post-1.xml"
    index = replicas["wordpress"].base_url + "/wp-sitemap.xml"
    assert after[index].etag  # the index answered 304 (its copy was read) ...
    assert after[posts].checked_at > before[posts].checked_at  # ... and its sitemaps were asked
