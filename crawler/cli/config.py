"""`mtwatch check-config`: validate everything a run needs and show the effective settings."""

from __future__ import annotations

import click

from crawler.cli.common import check, exposure_warnings, load
from crawler.output import print_config
from crawler.politeness import ignored_note


@click.command("check-config")
@click.option("--no-store", is_flag=True, help="Do not try to open the store.")
@click.pass_context
def command(ctx: click.Context, no_store: bool) -> None:
    """Validate the configuration and show the effective settings (secrets redacted).

    Loads the same files and variables as `mtwatch run`, compiles the topic rules, checks the
    alert settings and opens the store. Exit 0 when everything is usable, 2 otherwise.
    """
    config = load(ctx)
    warnings = check(config, store=not no_store, strict_channels=True) + exposure_warnings(config)
    if config.crawl.fast_on_loopback and not config.politeness_lifted:
        warnings.append(ignored_note(config.site.url))
    print_config(config)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo("configuration OK")
