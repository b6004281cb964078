"""Where a topic's rules are: a name in the shipped topics directory, or a path to a file.

``[topics] enabled`` and ``--topic`` take the same forms: ``syria-turkey`` (the file
``syria-turkey.toml`` of the user's topics folder, ``$XDG_CONFIG_HOME/mtwatch/topics``, else of
the shipped ``config/topics``), or a path to a ``.toml`` file (anything holding a ``/``
or ending in ``.toml``). An unknown name lists the names there are.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: one topics folder, or several searched in order (the user's first, then the shipped one)
TopicDirs = Path | Sequence[Path]


def _dirs(topics_dir: TopicDirs) -> list[Path]:
    return [topics_dir] if isinstance(topics_dir, Path | str) else [Path(d) for d in topics_dir]


class UnknownTopicError(ValueError):
    """A topic name with no file, or a topic path that is not a file."""


def is_path(entry: str) -> bool:
    """True when ``entry`` names a file rather than a topic of the topics directory."""
    return "/" in entry or entry.endswith(".toml")


def available(topics_dir: TopicDirs) -> list[str]:
    """The topic names of ``topics_dir`` (every folder of it), sorted."""
    return sorted({path.stem for folder in _dirs(topics_dir)
                   for path in Path(folder).glob("*.toml")})


def topic_file(topics_dir: TopicDirs, entry: str) -> Path:
    """The rules file of ``entry`` (a name or a path); UnknownTopicError when there is none."""
    if is_path(entry):
        path = Path(entry).expanduser()
        if not path.is_file():
            raise UnknownTopicError(f"topic file not found: {entry}")
        return path
    for folder in _dirs(topics_dir):
        path = Path(folder) / f"{entry}.toml"
        if path.is_file():
            return path
    names = ", ".join(available(topics_dir)) or "none"
    raise UnknownTopicError(f"unknown topic {entry!r} (available: {names}; or give the "
                            "path to a .toml file)")


def rule_version(version: str, raw: bytes) -> str:
    """A topic's rule version: its declared ``version`` and a digest of the file's bytes (a
    changed rule with a forgotten version bump is still a new version)."""
    return f"{version}:{hashlib.sha256(raw).hexdigest()[:12]}"


@dataclass(frozen=True)
class TopicHeader:
    """What a crawl needs of a topic before it evaluates anything: who it is and which rules.

    Read with ``tomllib`` alone, without compiling the rules (an idle poll never needs them);
    the rules' own loader (``pipelines.matcher.loader``) validates the whole file."""

    id: str
    name: str
    rule_version: str


#: the first table header of a TOML text (``[table]`` or ``[[array]]`` at a line's start)
_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
_HEADER_KEYS = ("id", "name", "version")
_OPINION_TABLE = re.compile(r"^[ \t]*\[second_opinion\][ \t]*(#.*)?$", re.MULTILINE)


def _header_fields(text: str) -> dict[str, object]:
    """``id``, ``name`` and ``version`` of the file's root table. Read from the text before
    its first table header (a root key cannot come after one) when that parses: a topic's rules
    are some 90 KB of TOML, and tomllib is pure Python. A cut that fell inside a string or an
    array does not parse (it is left open), and the whole text is read."""
    cut = _TABLE_HEADER.search(text)
    if cut is not None:
        try:
            root = tomllib.loads(text[:cut.start()])
        except tomllib.TOMLDecodeError:
            pass
        else:
            if all(key in root for key in _HEADER_KEYS):
                return {key: root[key] for key in _HEADER_KEYS}
    data = tomllib.loads(text)
    return {key: data.get(key) for key in _HEADER_KEYS}


def read_header(path: Path) -> TopicHeader:
    """The header of a topic file; ValueError (naming the file) when it cannot be read. The
    rest of the file is not checked here: the rules' own loader validates it."""
    try:
        raw = Path(path).read_bytes()
        fields = _header_fields(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    missing = [key for key, value in fields.items() if not isinstance(value, str) or not value]
    if missing:
        raise ValueError(f"{path}: {', '.join(missing)}: a non-empty string is required")
    return TopicHeader(str(fields["id"]), str(fields["name"]),
                       rule_version(str(fields["version"]), raw + opinion_digest(path, raw)))


def model_digest(path: Path) -> bytes:
    """What a topic's second-opinion model file adds to its rule version: the digest of its
    bytes (a relearned model changes verdicts as an edited rule does); empty when the file
    cannot be read (the rules' loader then says why)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest().encode()
    except OSError:
        return b""


def opinion_digest(path: Path, raw: bytes) -> bytes:
    """:func:`model_digest` of the model the ``[second_opinion]`` table of a topic file (at
    ``path``, its bytes ``raw``) names, read from that table alone (the file's other tables
    are not parsed here); empty without one."""
    try:
        text = raw.decode("utf-8")
        start = _OPINION_TABLE.search(text)
        if start is None:
            return b""
        rest = text[start.end():]
        end = _TABLE_HEADER.search(rest)
        model = tomllib.loads(rest[:end.start()] if end else rest).get("model")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):  # the rules' loader says what
        return b""
    return model_digest(Path(path).parent / model) if isinstance(model, str) else b""


@dataclass(frozen=True, slots=True)
class Found:
    """A topic file of a topics folder: its name, path and folder (0: searched first).
    ``shadowed``: an earlier folder has a file of the same name, which ``topic_file`` picks."""

    name: str
    path: Path
    folder: int
    shadowed: bool = False


def listing(topics_dir: TopicDirs) -> list[Found]:
    """Every topic file of the folders, the folders in search order, names sorted in each."""
    found: list[Found] = []
    seen: set[str] = set()
    for number, folder in enumerate(_dirs(topics_dir)):
        for path in sorted(Path(folder).glob("*.toml")):
            found.append(Found(path.stem, path, number, path.stem in seen))
        seen |= {item.name for item in found}
    return found
