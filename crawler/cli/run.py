"""`mtwatch run`: one crawl as a child process, its summary, and a cron-friendly exit code."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import click

from crawler.cli.common import (
    EXIT_CONFIG,
    EXIT_FAILED,
    check,
    db_option,
    fail,
    load,
    since_option,
    store_error,
)
from crawler.cli.progress import crawl_progress
from crawler.config import Config
from crawler.interruption import Interrupt
from crawler.launcher import CrawlOptions, start_crawl
from crawler.lock import EXIT_LOCKED, FileLock, LockBusyError, UnsafeLockError, crawl_lock_path
from crawler.output import print_outcome
from crawler.politeness import ignored_note, lifted_note
from pipelines.untrusted import clean_line


@click.command("run")
@click.option("--site", metavar="NAME|URL", help="Crawl only this site: a [sites.NAME] "
              "table (e.g. moscowtimes-ru, even if not enabled), or a base URL for the "
              "moscowtimes site (e.g. the offline replica's http://127.0.0.1:PORT). Default: "
              "every enabled site, side by side in one crawl. Env: MTWATCH_SITE.")
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
@click.option("--fast", is_flag=True,
              help="Lift politeness for a site on this machine (the offline replica): no "
              "download delay, no AutoThrottle, 8 requests at a time. Refused for any other "
              "host. The same as crawl.fast_on_loopback = true or MTWATCH_FAST_ON_LOOPBACK=1.")
@click.option("--progress-every", type=click.FloatRange(min=0), default=10, show_default=True,
              metavar="SECONDS", help="Off a terminal (cron, CI), a long crawl (100+ articles "
              "to evaluate) prints a progress line this often, and one at its end; 0: never. "
              "On a terminal it shows a bar instead.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the run summary as one JSON object (and no progress).")
@click.pass_context
def command(ctx: click.Context, site: str | None, db_url: str | None, since: date | None,
            backfill_days: int | None, refresh: bool, no_alert: bool, timeout: float | None,
            verbose: bool, fast: bool, progress_every: float, as_json: bool) -> None:
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
    config = load(ctx, site={"url": site}, store={"url": db_url},
                  crawl={"fast_on_loopback": True} if fast else {})
    urls = " ".join(config.sites[name].url for name in config.running_sites)
    if fast and not config.politeness_lifted:
        fail(f"--fast only applies to a site on this machine (a loopback address such as "
             f"http://127.0.0.1:8000), not {urls}", EXIT_CONFIG)
    if fast:  # the crawl child reads the same setting from its environment
        os.environ["MTWATCH_FAST_ON_LOOPBACK"] = "1"
    # the store is opened (and migrated) by the crawl child; it is looked at here only
    # when the crawl failed before it could record a run (_fail_if_store_unusable)
    for warning in check(config, store=False, remembered_topics=True):
        click.echo(f"mtwatch: warning: {warning}", err=True)
    if config.politeness_lifted:
        click.echo(f"mtwatch: {lifted_note(urls)}", err=True)
    elif config.crawl.fast_on_loopback:
        click.echo(f"mtwatch: warning: {ignored_note(urls)}", err=True)
    log_file = None if verbose else config.data_dir / "logs" / "last-run.log"
    options = CrawlOptions(
        site=site, config_path=ctx.obj["config_path"], db_url=config.store_url,
        since=since, backfill_days=backfill_days, refresh=refresh,
        timeout=timeout or config.crawl.run_timeout, stop_grace=config.crawl.stop_grace,
        log_file=log_file, no_alert=no_alert,
        max_article_failures=config.crawl.max_article_failures,
    )
    try:  # one crawl at a time, whoever starts it; the child inherits the lock
        lock = FileLock.acquire(crawl_lock_path(config.data_dir), what="crawl", trigger="cli")
    except LockBusyError as exc:
        fail(str(exc), EXIT_LOCKED)
    except (UnsafeLockError, OSError) as exc:
        fail(f"cannot take the crawl lock: {exc}", EXIT_FAILED)
    # a progress bar for a person watching a long crawl; lines for a log
    terminal = sys.stdout.isatty()
    show = terminal and not (as_json or verbose)
    every = None if terminal or as_json or not progress_every else progress_every
    interrupt = Interrupt()
    # the child is forked before the progress display starts its thread (crawler.forkchild)
    with (lock, interrupt.handled(), start_crawl(options, lock=lock, fork=True) as child,
          crawl_progress(config.store_url, config.crawl.max_article_failures, enabled=show,
                         lines_every=every) as watch):
        outcome = child.finish(cancel=interrupt.requested, force=interrupt.forced)
        watch.ended(outcome.counts)
    if outcome.status == "locked":
        fail(outcome.reason, EXIT_LOCKED)
    if outcome.status == "failed" and outcome.run_id is None:
        _fail_if_store_unusable(config)
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


def _fail_if_store_unusable(config: Config) -> None:
    """A crawl that failed before recording its run may have found no usable store: say so
    as every command does (exit 1, the store and where its URL came from)."""
    from pipelines.storage import Store, StoreError

    try:
        Store(config.store_url).close()
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)
