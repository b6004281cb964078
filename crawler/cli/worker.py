"""`mtwatch worker`: one crawl worker of a cluster ([cluster] redis_url), until stopped."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, check, db_option, fail, load


@click.command("worker")
@click.option("--site", metavar="NAME", help="Work only for this site (a [sites.NAME] table); "
              "default: every enabled site.")
@db_option
@click.option("--poll", type=click.FloatRange(min=0.05, max=60), default=1.0,
              show_default=True, metavar="SECONDS",
              help="How often an idle worker looks for work in Redis.")
@click.option("--log-file", type=click.Path(path_type=Path), metavar="FILE",
              help="Log here instead of stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Debug logging.")
@click.pass_context
def command(ctx: click.Context, site: str | None, db_url: str | None, poll: float,
            log_file: Path | None, verbose: bool) -> None:
    """Fetch what the leader queues in Redis, on any number of machines, until SIGTERM.

    Needs [cluster] redis_url and a PostgreSQL store (README, "Running on several machines").
    Each article's URL is claimed in the store before it is fetched; a worker that dies stops
    extending its claims, and the leader (`mtwatch daemon` or `mtwatch leader`) queues them
    again once they run out. Articles go through the same pipelines as `mtwatch run`.
    Exit status: 0 after a clean stop, 1 if the crawl could not start, 2 for a configuration
    error (no [cluster] redis_url among them).
    """
    config = load(ctx, site={"url": site}, store={"url": db_url})
    if not config.cluster.enabled:
        fail("`mtwatch worker` runs in a cluster: set [cluster] redis_url (or "
             "MTWATCH_REDIS_URL) and a PostgreSQL store; on one machine use `mtwatch run` "
             "or `mtwatch daemon`", EXIT_CONFIG)
    for warning in check(config):
        click.echo(f"mtwatch: warning: {warning}", err=True)
    from crawler.cluster.worker import run_worker

    code = run_worker(config, poll=poll, log_level="DEBUG" if verbose else "INFO",
                      log_file=str(log_file) if log_file else None)
    if code:
        fail("the worker's crawl could not start (see its log)", EXIT_FAILED)
    sys.exit(0)
