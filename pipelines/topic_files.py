"""Where a topic's rules are: a name in the shipped topics directory, or a path to a file.

``[topics] enabled`` and ``--topic`` take the same forms: ``syria-turkey`` (the file
``config/topics/syria-turkey.toml``), or a path to a ``.toml`` file (anything holding a ``/``
or ending in ``.toml``). An unknown name lists the names there are.
"""

from __future__ import annotations

from pathlib import Path


class UnknownTopicError(ValueError):
    """A topic name with no file, or a topic path that is not a file."""


def is_path(entry: str) -> bool:
    """True when ``entry`` names a file rather than a topic of the topics directory."""
    return "/" in entry or entry.endswith(".toml")


def available(topics_dir: Path) -> list[str]:
    """The topic names of ``topics_dir``, sorted."""
    return sorted(path.stem for path in Path(topics_dir).glob("*.toml"))


def topic_file(topics_dir: Path, entry: str) -> Path:
    """The rules file of ``entry`` (a name or a path); UnknownTopicError when there is none."""
    if is_path(entry):
        path = Path(entry).expanduser()
        if not path.is_file():
            raise UnknownTopicError(f"topic file not found: {entry}")
        return path
    path = Path(topics_dir) / f"{entry}.toml"
    if not path.is_file():
        names = ", ".join(available(topics_dir)) or "none"
        raise UnknownTopicError(f"unknown topic {entry!r} (available: {names}; or give the "
                                "path to a .toml file)")
    return path
