"""`mtwatch alerts`: list the outbox, replay an alert, test the channels, re-enable a channel."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, db_option, fail, load, store_error
from crawler.config import Config, ConfigError
from crawler.output import JSON_HELP

if TYPE_CHECKING:
    from pipelines.alerts import Notifier
    from pipelines.storage import Store
    from pipelines.storage.outbox import OutboxRow

STATUSES = ("pending", "sending", "sent", "dead")


@click.group("alerts")
@click.option("-v", "--verbose", is_flag=True, help="Show delivery log messages on stderr.")
def command(verbose: bool) -> None:
    """The alert outbox: what was sent, what waits, what died, and channel tests.

    \b
      mtwatch alerts list --status dead     alerts that gave up (after all retries)
      mtwatch alerts retry 12               send alert 12 again now, with the same id
      mtwatch alerts retry --all            every dead and waiting alert, now
      mtwatch alerts test                   a test message through every configured channel
      mtwatch alerts enable webhook         resume a held channel (e.g. disabled by a 410)
    """
    # the commands print one line per outcome; the log repeats them only when asked
    logging.basicConfig(level=logging.INFO if verbose else logging.CRITICAL,
                        format="mtwatch: %(levelname)s: %(message)s", stream=sys.stderr)


@contextmanager
def _store(config: Config) -> Iterator[Store]:
    from pipelines.storage import Store, StoreError

    try:
        store = Store(config.store_url)
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)
    try:
        yield store
    finally:
        store.close()


def _notifiers(config: Config) -> dict[str, Notifier]:
    from pipelines.wiring import build_notifiers

    try:
        return build_notifiers(config)
    except ConfigError as exc:
        fail(str(exc), EXIT_CONFIG)


@command.command("list")
@db_option
@click.option("--status", type=click.Choice(STATUSES), help="Only alerts in this state.")
@click.option("--channel", metavar="NAME",
              help="Only this channel (email, webhook, apprise; a watch's own: email:WATCH).")
@click.option("--watch", metavar="NAME", help="Only the alerts of this watch ([watches.NAME]).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]),
              default="table", show_default=True,
              help=f"table for people (times in UTC); {JSON_HELP}.")
@click.option("--json", "as_jsonl", is_flag=True, hidden=True,
              help="The same as --format jsonl (kept for scripts).")
@click.pass_context
def list_command(ctx: click.Context, db_url: str | None, status: str | None,
                 channel: str | None, watch: str | None, fmt: str,
                 as_jsonl: bool) -> None:  # fmt: skip
    """List outbox rows, oldest first: alerts, updates, digests and operator notices, each
    with its watch ("-": a config without watches, an operator notice)."""
    from crawler.output import write_json

    config = load(ctx, store={"url": db_url})
    with _store(config) as store:
        rows = store.outbox_rows(status=status, channel=channel, watch=watch)
    fmt = "jsonl" if as_jsonl else fmt
    if fmt != "table":
        write_json((_row_dict(row) for row in rows), fmt)
        return
    _print_table(rows)


def _row_dict(row: OutboxRow) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": row.id, "site": row.site, "watch": row.watch or None, "channel": row.channel,
        "kind": row.kind,
        "status": row.status,
        "attempts": row.attempts, "key": row.idempotency_key, "refers_to": row.refers_to,
        "digest_id": row.digest_id, "batch": row.batch,
        "next_attempt_at": when(row.next_attempt_at),
        "sent_at": when(row.sent_at), "last_error": row.last_error, "about": _about(row),
    }  # fmt: skip


def _about(row: OutboxRow) -> str:
    payload = row.payload
    if row.kind == "digest":
        return f"{payload.get('every', '')} digest of {len(payload.get('items') or [])} alert(s)"
    if row.kind == "notice":
        return f"notice: {payload.get('event', '')} {payload.get('channel', '')} alert".strip()
    return str(payload.get("headline") or payload.get("url") or "")


def _print_table(rows: list[OutboxRow]) -> None:
    from rich.console import Console
    from rich.table import Table

    from crawler.output import cell, utc_time

    table = Table(title=cell(f"{len(rows)} alert(s)"))
    for name in ("id", "site", "watch", "channel", "kind", "status", "tries", "when", "about",
                 "error"):
        table.add_column(cell(name), overflow="fold")
    for row in rows:
        moment = row.sent_at if row.status == "sent" else row.next_attempt_at
        status = f"{row.status} (digest {row.digest_id})" if row.digest_id else (
            f"{row.status} (waits for the {row.batch} digest)" if row.batch else row.status)
        table.add_row(cell(row.id), cell(row.site or "-"), cell(row.watch or "-"),
                      cell(row.channel), cell(row.kind),
                      cell(status),
                      cell(row.attempts), cell(utc_time(moment)),
                      cell(_about(row)[:80]), cell((row.last_error or "")[:120]))  # fmt: skip
    Console().print(table)


@command.command("retry")
@db_option
@click.argument("alert_id", type=int, metavar="[ID]", required=False)
@click.option("--all", "every", is_flag=True,
              help="Every dead and waiting alert (narrow with --status, --channel).")
@click.option("--status", type=click.Choice(("dead", "pending")),
              help="With --all: only dead alerts, or only waiting ones.")
@click.option("--channel", metavar="NAME", help="With --all: only this channel.")
@click.pass_context
def retry_command(ctx: click.Context, db_url: str | None, alert_id: int | None, every: bool,
                  status: str | None, channel: str | None) -> None:  # fmt: skip
    """Send a dead (or waiting) alert now, with its original id (Message-ID, webhook-id).

    With --all, every dead and waiting alert (of one --status, one --channel) is sent now,
    each with its original id; held channels are tried (even one disabled by HTTP 410).
    Exit status 1 if any of them is not delivered.
    """
    if every == (alert_id is not None):
        fail("give an alert ID or --all (see `mtwatch alerts list`)", EXIT_CONFIG)
    if not every and (status or channel):
        fail("--status and --channel go with --all", EXIT_CONFIG)
    config = load(ctx, store={"url": db_url})
    notifiers = _notifiers(config)
    if every:
        _retry_all(config, notifiers, (status,) if status else ("dead", "pending"), channel)
    else:
        assert alert_id is not None
        _retry_one(config, notifiers, alert_id)


def _retry_one(config: Config, notifiers: dict[str, Notifier], alert_id: int) -> None:
    from pipelines.alerts.mail import message_id
    from pipelines.alerts.replay import ReplayError, replay
    from pipelines.wiring import delivery_plan, retry_policy

    with _store(config) as store:
        try:
            row = replay(store, notifiers, alert_id, now=datetime.now(UTC),
                         policy=retry_policy(config), plan=delivery_plan(config))  # fmt: skip
        except ReplayError as exc:
            fail(str(exc), EXIT_FAILED)
    ident = message_id(row.idempotency_key) if row.channel == "email" else row.idempotency_key
    click.echo(f"alert {row.id} ({row.channel}) sent again with id {ident}")


def _retry_all(config: Config, notifiers: dict[str, Notifier], statuses: tuple[str, ...],
               channel: str | None) -> None:  # fmt: skip
    from pipelines.alerts.replay import replay_all
    from pipelines.wiring import delivery_plan, retry_policy

    if channel is not None and channel not in notifiers:
        fail(f"alert channel {channel!r} is not configured (see README, 'Alerts')", EXIT_CONFIG)
    with _store(config) as store:
        done = replay_all(store, notifiers, now=datetime.now(UTC), statuses=statuses,
                          channel=channel, policy=retry_policy(config),
                          plan=delivery_plan(config))  # fmt: skip
    if not done.requeued:
        click.echo("nothing to retry: no " + " or ".join(statuses) + " alert"
                   + (f" on channel {channel!r}" if channel else ""))  # fmt: skip
        return
    click.echo(f"retried {done.requeued} alert(s): {done.sent} sent, {done.waiting} still "
               f"waiting, {done.dead} dead")  # fmt: skip
    for line in done.holds:
        click.echo(f"mtwatch: {line}", err=True)
    if not done.ok:
        for error in done.errors[:5]:
            click.echo(f"mtwatch: {error}", err=True)
        sys.exit(EXIT_FAILED)


@command.command("test")
@click.option("--channel", metavar="NAME", help="Only this channel (default: all configured).")
@click.pass_context
def test_command(ctx: click.Context, channel: str | None) -> None:
    """Send a test message through the configured channels; exit 1 if any delivery fails."""
    from pipelines.alerts import DeliveryError
    from pipelines.alerts.replay import send_test

    config = load(ctx)
    notifiers = _notifiers(config)
    names = [channel] if channel else list(notifiers)
    if not names:
        fail("no alert channel is configured (see README, 'Alerts')", EXIT_CONFIG)
    missing = [name for name in names if name not in notifiers]
    if missing:
        fail(f"alert channel {missing[0]!r} is not configured (see README, 'Alerts')",
             EXIT_CONFIG)  # fmt: skip
    failed = 0
    for name in names:
        try:
            key = send_test(notifiers[name])
        except DeliveryError as exc:
            failed += 1
            click.echo(f"mtwatch: {name}: test message NOT delivered: {exc.explained()}", err=True)
            continue
        click.echo(f"{name}: test message delivered (id {key})")
    if failed:
        sys.exit(EXIT_FAILED)


@command.command("enable")
@db_option
@click.argument("channel", metavar="CHANNEL")
@click.pass_context
def enable_command(ctx: click.Context, db_url: str | None, channel: str) -> None:
    """Resume a held channel now (one its endpoint disabled with HTTP 410, or one held for a
    misconfiguration you fixed); its held alerts go out with the next delivery."""
    config = load(ctx, store={"url": db_url})
    with _store(config) as store:
        changed = store.enable_channel(channel)
    click.echo(f"channel {channel!r} " + ("enabled" if changed else "was not disabled"))


@command.command("new-secret")
def new_secret_command() -> None:
    """Print a new webhook signing secret (whsec_…, 32 random bytes) for MTWATCH_WEBHOOK_SECRET."""
    from pipelines.alerts.signing import new_secret

    click.echo(new_secret())
