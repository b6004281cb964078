"""`mtwatch run`'s pre-flight topic check (crawler/cli/topiccheck.py): a topic file compiles
once per content and rules engine; a file that does not compile fails every time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crawler.cli import topiccheck
from pipelines import wiring
from tests.helpers.topics import with_opinion

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "config" / "topics" / "syria-turkey.toml"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every load_matchers call the check makes (it still compiles for real)."""
    calls: list[list[str]] = []
    real = wiring.load_matchers

    def counted(topics_dir: object, enabled: list[str]) -> object:
        calls.append(list(enabled))
        return real(topics_dir, enabled)

    monkeypatch.setattr(wiring, "load_matchers", counted)
    return calls


def test_an_unchanged_topic_compiles_once(tmp_path: Path, compiles: list[list[str]]) -> None:
    topic = tmp_path / "topics" / "mine.toml"
    topic.parent.mkdir()
    shutil.copy(SHIPPED, topic)
    with_opinion(topic.parent)
    cache = tmp_path / "data" / "cache"
    topiccheck.check_topics(topic.parent, ["mine"], cache)
    topiccheck.check_topics(topic.parent, ["mine"], cache)
    assert compiles == [[str(topic)]]
    assert (cache / topiccheck.CACHE_NAME).stat().st_mode & 0o777 == 0o600

    topic.write_bytes(SHIPPED.read_bytes() + b"\n# edited\n")
    topiccheck.check_topics(topic.parent, ["mine"], cache)
    assert len(compiles) == 2, "an edited file is compiled again"


def test_a_changed_engine_compiles_again(tmp_path: Path, compiles: list[list[str]],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    topiccheck.check_topics(SHIPPED.parent, ["syria-turkey"], cache)
    monkeypatch.setattr(topiccheck, "engine_fingerprint", lambda: "another engine")
    topiccheck.check_topics(SHIPPED.parent, ["syria-turkey"], cache)
    assert len(compiles) == 2


def test_a_topic_that_does_not_compile_fails_every_run(tmp_path: Path) -> None:
    from pipelines.matcher import TopicConfigError

    topic = tmp_path / "bad.toml"
    topic.write_text('id = "bad"\nname = "Bad"\nversion = "1"\n[entities]\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(TopicConfigError):
            topiccheck.check_topics(tmp_path, [str(topic)], tmp_path / "cache")


def test_a_broken_cache_file_only_means_compiling(tmp_path: Path,
                                                  compiles: list[list[str]]) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / topiccheck.CACHE_NAME).write_text("{not json", encoding="utf-8")
    topiccheck.check_topics(SHIPPED.parent, ["syria-turkey"], cache)
    topiccheck.check_topics(SHIPPED.parent, ["syria-turkey"], cache)
    assert len(compiles) == 1


def test_the_engine_fingerprint_follows_the_rules_engine_modules(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = topiccheck.engine_fingerprint()
    assert topiccheck.engine_fingerprint() == before
    monkeypatch.setattr(topiccheck, "__version__", "0.0.0-other")
    assert topiccheck.engine_fingerprint() != before


def test_run_refuses_a_topic_broken_after_it_compiled(tmp_path: Path) -> None:
    from tests.helpers.launch import FAST_CONFIG, invoke_cli, mtwatch_env

    topic = tmp_path / "rules" / "mine.toml"
    topic.parent.mkdir()
    shutil.copy(SHIPPED, topic)
    with_opinion(topic.parent)
    config = tmp_path / "mtwatch.toml"
    config.write_text(FAST_CONFIG + f'\n[topics]\nenabled = ["{topic}"]\n', "utf-8")
    env = mtwatch_env(tmp_path, MTWATCH_CONFIG=str(config))
    topiccheck.check_topics(topic.parent, [str(topic)], tmp_path / "data" / "cache")
    topic.write_text(SHIPPED.read_text("utf-8").replace("[entities", "[no_entities"), "utf-8")
    result = invoke_cli(["run", "--site", "http://127.0.0.1:9"], env)
    assert result.exit_code == 2, result.output
    assert str(topic) in result.stderr
    assert not (tmp_path / "mtwatch.db").exists(), "nothing ran: not even the store was opened"
