"""The ``mtwatch`` command line: run a crawl, list matches, check the configuration."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from crawler import __version__
from crawler.config import Config, ConfigError, load_config
from crawler.output import print_config, print_matches, print_outcome
from crawler.runner import CrawlOptions, run_crawl

#: exit codes (documented in the README): 0 ok, 1 run failed, 2 bad usage or config
EXIT_FAILED = 1
EXIT_CONFIG = 2


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"mtwatch: {message}", err=True)
    sys.exit(code)


def _load(ctx: click.Context, **overrides: Any) -> Config:
    """The config, or exit 2 with one line."""
    try:
        return load_config(ctx.obj["config_path"], overrides=overrides)
    except ConfigError as exc:
        _fail(str(exc), EXIT_CONFIG)


def _check(config: Config, *, store: bool = True) -> list[str]:
    """Compile the topics, validate alert channels and open the store; return warnings."""
    from pipelines.alert import build_notifiers, unconfigured_channels
    from pipelines.detect import load_matchers
    from pipelines.matcher import TopicConfigError
    from pipelines.storage import Store, StoreError

    try:
        load_matchers(config.topics_dir, config.topics.enabled)
        build_notifiers(config)
    except (TopicConfigError, ConfigError) as exc:
        _fail(str(exc), EXIT_CONFIG)
    if store:
        try:
            Store(config.store_url).close()
        except StoreError as exc:
            _fail(str(exc), EXIT_FAILED)
    return [f"alert channel {name!r} is not configured (see README, 'Alerts'): "
            "matches are stored and their alerts queued until it is"
            for name in unconfigured_channels(config)]


def _since(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date like 2023-01-31, got {value!r}") from None


since_option = click.option(
    "--since", callback=_since, metavar="YYYY-MM-DD",
    help="Only articles published on or after this day.")
db_option = click.option(
    "--db", "db_url", metavar="URL",
    help="Store URL (SQLAlchemy), e.g. sqlite:////var/lib/mtwatch/mtwatch.db. "
    "Default: MTWATCH_DB_URL, else mtwatch.db in the data directory.")


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
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


@main.command()
@click.option("--site", metavar="URL", help="Site base URL (default: the real site; "
              "e.g. the offline replica's http://127.0.0.1:PORT). Env: MTWATCH_SITE.")
@db_option
@since_option
@click.option("--refresh", is_flag=True, help="Fetch and re-evaluate articles already stored.")
@click.option("--timeout", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Kill the crawl after this long (default: crawl.run_timeout, 1800).")
@click.option("-v", "--verbose", is_flag=True,
              help="Stream the crawl's log to stderr (default: <data dir>/logs/last-run.log).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_context
def run(ctx: click.Context, site: str | None, db_url: str | None, since: date | None,
        refresh: bool, timeout: float | None, verbose: bool, as_json: bool) -> None:
    """Run one crawl now: discover, fetch, clean, detect, store, and send alerts.

    Exit status: 0 when the run was healthy (or degraded, with a warning), 1 when the site
    or the store failed, 2 for a configuration or usage error. Suitable for cron.
    """
    config = _load(ctx, site={"url": site}, store={"url": db_url})
    for warning in _check(config):
        click.echo(f"mtwatch: warning: {warning}", err=True)
    log_file = None if verbose else config.data_dir / "logs" / "last-run.log"
    options = CrawlOptions(
        site=config.site.url, config_path=ctx.obj["config_path"], db_url=config.store_url,
        since=since, refresh=refresh, timeout=timeout or config.crawl.run_timeout,
        log_file=log_file,
    )
    outcome = run_crawl(options)
    print_outcome(outcome, as_json=as_json)
    see_log = f" (log: {log_file})" if log_file else ""
    if outcome.status == "failed":
        _fail(f"run failed: {outcome.reason}{see_log}", EXIT_FAILED)
    if outcome.status == "degraded":
        click.echo(f"mtwatch: warning: run degraded: {outcome.reason}{see_log}", err=True)


@main.command()
@db_option
@since_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people, json (one object per line) or csv.")
@click.pass_context
def matches(ctx: click.Context, db_url: str | None, since: date | None, fmt: str) -> None:
    """List the articles that matched, newest first, with the evidence sentence."""
    from pipelines.storage import Store, StoreError

    config = _load(ctx, store={"url": db_url})
    try:
        store = Store(config.store_url)
    except StoreError as exc:
        _fail(str(exc), EXIT_FAILED)
    try:
        since_dt = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
        rows = store.list_matches(since=since_dt)
    finally:
        store.close()
    print_matches(rows, fmt)


@main.command("check-config")
@click.option("--no-store", is_flag=True, help="Do not try to open the store.")
@click.pass_context
def check_config(ctx: click.Context, no_store: bool) -> None:
    """Validate the configuration and show the effective settings (secrets redacted).

    Loads the same files and variables as `mtwatch run`, compiles the topic rules, checks the
    alert settings and opens the store. Exit 0 when everything is usable, 2 otherwise.
    """
    config = _load(ctx)
    warnings = _check(config, store=not no_store)
    print_config(config)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo("configuration OK")


if __name__ == "__main__":  # pragma: no cover
    main()
