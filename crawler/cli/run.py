"""`mtwatch run`: one crawl as a child process, its summary, and a cron-friendly exit code."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, check, db_option, fail, load, since_option
from crawler.cli.progress import crawl_progress
from crawler.interruption import Interrupt
from crawler.lock import EXIT_LOCKED, FileLock, LockBusyError, UnsafeLockError, crawl_lock_path
from crawler.output import print_outcome
from crawler.runner import CrawlOptions, run_crawl
from pipelines.untrusted import clean_line


@click.command("run")
@click.option("--site", metavar="URL", help="Site base URL (default: the real site; "
              "e.g. the offline replica's http://127.0.0.1:PORT). Env: MTWATCH_SITE.")
@db_option
@since_option
@click.option("--backfill-days", type=click.IntRange(min=1), metavar="N",
              help="Evaluate every article of the last N days (like --since TODAY-N).")
@click.option("--refresh", is_flag=True, help="Fetch and re-evaluate articles already stored.")
@click.option("--no-alert", is_flag=True,
              help="Store matches without alerting: no alert is queued for them, ever (not "
              "even by a later run), and this run sends none. E.g. to seed a new store.")
@click.option("--timeout", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Kill the crawl after this long (default: crawl.run_timeout, 1800).")
@click.option("-v", "--verbose", is_flag=True,
              help="Stream the crawl's log to stderr (default: <data dir>/logs/last-run.log).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_context
def command(ctx: click.Context, site: str | None, db_url: str | None, since: date | None,
            backfill_days: int | None, refresh: bool, no_alert: bool, timeout: float | None,
            verbose: bool, as_json: bool) -> None:
    """Run one crawl now: discover, fetch, clean, detect, store, and send alerts.

    A backfill (--since, --backfill-days, or one started because a feed overflowed) is
    recorded in the store; if it is interrupted, every later run continues it until every
    month it covers was read (see `mtwatch status`).

    Exit status: 0 when the run was healthy (or degraded, with a warning), 1 when the site
    or the store failed, 2 for a configuration or usage error, 75 when another crawl was
    already running (nothing was done; try again later), 130 after Ctrl-C and 143 after
    SIGTERM (the crawl was stopped cleanly; a second Ctrl-C kills it at once). Suitable for
    cron.
    """
    if since is not None and backfill_days is not None:
        fail("use either --since or --backfill-days, not both", EXIT_CONFIG)
    if backfill_days is not None:
        since = datetime.now(UTC).date() - timedelta(days=backfill_days)
    config = load(ctx, site={"url": site}, store={"url": db_url})
    for warning in check(config):
        click.echo(f"mtwatch: warning: {warning}", err=True)
    log_file = None if verbose else config.data_dir / "logs" / "last-run.log"
    options = CrawlOptions(
        site=config.site.url, config_path=ctx.obj["config_path"], db_url=config.store_url,
        since=since, backfill_days=backfill_days, refresh=refresh,
        timeout=timeout or config.crawl.run_timeout, log_file=log_file, no_alert=no_alert,
        max_article_failures=config.crawl.max_article_failures,
    )
    try:  # one crawl at a time, whoever starts it; the child inherits the lock
        lock = FileLock.acquire(crawl_lock_path(config.data_dir), what="crawl", trigger="cli")
    except LockBusyError as exc:
        fail(str(exc), EXIT_LOCKED)
    except (UnsafeLockError, OSError) as exc:
        fail(f"cannot take the crawl lock: {exc}", EXIT_FAILED)
    # a progress bar only for a person watching a long crawl
    show = sys.stdout.isatty() and not (as_json or verbose)
    interrupt = Interrupt()
    with (lock, interrupt.handled(),
          crawl_progress(config.store_url, config.crawl.max_article_failures, enabled=show)):
        outcome = run_crawl(options, lock=lock, cancel=interrupt.requested,
                            force=interrupt.forced)
    if outcome.status == "locked":
        fail(outcome.reason, EXIT_LOCKED)
    if interrupt.requested.is_set() and outcome.reason.startswith("interrupted"):
        print_outcome(replace(outcome, status="interrupted"), as_json=as_json)
        fail(outcome.reason, interrupt.exit_status)
    print_outcome(outcome, as_json=as_json)
    see_log = f" (log: {log_file})" if log_file else ""
    if outcome.status == "failed":
        fail(f"run failed: {outcome.reason}{see_log}", EXIT_FAILED)
    if outcome.status == "degraded":
        click.echo(f"mtwatch: warning: run degraded: {clean_line(outcome.reason)}{see_log}",
                   err=True)
