"""Typed access to parsed TOML tables, failing with one line that names the file and key."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .fold import fold

Table = dict[str, Any]


class TopicConfigError(ValueError):
    """A topic file is missing, is not valid TOML, or does not follow the schema."""


class Reader:
    """Typed access to a parsed TOML table that names the file and key on errors."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> TopicConfigError:
        return TopicConfigError(f"{self.path}: {key}: {problem}")

    def table(self, data: Table, key: str, prefix: str = "") -> Table:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.fail(prefix + key, "missing or not a table")
        return value

    def text(self, data: Table, key: str, prefix: str = "") -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(prefix + key, "missing or not a non-empty string")
        return value

    def words(self, data: Table, key: str, prefix: str = "", *,
              required: bool = True) -> tuple[str, ...]:
        value = data.get(key, None if required else [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(prefix + key, "missing or not a list of non-empty strings")
        return tuple(norm(item) for item in value)

    def number(self, data: Table, key: str, default: int, prefix: str = "") -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 50:
            raise self.fail(prefix + key, "must be an integer between 0 and 50")
        return value

    def flag(self, data: Table, key: str, prefix: str = "") -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(prefix + key, "must be true or false")
        return value

    def choice(self, data: Table, key: str, allowed: tuple[str, ...], prefix: str = "") -> str:
        value = data.get(key)
        if value not in allowed:
            raise self.fail(prefix + key, f"must be one of {', '.join(allowed)}")
        return str(value)

    def day(self, data: Table, key: str, prefix: str = "") -> date | None:
        value = data.get(key)
        if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(prefix + key, "must be a date such as 2024-12-08")

    def only(self, data: Table, allowed: set[str], prefix: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(prefix + unknown[0], "unknown key")


def norm(term: str) -> str:
    """Fold a lexicon term the same way document text is folded."""
    return " ".join(fold(term).text.split())
