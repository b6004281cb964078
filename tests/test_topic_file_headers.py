"""pipelines.topic_files.read_header reads a topic's id, name and version from the root table
alone, and gives what reading the whole file gives, whatever the file holds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pipelines.matcher import load_topic
from pipelines.topic_files import read_header
from tests.helpers.topics import SYRIA_TURKEY, with_opinion

SHIPPED = Path(__file__).resolve().parent.parent / "config" / "topics"


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.toml")), ids=lambda p: p.stem)
def test_a_shipped_topics_header_is_its_whole_files(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    header = read_header(path)
    assert (header.id, header.name) == (data["id"], data["name"])
    assert header.rule_version == load_topic(path).rule_version  # with its model's digest


def test_a_relearned_model_is_a_new_rule_version(tmp_path: Path) -> None:
    topic = tmp_path / "mine.toml"
    topic.write_text(SYRIA_TURKEY.read_text("utf-8"), "utf-8")
    model = with_opinion(tmp_path)
    before = read_header(topic).rule_version
    assert before == load_topic(topic).rule_version
    model.write_bytes(model.read_bytes() + b"\0")  # another file (np.load ignores the tail)
    assert read_header(topic).rule_version != before
    assert read_header(topic).rule_version == load_topic(topic).rule_version


@pytest.mark.parametrize("text", [
    # a root string with a line that looks like a table header: the cut there does not parse
    'id = "a"\nnote = """\n[not a table]\n"""\nname = "A"\nversion = "1"\n[rules]\nx = 1\n',
    # a root array spread over lines, one of them starting with "["
    'id = "a"\ngrid = [\n[1, 2],\n]\nname = "A"\nversion = "1"\n',
    # indented table headers and arrays of tables
    'id = "a"\nname = "A"\nversion = "1"\n  [[entities]]\n  name = "x"\n',
])
def test_the_header_is_read_right_around_lines_that_look_like_tables(tmp_path: Path,
                                                                      text: str) -> None:
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    header = read_header(path)
    assert (header.id, header.name, header.rule_version.split(":")[0]) == ("a", "A", "1")


def test_a_header_key_after_a_table_belongs_to_the_table(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('id = "a"\nname = "A"\n[rules]\nversion = "1"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="version: a non-empty string is required"):
        read_header(path)
