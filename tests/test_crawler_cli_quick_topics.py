"""`mtwatch topics` lists the topic files of both folders; a quick (query) topic is enabled,
backtested with `mtwatch match` and explained like a rules topic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from tests.helpers.launch import FAST_CONFIG, invoke_cli, mtwatch_env

QUICK = """id = "quick"
name = "Syria-Turkey, quick"
version = "2"
query = '("Syria" OR Damascus) NEAR/15 (Turkey OR Ankara) AND (normaliz* OR "restore ties")'
development = 'talks OR met'
"""


def invoke(args: list[str], env: dict[str, str]) -> Result:
    return invoke_cli(args, env)


def setup(workdir: Path, *, enabled: str = '"syria-turkey"') -> dict[str, str]:
    topics = workdir / "xdg" / "mtwatch" / "topics"
    topics.mkdir(parents=True)
    (topics / "quick.toml").write_text(QUICK, "utf-8")
    (workdir / "fast.toml").write_text(FAST_CONFIG + f"\n[topics]\nenabled = [{enabled}]\n",
                                       "utf-8")
    return mtwatch_env(workdir, XDG_CONFIG_HOME=str(workdir / "xdg"))


def test_topics_lists_user_then_shipped_with_form_versions_and_enabled(workdir: Path) -> None:
    env = setup(workdir, enabled='"quick"')
    result = invoke(["topics", "--json"], env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["name"], r["form"], r["version"], r["enabled"], r["origin"]) for r in rows] == [
        ("quick", "query", "2", True, "user"), ("syria-turkey", "rules", "1", False, "shipped")]
    assert rows[0]["rule_version"].startswith("2:")
    table = invoke(["topics"], env).stdout
    assert table.startswith("user topics:")
    assert "\nquick " in table


def test_a_user_file_shadows_the_shipped_one_and_a_broken_file_is_listed(workdir: Path) -> None:
    env = setup(workdir)
    topics = workdir / "xdg" / "mtwatch" / "topics"
    (topics / "syria-turkey.toml").write_text(QUICK.replace('"quick"', '"mine"'), "utf-8")
    (topics / "broken.toml").write_text(QUICK.replace("NEAR/15", "NEAR/x"), "utf-8")
    result = invoke(["topics", "--json"], env)
    assert result.exit_code == 2
    rows = {(r["name"], r["origin"]): r for r in map(json.loads, result.stdout.splitlines())}
    assert rows[("syria-turkey", "user")]["enabled"] is True
    assert rows[("syria-turkey", "shipped")]["shadowed"] is True
    assert rows[("syria-turkey", "shipped")]["enabled"] is False
    assert "query: column 23: expected NEAR/n" in rows[("broken", "user")]["error"]


def test_match_backtests_a_quick_topic(workdir: Path) -> None:
    env = setup(workdir)
    corpus = workdir / "rows.jsonl"
    corpus.write_text("\n".join(json.dumps(row) for row in [
        {"id": "a", "title": "Thaw", "label": True,
         "text": "Ankara and Damascus held talks on normalization. Nothing else."},
        {"id": "b", "title": "Match", "label": False,
         "text": "Syria lost its match. Turkey and Greece discussed normalization."},
    ]) + "\n", "utf-8")
    quick = workdir / "xdg" / "mtwatch" / "topics" / "quick.toml"
    assert invoke(["match", str(corpus), "--topic", "quick"], env).stdout == invoke(
        ["match", str(corpus), "--topic", str(quick)], env).stdout  # a name or a path
    result = invoke(["match", str(corpus), "--topic", "quick"], env)
    assert result.exit_code == 0, result.output
    first, second = map(json.loads, result.stdout.splitlines())
    assert (first["match"], first["grade"], first["rule"]) == (True, "development", "query")
    assert first["evidence"][0]["terms"] == ["Ankara", "Damascus", "normalization"]
    assert second["match"] is False
    assert second["near_misses"][0]["reason"].endswith("never within 15 words in one sentence")
    assert result.stderr.startswith("precision=1.000 recall=1.000")


def test_a_bad_query_fails_check_config_naming_file_key_and_column(workdir: Path) -> None:
    env = setup(workdir, enabled='"quick"')
    path = workdir / "xdg" / "mtwatch" / "topics" / "quick.toml"
    path.write_text(QUICK.replace(' AND (normaliz* OR "restore ties")', " AND"), "utf-8")
    result = invoke(["check-config", "--no-store"], env)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"mtwatch: {path}: query: column ")
    assert "expected a word" in result.stderr


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_explain_reads_a_stored_article_with_a_quick_topic(workdir: Path, store_url: str) -> None:
    from tests.helpers.desk import seed

    seed(store_url)
    env = {**setup(workdir), "MTWATCH_DB_URL": store_url}
    found = invoke(["explain", "81001", "--topic", "quick", "--json"], env)
    assert found.exit_code == 0, found.output
    topic = json.loads(found.stdout)["topics"][0]
    # the headline shows every part at once; no "talks" or "met" in it: a mention
    assert (topic["topic"], topic["matched"], topic["grade"]) == ("quick", True, "mention")
    assert [(e["field"], e["sentence"], e["terms"]) for e in topic["evidence"]] == [
        ("title", "Ankara and Damascus Agree on a Roadmap to Restore Ties",
         ["Ankara", "Damascus", "Restore Ties"])]
    missed = json.loads(invoke(["explain", "81003", "--topic", "quick", "--json"], env).stdout)
    near = missed["topics"][0]["near_misses"]
    assert near[0]["reason"] == 'no normaliz* OR "restore ties"'
    assert near[0]["terms"] == ["Turkey", "Syria"]
