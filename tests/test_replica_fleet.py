"""The benchmark's fleet (tests/replica/fleet.py, bench/fleet.py) under the real ``mtwatch run``:
each site on its own loopback address, the conditional GETs of a site that published nothing
answered 304, and a story the fleet's clock publishes picked up and matched by the next run."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.launch import FAST_CONFIG, mtwatch_env, run_cli
from tests.replica.fleet import Fleet, is_conditional, is_document

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
