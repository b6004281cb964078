"""Shared pieces of the command line: exit codes, one-line failures, config loading, options."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any, NoReturn

import click

from crawler.config import Config, ConfigError, load_config
from pipelines.untrusted import clean_line

#: exit codes (documented in the README): 0 ok, 1 run failed, 2 bad usage or config
EXIT_FAILED = 1
EXIT_CONFIG = 2
#: the options behind config overrides, named in errors about their values
OPTION_LABELS = {"site.url": "--site", "store.url": "--db", "schedule.interval": "--interval",
                 "schedule.cron": "--cron", "schedule.timezone": "--timezone",
                 "daemon.log_file": "--log-file"}


def fail(message: str, code: int) -> NoReturn:
    """Print one line to stderr and exit with ``code``: never a traceback for a user mistake.
    The message may quote the site, a receiver or a file: it is printed as plain text."""
    click.echo(f"mtwatch: {clean_line(message)}", err=True)
    sys.exit(code)


def load(ctx: click.Context, **overrides: Any) -> Config:
    """The config, or exit 2 with one line."""
    try:
        return load_config(ctx.obj["config_path"], overrides=overrides,
                           override_labels=OPTION_LABELS)  # fmt: skip
    except ConfigError as exc:
        fail(str(exc), EXIT_CONFIG)


def store_error(config: Config, exc: Exception) -> str:
    """A store that cannot be opened, and where its URL came from."""
    return f"{exc} (store URL from {config.origin('store.url')})"


def check(config: Config, *, store: bool = True, strict_channels: bool = False,
          remembered_topics: bool = False) -> list[str]:
    """Compile the topics, validate alert channels and open the store; return warnings.

    A channel whose settings cannot work is an error with ``strict_channels`` (check-config);
    for a crawl it is a warning: the crawl runs, that channel is held with the fix.
    ``remembered_topics``: a topic file that compiled before, unchanged, under the same rules
    engine, is not compiled again (crawler.cli.topiccheck; `mtwatch run`)."""
    from pipelines.wiring import build_notifiers, unconfigured_channels, unusable_channels

    try:
        if remembered_topics:
            from crawler.cli.topiccheck import check_topics

            check_topics(config.topics_dir, config.topics.enabled, config.data_dir / "cache")
        else:
            from pipelines.wiring import load_matchers

            load_matchers(config.topics_dir, config.topics.enabled)
        notifiers = build_notifiers(config, strict=strict_channels)
    except ConfigError as exc:
        fail(str(exc), EXIT_CONFIG)
    except ValueError as exc:  # the rules engine is imported only when a topic is compiled
        matcher = sys.modules.get("pipelines.matcher")
        if matcher is None or not isinstance(exc, matcher.TopicConfigError):
            raise
        fail(str(exc), EXIT_CONFIG)
    if store:
        from pipelines.storage import Store, StoreError

        try:
            Store(config.store_url).close()
        except StoreError as exc:
            fail(store_error(config, exc), EXIT_FAILED)
    warnings = [f"alert channel {name!r} is not configured (see README, 'Alerts'): "
                "matches are stored and their alerts queued until it is"
                for name in unconfigured_channels(config)]
    warnings += [f"alert channel {n.channel!r} cannot be used: {n.problem}; its alerts are "
                 f"held until you {n.fix}" for n in unusable_channels(notifiers)]
    return warnings


def exposure_warnings(config: Config) -> list[str]:
    """The data directory and the SQLite store, when other users may read them: their modes
    are the operator's choice, so this says so and changes nothing."""
    from pipelines.storage.database import sqlite_path
    from pipelines.storage.files import exposure

    found = [(f"data directory {config.data_dir}", exposure(config.data_dir), "700")]
    if (store := sqlite_path(config.store_url)) is not None:
        found.append((f"store {store}", exposure(store), "600"))
    return [f"{what} is open to other users ({how}) and holds the alert outbox and error "
            f"texts: chmod {mode} it unless that is on purpose"
            for what, how, mode in found if how]


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


