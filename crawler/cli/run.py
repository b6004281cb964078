"""`mtwatch run`: one crawl as a child process, its summary, and a cron-friendly exit code."""

from __future__ import annotations

from datetime import date

import click

from crawler.cli.common import EXIT_FAILED, check, db_option, fail, load, since_option
from crawler.output import print_outcome
from crawler.runner import CrawlOptions, run_crawl


@click.command("run")
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
def command(ctx: click.Context, site: str | None, db_url: str | None, since: date | None,
            refresh: bool, timeout: float | None, verbose: bool, as_json: bool) -> None:
    """Run one crawl now: discover, fetch, clean, detect, store, and send alerts.

    Exit status: 0 when the run was healthy (or degraded, with a warning), 1 when the site
    or the store failed, 2 for a configuration or usage error. Suitable for cron.
    """
    config = load(ctx, site={"url": site}, store={"url": db_url})
    for warning in check(config):
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
        fail(f"run failed: {outcome.reason}{see_log}", EXIT_FAILED)
    if outcome.status == "degraded":
        click.echo(f"mtwatch: warning: run degraded: {outcome.reason}{see_log}", err=True)
