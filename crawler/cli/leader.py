"""`mtwatch leader`: the cluster's leader rounds, without the daemon ([cluster] redis_url)."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, db_option, fail, load

if TYPE_CHECKING:
    from crawler.cluster.leader import RoundReport
    from crawler.config import Config


@click.command("leader")
@db_option
@click.option("--once", is_flag=True, help="One round, then exit (e.g. from cron).")
@click.option("--every", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Seconds between rounds (default: schedule.interval).")
@click.option("--no-deliver", is_flag=True, help="Queue work only; send no due alerts.")
@click.pass_context
def command(ctx: click.Context, db_url: str | None, once: bool, every: float | None,
            no_deliver: bool) -> None:
    """Queue the cluster's work in Redis: due feeds and sitemaps, articles the store owes, and
    every URL whose lease ran out (its worker died); then send due alerts.

    `mtwatch daemon` does the same on its schedule when [cluster] redis_url is set. One
    leader works at a time (the store's run lease): another one skips its round, exit 75
    with --once. Exit status: 0 ok, 1 store or Redis failure, 2 configuration error.
    """
    from crawler.lock import EXIT_LOCKED

    config = load(ctx, store={"url": db_url})
    if not config.cluster.enabled:
        fail("`mtwatch leader` runs in a cluster: set [cluster] redis_url (or "
             "MTWATCH_REDIS_URL) and a PostgreSQL store", EXIT_CONFIG)
    interval = every or config.schedule.interval
    while True:
        report = _round(config, deliver=not no_deliver)
        if report is None and once:
            fail("another leader holds the store's run lease; nothing done", EXIT_LOCKED)
        if once:
            sys.exit(0)
        time.sleep(interval)  # a plain loop: `mtwatch daemon` is the scheduled leader


def _round(config: Config, *, deliver: bool) -> RoundReport | None:
    import redis

    from crawler.cluster.leader import leader_round
    from pipelines.storage import StoreError

    now = datetime.now(UTC)
    try:
        report = leader_round(config, now)
    except (StoreError, redis.RedisError) as exc:
        fail(f"leader round failed: {exc}", EXIT_FAILED)
    if report is None:
        click.echo("mtwatch: another leader holds the run lease: round skipped", err=True)
        return None
    click.echo(f"leader: {report.summary()}")
    if not report.workers:
        click.echo("mtwatch: warning: no live worker: nothing queued is fetched until one runs "
                   "(`mtwatch worker`)", err=True)
    if deliver:
        from pipelines.storage import Store
        from pipelines.wiring import deliver_configured

        with Store(config.store_url) as store:
            sent = deliver_configured(config, store, now=now)
        click.echo(f"alerts: {sent.sent} sent, {sent.failed} failed, {sent.dead} dead")
    return report
