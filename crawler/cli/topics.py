"""`mtwatch topics`: the topic files found (the user's topics folder first, then the shipped
one, then files [topics] enabled names by path), their form, versions and whether enabled."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from crawler.cli.common import EXIT_CONFIG, load
from crawler.config import Config
from pipelines.untrusted import clean_line


@dataclass(frozen=True)
class Row:
    """One topic file as listed."""

    name: str
    path: Path
    origin: str
    enabled: bool
    shadowed: bool
    id: str = ""
    form: str = ""
    version: str = ""
    rule_version: str = ""
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "form": self.form, "version": self.version,
                "rule_version": self.rule_version, "enabled": self.enabled,
                "origin": self.origin, "shadowed": self.shadowed, "path": str(self.path),
                "error": self.error or None}


def rows(config: Config) -> list[Row]:
    """Every topic file, loaded (a file that does not load is listed with its error)."""
    from pipelines.topic_files import UnknownTopicError, listing, topic_file

    enabled: set[Path] = set()
    extra: list[Path] = []
    for entry in config.topics.enabled:
        try:
            path = topic_file(config.topics_dir, entry).resolve()
        except UnknownTopicError:
            continue  # the config was validated: only a file removed since
        enabled.add(path)
        extra.append(path)
    folders = config.topics_dir
    origins = (["user", "shipped"] if len(folders) == 2 else ["shipped"])
    found = [(item.name, item.path, origins[item.folder], item.shadowed)
             for item in listing(folders)]
    listed = {path.resolve() for _, path, _, _ in found}
    found += [(path.stem, path, "path", False) for path in dict.fromkeys(extra)
              if path not in listed]
    return [_row(name, path, origin, path.resolve() in enabled and not shadowed, shadowed)
            for name, path, origin, shadowed in found]


def _row(name: str, path: Path, origin: str, enabled: bool, shadowed: bool) -> Row:
    from pipelines.matcher import TopicConfigError, load_topic

    try:
        topic = load_topic(path)
    except TopicConfigError as exc:
        return Row(name, path, origin, enabled, shadowed, error=str(exc))
    return Row(name, path, origin, enabled, shadowed, topic.id, topic.form, topic.version,
               topic.rule_version)


@click.command("topics")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per topic file.")
@click.pass_context
def command(ctx: click.Context, as_json: bool) -> None:
    """List the topics: name, form (rules or query), version, rule version, enabled or not.

    \b
    Folders, searched in this order for a name in [topics] enabled or --topic:
      the user's topics folder ($XDG_CONFIG_HOME/mtwatch/topics), then the shipped one.
    A file of the user's folder shadows the shipped file of the same name. A topic file
    that does not load is listed with its error, and the exit status is 2.
    """
    config = load(ctx)
    listed = rows(config)
    if as_json:
        for row in listed:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
    else:
        _print(config, listed)
    if any(row.error for row in listed):
        ctx.exit(EXIT_CONFIG)


def _print(config: Config, listed: list[Row]) -> None:
    for number, folder in enumerate(config.topics_dir):
        label = "user topics" if number == 0 and len(config.topics_dir) == 2 else "shipped"
        state = "" if folder.is_dir() else " (no such folder yet)"
        click.echo(f"{label + ':':<13} {clean_line(str(folder))}{state}")
    if not listed:
        click.echo("no topic files")
        return
    click.echo(f"\n{'NAME':<24} {'FORM':<6} {'VERSION':<9} {'RULE VERSION':<22} "
               f"{'ENABLED':<8} ORIGIN")
    for row in listed:
        name = clean_line(row.name)[:24]
        if row.error:
            click.echo(f"{name:<24} {'error':<6} {clean_line(row.error)}")
            continue
        note = " (shadowed by the user's file)" if row.shadowed else ""
        origin = row.origin if row.origin != "path" else clean_line(str(row.path))
        click.echo(f"{name:<24} {row.form:<6} {clean_line(row.version)[:9]:<9} "
                   f"{clean_line(row.rule_version)[:22]:<22} "
                   f"{'yes' if row.enabled else 'no':<8} {origin}{note}")
