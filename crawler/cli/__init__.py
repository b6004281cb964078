"""The ``mtwatch`` command line: run a crawl, list matches, check the configuration."""

from __future__ import annotations

import gc
import importlib
from pathlib import Path

import click

from crawler import __version__

#: command name -> "module:attribute"; a command's module is imported only when that command
#: runs (or --help lists them), so `mtwatch run` does not pay for the desk, the daemon, …
COMMANDS = {
    "demo": "crawler.cli.demo:command",
    "run": "crawler.cli.run:command",
    "show": "crawler.cli.show:command",
    "matches": "crawler.cli.matches:command",
    "check-config": "crawler.cli.config:command",
    "daemon": "crawler.cli.daemon:command",
    "status": "crawler.cli.status:command",
    "db": "crawler.cli.db:command",
    "export": "crawler.cli.export:command",
    "alerts": "crawler.cli.alerts:command",
    "match": "crawler.cli.match:command",
    "learn": "crawler.cli.learn:command",
    "rematch": "crawler.cli.match:rematch_command",
    "label": "crawler.cli.label:command",
    "explain": "crawler.cli.explain:command",
    "serve": "crawler.cli.serve:command",
    "report": "crawler.cli.report:command",
    "topics": "crawler.cli.topics:command",
    "worker": "crawler.cli.worker:command",
    "leader": "crawler.cli.leader:command",
}


class LazyGroup(click.Group):
    """The commands of :data:`COMMANDS`, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        # a command's imports only add long-lived objects (modules, classes): no garbage
        # collection while they load, and none of them is scanned by one again
        gc.disable()
        try:
            found: click.Command = getattr(importlib.import_module(module), attribute)
        finally:
            gc.freeze()
            gc.enable()
        _accept_config(found)
        return found


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtwatch")
@click.option("--config", "config_path", type=click.Path(path_type=Path), metavar="FILE",
              envvar="MTWATCH_CONFIG",
              help="TOML file overriding the shipped defaults (env: MTWATCH_CONFIG).")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """Watch The Moscow Times for articles about Syria–Turkey normalization.

    \b
    Typical use:
      mtwatch demo                      see it work in under a minute, offline
      mtwatch check-config              validate settings and show what will be used
      mtwatch run                       one crawl: fetch, detect, store, alert
      mtwatch matches --format csv      what has matched so far
      mtwatch show ID                   one match with all its evidence
      mtwatch run --fast --site http://127.0.0.1:8000   crawl the offline replica instead

    Settings come from config/mtwatch.toml, your --config file, then MTWATCH_* variables.
    --config may stand before or after the command (`mtwatch run --config FILE`).
    """
    from crawler.logsafe import install

    install()  # nothing this process logs carries a raw control character
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


def _config_after(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    """``mtwatch COMMAND --config FILE``: the same as before the command (and wins over it)."""
    if value is not None:
        ctx.find_root().ensure_object(dict)["config_path"] = value


def _accept_config(command: click.Command) -> None:
    """Give ``command`` (and every command of a group) its own --config option, once."""
    if any(param.name == "config" for param in command.params):
        return
    command.params.append(click.Option(
        ["--config"], type=click.Path(path_type=Path), metavar="FILE", expose_value=False,
        callback=_config_after, help="TOML file overriding the shipped defaults (the same "
        "as `mtwatch --config FILE COMMAND`; env: MTWATCH_CONFIG)."))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_config(sub)
