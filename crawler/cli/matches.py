"""`mtwatch matches`: the matching articles with their evidence, as a table, JSON or CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click

from crawler.cli.common import EXIT_FAILED, db_option, fail, load, since_option, store_error
from crawler.cli.match import topic_id, topic_option
from crawler.output import JSON_HELP, print_matches


@click.command("matches")
@db_option
@since_option
@topic_option
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="Only the N newest matches.")
@click.option("--site", "site", metavar="NAME",
              help="Only the matches of this site (its [sites.<name>] name).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]),
              default="table", show_default=True,
              help=f"table for people (times in UTC); {JSON_HELP}; csv: a header row, the "
              "first evidence sentence.")
@click.pass_context
def command(ctx: click.Context, db_url: str | None, since: date | None, topic_name: str | None,
            limit: int | None, site: str | None, fmt: str) -> None:
    """List the articles that matched, newest first, with the evidence sentence.

    Without --topic: the matches of every topic, enabled or not. `mtwatch show ID` shows one
    match with all its evidence.
    """
    from pipelines.storage import Store, StoreError

    config = load(ctx, store={"url": db_url})
    topic = topic_id(config, topic_name) if topic_name is not None else None
    try:
        store = Store(config.store_url)
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)
    try:
        since_dt = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
        rows = store.list_matches(since=since_dt, topic=topic, site=site)
        rows = rows[:limit] if limit is not None else rows
        stories = store.story_reports([row.story_id for row in rows if row.story_id])
    finally:
        store.close()
    print_matches(rows, fmt, stories)
