"""`mtwatch matches` and `mtwatch show` name an article's story and its other reports; the
desk's article page lists them."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.storage import Store
from tests.helpers.launch import invoke_cli, mtwatch_env
from tests.helpers.stories import article_record, pair, put


def seed(workdir: Path) -> dict[str, int]:
    """A wire story and its re-headlined copy on another site: the store IDs by site."""
    a, b = pair("reheadlined")
    with Store(mtwatch_env(workdir)["MTWATCH_DB_URL"]) as store:
        put(store, article_record(a, "wire", "a1"), channels=["email"])
        put(store, article_record(b, "tribune", "b1"), channels=["email"])
        return {m.site: m.article_id for m in store.list_matches()}


def test_matches_name_the_story_and_its_other_reports(workdir: Path) -> None:
    ids = seed(workdir)
    result = invoke_cli(["matches", "--format", "json"], mtwatch_env(workdir))
    assert result.exit_code == 0, result.output
    rows = {row["site"]: row for row in json.loads(result.stdout)}
    story = str(ids["wire"])
    assert rows["wire"]["story"]["id"] == rows["tribune"]["story"]["id"] == story
    assert [o["article_id"] for o in rows["wire"]["story"]["others"]] == [ids["tribune"]]
    assert [o["site"] for o in rows["tribune"]["story"]["others"]] == ["wire"]
    table = invoke_cli(["matches"], mtwatch_env(workdir)).stdout
    assert "story" in table
    assert "also" in table


def test_show_names_the_story_and_its_own_update(workdir: Path) -> None:
    ids = seed(workdir)
    result = invoke_cli(["show", str(ids["tribune"]), "--format", "json"], mtwatch_env(workdir))
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["story"]["id"] == str(ids["wire"])
    assert [o["site"] for o in shown["story"]["others"]] == ["wire"]
    assert [(a["channel"], a["kind"]) for a in shown["alerts"]] == [("email", "update")]
    first = json.loads(invoke_cli(["show", str(ids["wire"]), "--format", "json"],
                                  mtwatch_env(workdir)).stdout)
    assert [(a["channel"], a["kind"]) for a in first["alerts"]] == [("email", "alert")]
    text = invoke_cli(["show", str(ids["wire"])], mtwatch_env(workdir)).stdout
    assert f"story       {ids['wire']}: tribune {ids['tribune']}" in text


def test_the_desk_article_page_lists_the_other_reports(workdir: Path) -> None:
    from crawler.web.pages.article import story_of

    ids = seed(workdir)
    with Store(mtwatch_env(workdir)["MTWATCH_DB_URL"]) as store, store.read("t") as conn:
        story = story_of(conn, ids["tribune"])
    assert story is not None
    assert story["id"] == str(ids["wire"])
    assert [m.article_id for m in story["others"]] == [ids["wire"]]
