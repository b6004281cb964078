"""Load topic TOML files into validated Topic objects."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pipelines.topic_files import rule_version

from . import sections
from .reader import Reader, Table, TopicConfigError
from .topic import Topic

__all__ = ["TopicConfigError", "load_topic", "load_topics"]


def load_topic(path: Path) -> Topic:
    """Load and validate one topic file (parsed once per process for the same content: a
    crawl's pipelines each load the enabled topics)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TopicConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return _parsed(str(path), raw)


@lru_cache(maxsize=16)
def _parsed(path: str, raw: bytes) -> Topic:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TopicConfigError(f"{path}: invalid TOML: {exc}") from exc
    return _topic(Reader(Path(path)), data, raw)


def load_topics(directory: Path) -> list[Topic]:
    """Load every ``*.toml`` topic in a directory, sorted by file name."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TopicConfigError(f"{directory}: not a directory")
    topics = [load_topic(path) for path in sorted(directory.glob("*.toml"))]
    seen: dict[str, str] = {}
    for topic in topics:
        if topic.id in seen:
            raise TopicConfigError(f"{topic.source}: id: duplicates {seen[topic.id]}")
        seen[topic.id] = topic.source
    return topics


_TOP_KEYS = {"id", "name", "version", "windows", "entities", "third_parties", "cues", "grades",
             "context", "exclusions", "rules", "institutions", "coreference", "historic"}


def _topic(reader: Reader, data: Table, raw: bytes) -> Topic:
    reader.only(data, _TOP_KEYS, "")
    version = reader.text(data, "version")
    cues = sections.cues(reader, reader.table(data, "cues"))
    exclusions = sections.exclusions(reader, data.get("exclusions", []))
    return Topic(
        id=reader.text(data, "id"),
        name=reader.text(data, "name"),
        version=version,
        rule_version=rule_version(version, raw),
        source=str(reader.path),
        sides=sections.sides(reader, reader.table(data, "entities")),
        third_parties=reader.words(data, "third_parties", required=False),
        cues=cues,
        grades=sections.grades(reader, reader.table(data, "grades")),
        context=sections.context(reader, reader.table(data, "context")),
        windows=sections.windows(reader, data.get("windows", {})),
        exclusions=exclusions,
        rules=sections.rules(reader, data.get("rules"), cues, exclusions),
        institutions=sections.phrases(reader, data, "institutions"),
        coreference=sections.coreference(reader, data.get("coreference", {})),
        historic=sections.historic(reader, data.get("historic", {})),
    )
