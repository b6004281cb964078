"""The ``mtwatch`` command line: run a crawl, list matches, check the configuration."""

from __future__ import annotations

from pathlib import Path

import click

from crawler import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtwatch")
@click.option("--config", "config_path", type=click.Path(path_type=Path), metavar="FILE",
              envvar="MTWATCH_CONFIG",
              help="TOML file overriding the shipped defaults (env: MTWATCH_CONFIG).")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None) -> None:
    """Watch The Moscow Times for articles about Syria–Turkey normalization.

    \b
    Typical use:
      mtwatch check-config              validate settings and show what will be used
      mtwatch run                       one crawl: fetch, detect, store, alert
      mtwatch matches --format csv      what has matched so far
      mtwatch run --site http://127.0.0.1:8000   crawl the offline replica instead

    Settings come from config/mtwatch.toml, your --config file, then MTWATCH_* variables.
    """
    from crawler.logsafe import install

    install()  # nothing this process logs carries a raw control character
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


def _register() -> None:
    """Attach the commands, one module per area."""
    from crawler.cli import (
        alerts,
        config,
        daemon,
        db,
        explain,
        export,
        label,
        match,
        matches,
        report,
        run,
        serve,
        status,
    )

    for module in (run, matches, config, daemon, status, db, export, alerts, match, label,
                   explain, serve, report):
        main.add_command(module.command)
    main.add_command(match.rematch_command)


_register()
