"""Load topic TOML files into validated Topic objects."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.topic_files import opinion_digest, rule_version

from . import sections
from .query import DEFAULT_RULE, QueryTopic
from .querylang import Node, QuerySyntaxError, parse
from .reader import Reader, Table, TopicConfigError
from .topic import Topic

if TYPE_CHECKING:
    from .opinion import SecondOpinion

__all__ = ["TopicConfigError", "load_topic", "load_topics"]
logger = logging.getLogger(__name__)


def load_topic(path: Path, *, second_opinion: bool = True) -> Topic | QueryTopic:
    """Load and validate one topic file (parsed once per process for the same content: a
    crawl's pipelines each load the enabled topics). ``second_opinion=False``: the rules
    alone, its ``[second_opinion]`` table not read (``mtwatch learn`` writes that model)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TopicConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    # the model's digest is part of the key: a relearned model is read again
    return _parsed(str(path), raw, opinion_digest(path, raw) if second_opinion else None)


def topic_table(path: Path) -> Table:
    """A topic file's TOML as parsed (TopicConfigError when it cannot be read)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise TopicConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return _toml(str(path), raw)


def _toml(path: str, raw: bytes) -> Table:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TopicConfigError(f"{path}: invalid TOML: {exc}") from exc


@lru_cache(maxsize=16)
def _parsed(path: str, raw: bytes, model: bytes | None) -> Topic | QueryTopic:
    """``model``: the digest of the second opinion's model file (None: the rules alone)."""
    data = _toml(path, raw)
    if "query" in data:
        return _query_topic(Reader(Path(path)), data, raw)
    if model is None:
        data = {key: value for key, value in data.items() if key != "second_opinion"}
    return _topic(Reader(Path(path)), data, raw, model or b"")


def load_topics(directory: Path) -> list[Topic | QueryTopic]:
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
             "context", "exclusions", "rules", "institutions", "coreference", "historic",
             "second_opinion"}


def _topic(reader: Reader, data: Table, raw: bytes, model: bytes) -> Topic:
    reader.only(data, _TOP_KEYS, "")
    version = reader.text(data, "version")
    cues = sections.cues(reader, reader.table(data, "cues"))
    exclusions = sections.exclusions(reader, data.get("exclusions", []))
    sides = sections.sides(reader, reader.table(data, "entities"))
    coreference = sections.coreference(reader, data.get("coreference", {}))
    strangers = [item.side for item in coreference.defaults
                 if item.side not in {side.name for side in sides}]
    if strangers:
        raise reader.fail("coreference.defaults", f"unknown side {strangers[0]!r}")
    unknown = sorted(coreference.apart - {item.id for item in exclusions})
    if unknown:
        raise reader.fail("coreference.apart", f"unknown exclusion id {unknown[0]!r}")
    topic = Topic(
        id=reader.text(data, "id"),
        name=reader.text(data, "name"),
        version=version,
        rule_version=rule_version(version, raw),
        source=str(reader.path),
        sides=sides,
        third_parties=reader.words(data, "third_parties", required=False),
        cues=cues,
        grades=sections.grades(reader, reader.table(data, "grades")),
        context=sections.context(reader, reader.table(data, "context")),
        windows=sections.windows(reader, data.get("windows", {})),
        exclusions=exclusions,
        rules=sections.rules(reader, data.get("rules"), cues, exclusions),
        institutions=sections.phrases(reader, data, "institutions"),
        coreference=coreference,
        historic=sections.historic(reader, data.get("historic", {})),
    )
    opinion = _second_opinion(reader, data)  # read last: the rules' own errors come first
    if opinion is None:
        return topic
    # a relearned model changes verdicts as an edited rule does
    return replace(topic, second_opinion=opinion, rule_version=rule_version(version, raw + model))


def _second_opinion(reader: Reader, data: Table) -> SecondOpinion | None:
    """``[second_opinion] model = "FILE.npz"`` (beside the topic file), ``threshold``."""
    if "second_opinion" not in data:
        return None
    from .opinion import OpinionError, OpinionModel, SecondOpinion, rules_digest

    table = reader.table(data, "second_opinion")
    reader.only(table, {"model", "threshold"}, "second_opinion.")
    path = reader.path.parent / reader.text(table, "model", "second_opinion.")
    threshold = table.get("threshold")
    if (not isinstance(threshold, float | int) or isinstance(threshold, bool)
            or not 0 < threshold < 1):
        raise reader.fail("second_opinion.threshold",
                          "must be a probability above 0 and below 1, such as 0.85")
    try:
        model = OpinionModel.load(path)
    except OpinionError as exc:
        raise reader.fail("second_opinion.model", str(exc)) from None
    if model.meta.get("rules_sha256") != rules_digest(data):
        logger.warning("%s: second_opinion.model %s was learned beside other rules: relearn "
                       "it with `mtwatch learn`", reader.path, path.name)
    return SecondOpinion(model, float(threshold), str(path))


_QUERY_KEYS = {"id", "name", "version", "query", "language", "window", "development", "rule"}
MAX_WINDOW = 10


def _query_topic(reader: Reader, data: Table, raw: bytes) -> QueryTopic:
    """A quick topic: ``query`` (and an optional ``development`` query for the grade)."""
    reader.only(data, _QUERY_KEYS, "")
    version = reader.text(data, "version")
    window = data.get("window", 1)
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= MAX_WINDOW:
        raise reader.fail("window", f"expected a number of sentences from 1 to {MAX_WINDOW}")
    language = data.get("language", [])
    languages = [language] if isinstance(language, str) else language
    if not isinstance(languages, list) or not all(
            isinstance(item, str) and item.strip() for item in languages):
        raise reader.fail("language", "expected a language code (\"en\") or a list of them")
    rule = data.get("rule", DEFAULT_RULE)
    if not isinstance(rule, str) or not rule.strip():
        raise reader.fail("rule", "expected a non-empty string naming the rule")
    development = (_query(reader, data, "development") if "development" in data else None)
    return QueryTopic(
        id=reader.text(data, "id"),
        name=reader.text(data, "name"),
        version=version,
        rule_version=rule_version(version, raw),
        source=str(reader.path),
        query=reader.text(data, "query"),
        node=_query(reader, data, "query"),
        languages=tuple(item.strip().lower() for item in languages),
        window=window,
        development=development,
        rule=rule.strip(),
    )


def _query(reader: Reader, data: Table, key: str) -> Node:
    text = reader.text(data, key)
    try:
        return parse(text)
    except QuerySyntaxError as exc:
        shown = text if len(text) <= 200 else text[:199] + "…"
        raise reader.fail(key, f"{exc} (in {shown!r})") from exc


def query_topic(query: str, *, topic_id: str = "query", window: int = 1,
                languages: tuple[str, ...] = (), development: str | None = None) -> QueryTopic:
    """A quick topic from a query string (tests, one-off checks); QuerySyntaxError when the
    query does not parse."""
    raw = query.encode("utf-8")
    return QueryTopic(id=topic_id, name=topic_id, version="0",
                      rule_version=rule_version("0", raw), source="<query>",
                      query=query, node=parse(query), languages=languages, window=window,
                      development=None if development is None else parse(development))
