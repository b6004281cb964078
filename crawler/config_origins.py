"""Where each configuration value came from, so that an error names it: ``--db``,
``MTWATCH_DB_URL`` or ``store.url in /etc/mtwatch.toml`` — and an unknown key gets the
nearest known one."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

Path_ = tuple[str, ...]

#: the MTWATCH_* variable behind each config key it sets
ENV_NAMES: dict[Path_, str] = {
    ("site", "url"): "MTWATCH_SITE",
    ("sites", "moscowtimes", "url"): "MTWATCH_SITE",
    ("only_site",): "MTWATCH_SITE",
    ("store", "url"): "MTWATCH_DB_URL",
    ("cluster", "redis_url"): "MTWATCH_REDIS_URL",
    ("alerts", "channels"): "MTWATCH_ALERT_CHANNELS",
    ("alerts", "email", "host"): "MTWATCH_SMTP_HOST",
    ("alerts", "email", "port"): "MTWATCH_SMTP_PORT",
    ("alerts", "email", "user"): "MTWATCH_SMTP_USER",
    ("alerts", "email", "password"): "MTWATCH_SMTP_PASSWORD",
    ("alerts", "email", "security"): "MTWATCH_SMTP_SECURITY",
    ("alerts", "email", "sender"): "MTWATCH_EMAIL_FROM",
    ("alerts", "email", "recipients"): "MTWATCH_EMAIL_TO",
    ("alerts", "webhook", "url"): "MTWATCH_WEBHOOK_URL",
    ("alerts", "webhook", "secret"): "MTWATCH_WEBHOOK_SECRET",
    ("alerts", "webhook", "secret_file"): "MTWATCH_WEBHOOK_SECRET_FILE",
    ("alerts", "apprise", "urls"): "MTWATCH_APPRISE_URLS",
}


@dataclass(frozen=True)
class Origin:
    """One source of values: a file, the environment, or command-line options."""

    kind: str  # "file" | "env" | "option"
    name: str = ""  # the file; for options, labels by key ("--db")
    labels: Mapping[Path_, str] = field(default_factory=dict)

    def label(self, path: Path_) -> str:
        dotted = ".".join(path)
        if self.kind == "file":
            return f"{dotted} in {self.name}"
        if self.kind == "env":
            return ENV_NAMES.get(path, f"{dotted} (environment)")
        return self.labels.get(path, f"{dotted} (command line)")


@dataclass
class Origins:
    """The last source that set each key (files, then environment, then options)."""

    by_key: dict[Path_, Origin] = field(default_factory=dict)

    def add(self, tree: Mapping[str, Any], origin: Origin) -> None:
        for path in _leaves(tree):
            self.by_key[path] = origin

    def of(self, path: Path_) -> Origin | None:
        """The origin of ``path``, of its nearest ancestor (a list item's list), or of a value
        inside it (a whole table)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.by_key:
                return self.by_key[path[:end]]
        inside = [o for key, o in self.by_key.items() if key[: len(path)] == path]
        return inside[-1] if inside else None

    def label(self, path: Path_) -> str:
        origin = self.of(path)
        return origin.label(self._key(path)) if origin else ".".join(path)

    def _key(self, path: Path_) -> Path_:
        for end in range(len(path), 0, -1):
            if path[:end] in self.by_key:
                return path[:end]
        return path

    def labels(self) -> dict[str, str]:
        """Every key set by a file, variable or option → where from (for later messages)."""
        return {".".join(path): origin.label(path) for path, origin in self.by_key.items()}


def _leaves(tree: Mapping[str, Any], prefix: Path_ = ()) -> Iterator[Path_]:
    for key, value in tree.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping) and value:
            yield from _leaves(value, path)
        else:
            yield path


def describe(exc: ValidationError, origins: Origins, model: type[BaseModel]) -> str:
    """The first validation error as one line naming where the bad value came from."""
    err = exc.errors()[0]
    path = tuple(str(part) for part in err["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    if err["type"] == "extra_forbidden":
        return unknown_key(path, origins, model) + more
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{origins.label(path)}: {message}{more}"


def unknown_key(path: Path_, origins: Origins, model: type[BaseModel]) -> str:
    """``unknown key 'crawl.dowload_delay' in FILE; did you mean 'download_delay'?``"""
    origin = origins.of(path)
    where = f" in {origin.name}" if origin and origin.kind == "file" else ""
    known = known_keys(model, path[:-1])
    close = difflib.get_close_matches(path[-1], known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else (
        f" (known keys: {', '.join(known)})" if known else "")
    return f"unknown key '{'.'.join(path)}'{where}{hint}"


def known_keys(model: type[BaseModel], parent: Path_) -> list[str]:
    """The keys a table accepts, found by walking the config model."""
    parts = iter(parent)
    for part in parts:
        field_info = model.model_fields.get(part)
        annotation = field_info.annotation if field_info else None
        if get_origin(annotation) is dict:  # a table of named tables ([sites.<name>])
            annotation = get_args(annotation)[1]
            if next(parts, None) is None:
                return []
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return [name for name, info in model.model_fields.items()
            if not info.exclude and name not in ("sources", "data_dir", "origins")]
