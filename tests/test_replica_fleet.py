"""The benchmark's fleet (tests/replica/fleet.py, bench/fleet.py) under the real ``mtwatch run``:
each site on its own loopback address, the conditional GETs of a site that published nothing
answered 304, a story the fleet's clock publishes picked up and matched by the next run, and
idle polls that are all 304s (a sitemap index's sitemaps included, a moved feed asked where it
moved)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.launch import FAST_CONFIG, mtwatch_env, run_cli, run_cli_here
from tests.replica.fleet import Fleet, is_conditional, is_document
from tests.replica.server import AccessRecord

pytestmark = pytest.mark.e2e


def matched(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT a.site, a.article_key FROM matches m "
                                "JOIN articles a ON a.article_id = m.article_id"))


def test_quiet_sites_answer_304_and_a_published_story_is_matched(tmp_path: Path) -> None:
    with Fleet(2) as fleet:
        assert [urlsplit(site.base_url).hostname for site in fleet.sites] == ["127.0.1.1",
                                                                              "127.0.1.2"]
        config = tmp_path / "fleet.toml"
        config.write_text("[sites.moscowtimes]\nenabled = false\n\n" + fleet.config()
                          + FAST_CONFIG + "fast_on_loopback = true\n", encoding="utf-8")
        env = mtwatch_env(tmp_path, MTWATCH_CONFIG=str(config))  # adaptive polling off
        done = run_cli(["run"], env, tmp_path)
        assert done.returncode == 0, done.stderr
        story = next(p for p in fleet.publications if p.positive)
        assert (story.site, story.key) not in matched(tmp_path / "mtwatch.db")
        assert fleet.set_now(story.published) == [story]
        seen = {site.name: len(site.requests()) for site in fleet.sites}
        done = run_cli(["run"], env, tmp_path)
        assert done.returncode == 0, done.stderr
        assert (story.site, story.key) in matched(tmp_path / "mtwatch.db")
        (quiet,) = (site for site in fleet.sites if site.name != story.site)
        asked = [r for r in quiet.requests()[seen[quiet.name]:] if is_document(r)]
        conditional = [r for r in asked if is_conditional(r)]
        assert conditional, "the second run asked the quiet site nothing conditionally"
        assert all(r.status == 304 for r in conditional), [(r.path, r.status) for r in asked]
        assert not [r for r in quiet.requests()[seen[quiet.name]:] if not is_document(r)]


def test_idle_polls_are_all_304_sitemap_children_included_and_a_move_is_remembered(
        tmp_path: Path) -> None:
    """Site 1 (a WordPress-like blog configured with ``/feed`` and ``/sitemap.xml``, which it
    redirects permanently) and site 2 (a publisher whose sitemap index lists an article sitemap
    and a video sitemap): after the first run every feed and sitemap, the index's sitemaps
    included, is asked conditionally and answers 304; the blog's author and category
    sitemaps are never asked; each redirect is followed once, then its target is asked
    directly, and ``status`` says to put it in the config."""
    with Fleet(2) as fleet:
        blog, publisher = fleet.sites
        assert (blog.layout, publisher.layout) == ("wordpress", "publisher")
        config = tmp_path / "fleet.toml"
        config.write_text("[sites.moscowtimes]\nenabled = false\n\n" + fleet.config()
                          + FAST_CONFIG + "fast_on_loopback = true\n", encoding="utf-8")
        env = mtwatch_env(tmp_path, MTWATCH_CONFIG=str(config))  # adaptive polling off
        runs: list[dict[str, list[AccessRecord]]] = []
        for _ in range(3):
            seen = {site.name: len(site.requests()) for site in fleet.sites}
            done = run_cli(["run"], env, tmp_path)
            assert done.returncode == 0, done.stderr
            runs.append({site.name: site.requests()[seen[site.name]:] for site in fleet.sites})
        status = json.loads(run_cli_here(["status", "--json"], env, tmp_path).stdout)
    first = [r.path for r in runs[0][blog.name]]
    assert first.count("/feed") == first.count("/sitemap.xml") == 1
    expected = {blog.name: {"/feed/", "/wp-sitemap.xml", "/wp-sitemap-posts-post-1.xml"},
                publisher.name: {"/sitemaps/news.xml", "/sitemaps/index.xml",
                                 "/sitemaps/articles.xml", "/sitemaps/video.xml"}}
    for idle in runs[1:]:
        for name, paths in expected.items():
            asked = [r for r in idle[name] if is_document(r)]
            assert sorted(r.path for r in asked) == sorted(paths), name
            assert all(r.status == 304 and is_conditional(r) for r in asked), [
                (r.path, r.status, is_conditional(r)) for r in asked]
    # the last idle poll asks nothing else (the first one may still retry an article)
    assert all(is_document(r) for log in runs[2].values() for r in log)
    every = [r.path for run in runs for r in run[blog.name]]
    assert not [p for p in every if "users" in p or "taxonomies" in p]
    moved = {s["url"].rsplit("/", 1)[-1]: s for s in status["sources"]
             if s["site"] == blog.name and s["moved_to"]}
    assert {name: s["moved_to"] for name, s in moved.items()} == {
        "feed": blog.base_url + "/feed/", "sitemap.xml": blog.base_url + "/wp-sitemap.xml"}
    assert all("put that address in the config" in s["note"] for s in moved.values())
