"""The replica's redesigned markup: the same site in other article templates, switchable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.fetch import SEED_PATH, fetch
from tests.replica import LAYOUTS, Replica, build_site
from tests.replica.routes import resolve

ROOT = Path(__file__).resolve().parent.parent


def test_every_layout_serves_the_same_articles_and_traps() -> None:
    site = build_site(120, 3)
    seed = site.by_id[81087]
    texts = {}
    for layout in LAYOUTS:
        site.layout = layout
        page = resolve(site, seed.path, "http://x").body.decode()
        texts[layout] = page
        assert "Russia Says Roadmap in the Works to Mend Syria-Turkey Ties" in page
        assert "roadmap to normalize ties between Syria and Turkey" in page
    assert "article__content" in texts["classic"]
    for layout in ("redesign-a", "redesign-b", "liveblog"):
        assert "article__" not in texts[layout]  # none of the old class names
        assert "Most read" in texts[layout]
        assert "Read more" in texts[layout]
        assert "Putin Eyes Rapprochement" in texts[layout]  # the in-body related box
    assert "LiveBlogPosting" in texts["liveblog"]
    assert 'rel="canonical"' not in texts["redesign-b"]
    assert "<p>Russia said" not in texts["app-shell"]  # only in the JSON state


def test_set_layout_switches_one_article_or_all_and_changes_the_etag() -> None:
    with Replica(articles=60, seed=2, layout="liveblog") as replica:
        assert b"lb-feed" in fetch(replica.base_url, SEED_PATH)[2]
        replica.set_layout("classic")
        _, first, _ = fetch(replica.base_url, SEED_PATH)
        replica.set_layout("app-shell", only=81087)
        status, second, body = fetch(replica.base_url, SEED_PATH,
                                     headers={"If-None-Match": first["etag"]})
        assert status == 200
        assert second["etag"] != first["etag"]
        assert b"__STATE__" in body
        other = replica.site.articles[0].path
        assert b"article__content" in fetch(replica.base_url, other)[2]
        replica.set_layout("redesign-a")
        assert b"story-body" in fetch(replica.base_url, other)[2]
        assert b"story-body" in fetch(replica.base_url, SEED_PATH)[2]  # override cleared
        with pytest.raises(ValueError, match="unknown layout"):
            replica.set_layout("brutalist")


def test_command_line_layout_flag() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.replica", "truth", "--articles", "40", "--layout",
         "liveblog"], cwd=ROOT, capture_output=True, text=True, check=True)
    classic = build_site(40, 1).truth()
    assert json.loads(done.stdout)["positives"] == classic["positives"]
    bad = subprocess.run([sys.executable, "-m", "tests.replica", "truth", "--layout", "x"],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "invalid choice" in bad.stderr
