"""`[topics] enabled` and `--topic` take the same forms: a name in config/topics/ or a path to
a topic file (in a config file, relative to that file); an unknown topic lists the names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.launch import FAST_CONFIG, invoke_cli, mtwatch_env
from tests.helpers.topics import with_opinion

SHIPPED = Path(__file__).resolve().parents[1] / "config" / "topics" / "syria-turkey.toml"


def own_topic(path: Path) -> Path:
    with_opinion(path.parent)
    path.write_text(SHIPPED.read_text("utf-8").replace('id = "syria-turkey"', 'id = "mine"', 1),
                    "utf-8")
    return path


def test_enabled_takes_a_path_relative_to_its_config_file(
        workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = workdir / "etc"
    own_topic(conf / "rules" / "mine.toml")
    (conf / "mtwatch.toml").write_text(
        FAST_CONFIG + '\n[topics]\nenabled = ["syria-turkey", "rules/mine.toml"]\n', "utf-8")
    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(conf / "mtwatch.toml"))
    monkeypatch.chdir(workdir)  # not the config file's directory
    checked = invoke_cli(["check-config", "--no-store"], env)
    assert checked.exit_code == 0, checked.output
    assert str(conf / "rules" / "mine.toml") in checked.stdout
    corpus = workdir / "rows.jsonl"
    corpus.write_text(json.dumps({"id": "a", "title": "Ankara and Damascus agree a roadmap",
                                  "text": "Talks."}) + "\n", "utf-8")
    # two topics enabled: `match` asks for one; the file form picks the same topic
    assert invoke_cli(["match", str(corpus)], env).exit_code == 2
    picked = invoke_cli(["match", str(corpus), "--topic", str(conf / "rules" / "mine.toml")], env)
    assert picked.exit_code == 0, picked.output
    assert json.loads(picked.stdout.splitlines()[0])["match"] is True


def test_an_unknown_enabled_topic_names_the_key_the_file_and_the_choices(workdir: Path) -> None:
    mine = workdir / "mine.toml"
    mine.write_text(FAST_CONFIG + '\n[topics]\nenabled = ["syria_turkey"]\n', "utf-8")
    result = invoke_cli(["matches"], mtwatch_env(workdir, MTWATCH_CONFIG=str(mine)))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"mtwatch: config error: topics.enabled in {mine}: unknown topic 'syria_turkey' "
        "(available: syria-turkey; or give the path to a .toml file)")
    gone = workdir / "gone.toml"
    gone.write_text(FAST_CONFIG + '\n[topics]\nenabled = ["rules/none.toml"]\n', "utf-8")
    result = invoke_cli(["check-config"], mtwatch_env(workdir, MTWATCH_CONFIG=str(gone)))
    assert result.exit_code == 2
    assert f"topic file not found: {workdir / 'rules' / 'none.toml'}" in result.stderr


def test_an_unknown_topic_option_lists_the_available_ones(workdir: Path) -> None:
    for args in (["rematch", "--topic", "turkey"], ["explain", "1", "--topic", "turkey"]):
        result = invoke_cli(args, mtwatch_env(workdir))
        assert result.exit_code == 2, args
        assert "--topic: unknown topic 'turkey' (available: syria-turkey;" in result.stderr
