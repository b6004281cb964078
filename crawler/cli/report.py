"""`mtwatch report`: the desk's pages as static HTML files, for sharing or archiving."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, db_option, fail, load
from crawler.cli.match import load_matchers
from crawler.cli.serve import web_settings


@click.command("report")
@click.option("--since", "since_text", required=True, metavar="YYYY-MM-DD",
              help="The matches published on or after this day (in web.timezone).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              metavar="DIR", help="Write the pages here (created if needed; files of an "
              "earlier report are replaced).")
@db_option
@click.pass_context
def command(ctx: click.Context, since_text: str, out: Path, db_url: str | None) -> None:
    """Write the desk's pages as plain HTML: DIR/index.html (the matches since the day,
    newest first), one page per article with its evidence highlighted, trends with their
    charts, run health, and the Atom feeds. No script, no server: open index.html or copy
    the folder anywhere.
    """
    from crawler.web.report import Report
    from pipelines.storage import Store, StoreError

    try:
        since = date.fromisoformat(since_text)
    except ValueError:
        fail(f"--since: expected a day like 2026-06-01, got {since_text!r}", EXIT_CONFIG)
    config = load(ctx, store={"url": db_url})
    settings = web_settings(config, "127.0.0.1")
    matchers = load_matchers(config, None)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create {out}: {exc.strerror or exc}", EXIT_FAILED)
    today = datetime.now(settings.zone).date()
    tty = sys.stderr.isatty()

    def progress(done: int) -> None:
        if tty and done % 20 == 0:
            click.echo(f"\rreport: {done} article pages", err=True, nl=False)

    try:
        with Store(config.store_url) as store:
            written = Report(store, matchers, settings, out).write(since, today, progress)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    except OSError as exc:
        fail(f"cannot write the report into {out}: {exc.strerror or exc}", EXIT_FAILED)
    if tty:
        click.echo("\r", err=True, nl=False)
    click.echo(f"report: {written.matches} match(es) since {since}, {written.articles} "
               f"article page(s), {written.pages} page(s) in all → {written.index}")
