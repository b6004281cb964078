"""`mtwatch daemon`: crawl on a schedule until SIGTERM/SIGINT; one daemon per data directory."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from crawler.cli.common import (
    EXIT_CONFIG,
    EXIT_FAILED,
    check,
    db_option,
    exposure_warnings,
    fail,
    load,
    store_error,
)
from crawler.cli.serve import web_settings
from crawler.config import DEFAULT_SITE, Config, ConfigError
from crawler.daemon.scheduler import (
    Daemon,
    DaemonHooks,
    DaemonPlan,
    crawl_trigger,
    describe,
    nominal_interval,
)
from crawler.launcher import CrawlOptions
from crawler.lock import DAEMON_LOCK, EXIT_LOCKED, FileLock, LockBusyError, UnsafeLockError
from pipelines.storage.files import open_private, private_dir

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@click.command("daemon")
@click.option("--site", metavar="NAME|URL", help="Crawl only this site: a [sites.NAME] "
              "table, or a base URL for the moscowtimes site (default: every enabled site).")
@db_option
@click.option("--interval", type=click.FloatRange(min=1), metavar="SECONDS",
              help="Crawl every SECONDS (default: schedule.interval, 900).")
@click.option("--cron", metavar="'M H DOM MON DOW'",
              help="Crawl on this crontab line instead of an interval.")
@click.option("--timezone", metavar="ZONE", help="Timezone of --cron (default: UTC).")
@click.option("--log-file", type=click.Path(path_type=Path), metavar="FILE",
              help="Log here instead of stderr (reopened after logrotate).")
@click.option("-v", "--verbose", is_flag=True,
              help="Debug logging; crawl logs go to stderr too (default: "
              "<data dir>/logs/last-crawl.log).")
@click.pass_context
def command(ctx: click.Context, site: str | None, db_url: str | None, interval: float | None,
            cron: str | None, timezone: str | None, log_file: Path | None, verbose: bool) -> None:
    """Crawl on a schedule (interval or cron) until stopped with SIGTERM or Ctrl-C.

    Each crawl is the same child process `mtwatch run` starts, with a hard timeout; a slot
    that cannot run (previous crawl still running, another crawl holds the lock, the machine
    was asleep) is recorded in the runs table. Due alerts are retried between crawls. When no
    crawl succeeded for daemon.deadman_intervals intervals the operator gets one e-mail, and
    one more on recovery. Exit status: 0 after a clean stop, 2 for a configuration error,
    75 when another daemon already runs for this data directory.
    """
    schedule: dict[str, Any] = {"timezone": timezone}
    if interval is not None:
        schedule.update(interval=interval, cron="")
    if cron is not None:
        schedule["cron"] = cron
    config = load(ctx, site={"url": site}, store={"url": db_url}, schedule=schedule,
                  daemon={"log_file": str(log_file) if log_file else None})
    web = web_settings(config) if config.web.enabled else None  # exit 2: public, no token
    for warning in check(config):
        click.echo(f"mtwatch: warning: {warning}", err=True)
    for warning in exposure_warnings(config):
        click.echo(f"mtwatch: warning: {warning}", err=True)
    try:
        lock = FileLock.acquire(config.data_dir / DAEMON_LOCK, what="mtwatch daemon",
                                trigger="daemon")
    except LockBusyError as exc:
        fail(f"{exc} (data directory {config.data_dir})", EXIT_LOCKED)
    except (UnsafeLockError, OSError) as exc:
        fail(f"cannot take the daemon lock: {exc}", EXIT_FAILED)
    with lock:
        code = _serve(config, ctx.obj["config_path"], verbose, web)
    sys.exit(code)


def _serve(config: Config, config_path: Path | None, verbose: bool, web: Any) -> int:
    from pipelines.storage import Store, StoreError

    _setup_logging(config.daemon.log_file, verbose)
    try:
        store = Store(config.store_url)
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)
    desk = _start_desk(store, config, web) if web is not None else None
    try:
        interval = nominal_interval(crawl_trigger(config.schedule), datetime.now(UTC))
        code = Daemon(_plan(config, config_path, verbose), _hooks(config, store, interval)).run()
    finally:
        if desk is not None:
            desk.stop()
        store.close()
    if code != 0:  # a job is stuck (e.g. an SMTP call): exit now, never wait on its thread
        logging.shutdown()
        os._exit(code)
    return code


def _start_desk(store: Any, config: Config, web: Any) -> Any:
    """The desk ([web] enabled = true) in a thread of the daemon; exit 1 if it cannot listen."""
    from crawler.web.server import start_in_thread

    try:
        desk = start_in_thread(store, config, web)
    except OSError as exc:
        fail(f"cannot serve the desk on {web.host}:{web.port}: {exc.strerror or exc}",
             EXIT_FAILED)
    logging.getLogger(__name__).info("desk: serving %s", desk.url)
    return desk


def _site_choice(config: Config) -> str | None:
    """The crawl child's ``MTWATCH_SITE``: the one chosen site (by its URL when it is the
    default site, which --site URL may have moved), else None for every enabled site."""
    if config.only_site == DEFAULT_SITE:
        return config.site.url
    return config.only_site or None


def _plan(config: Config, config_path: Path | None, verbose: bool) -> DaemonPlan:
    crawl = CrawlOptions(
        site=_site_choice(config), config_path=config_path, db_url=config.store_url,
        timeout=config.daemon.crawl_timeout or config.crawl.run_timeout,
        log_level="DEBUG" if verbose else "INFO",
        log_file=None if verbose else config.data_dir / "logs" / "last-crawl.log",
        trigger="daemon", stop_grace=config.daemon.stop_grace,
        max_article_failures=config.crawl.max_article_failures,
    )
    return DaemonPlan(crawl=crawl, schedule=config.schedule, data_dir=config.data_dir,
                      alert_interval=config.schedule.alert_retry_interval)


def _hooks(config: Config, store: Any, interval: float) -> DaemonHooks:
    from crawler.daemon.bookkeeping import StoreHooks
    from crawler.daemon.metrics import Metrics
    from crawler.health.deadman import email_operator
    from pipelines.wiring import build_notifiers, deliver_configured

    try:
        metrics = Metrics.from_config(config.daemon.metrics_textfile, config.daemon.metrics_port)
        notifiers = build_notifiers(config, strict=False)
        notify = email_operator(config)
    except (ConfigError, OSError) as exc:
        fail(str(exc), EXIT_CONFIG)

    def deliver(now: datetime) -> str:
        report = deliver_configured(config, store, now=now, notifiers=notifiers)
        return f"{report.sent} sent, {report.failed} failed, {report.dead} dead"

    intervals = config.daemon.deadman_intervals
    return StoreHooks(
        store, schedule=describe(config.schedule), interval=interval,
        deadman_after=timedelta(seconds=interval * intervals) if intervals else None,
        notify=notify, deliver=deliver, metrics=metrics,
    )


class PrivateLogFile(logging.handlers.WatchedFileHandler):
    """The daemon's log file, reopened after logrotate: created 0600, never through a symlink."""

    def _open(self) -> Any:
        fd = open_private(Path(self.baseFilename), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def _setup_logging(log_file: str, verbose: bool) -> None:
    handler: logging.Handler
    if log_file:
        try:
            private_dir(Path(log_file).parent)
            handler = PrivateLogFile(log_file, encoding="utf-8")
        except OSError as exc:  # ELOOP: a symlink
            fail(f"cannot open the log file {log_file}: {exc.strerror or exc}", EXIT_CONFIG)
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # APScheduler logs every run at INFO; ours already says what matters
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if verbose else logging.WARNING)
