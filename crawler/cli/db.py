"""`mtwatch db current|upgrade`: the store's schema revision, and migrating it on purpose."""

from __future__ import annotations

import json
from typing import Any

import click

from crawler.cli.common import EXIT_FAILED, db_option, fail, load, store_error


@click.group("db")
def command() -> None:
    """The store's schema: show its revision, or upgrade it.

    Every mtwatch command upgrades the schema on its own when it opens the store; `db upgrade`
    does it explicitly (e.g. right after installing a new version, before restarting the
    daemon). On SQLite a backup (`<db>.pre-<revision>.<time>.bak`, sqlite3 backup API) is made
    before the first statement; each upgrade is one transaction.
    """


def _open(ctx: click.Context, db_url: str | None) -> Any:
    from pipelines.storage.database import StoreError, describe, open_engine, parse_url, writer

    config = load(ctx, store={"url": db_url})
    try:
        url = parse_url(config.store_url)
        return describe(url), writer(open_engine(url))
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)


@command.command("current")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def current(ctx: click.Context, db_url: str | None, as_json: bool) -> None:
    """Show the store's revision(s) and what an upgrade would apply (changes nothing)."""
    from sqlalchemy.exc import SQLAlchemyError

    from pipelines.storage import migrate
    from pipelines.storage.database import one_line

    where, engine = _open(ctx, db_url)
    try:
        with engine.connect() as conn:
            revisions = sorted(migrate.current_revisions(conn))
            pending = migrate.pending_revisions(conn)
    except SQLAlchemyError as exc:
        fail(f"cannot read the store at {where}: {one_line(exc)}", EXIT_FAILED)
    finally:
        engine.dispose()
    heads = sorted(migrate.head_revisions())
    if as_json:
        click.echo(json.dumps({"store": where, "current": revisions, "heads": heads,
                               "pending": pending}))
        return
    click.echo(f"store:    {where}")
    click.echo(f"current:  {', '.join(revisions) or '(empty: no schema yet)'}")
    click.echo(f"head:     {', '.join(heads)}")
    click.echo(f"pending:  {', '.join(pending) if pending else 'none (up to date)'}")


@command.command("upgrade")
@db_option
@click.pass_context
def upgrade(ctx: click.Context, db_url: str | None) -> None:
    """Apply pending migrations now (SQLite: after a backup), in one transaction."""
    from sqlalchemy.exc import SQLAlchemyError

    from pipelines.storage import migrate
    from pipelines.storage.database import one_line

    where, engine = _open(ctx, db_url)
    try:
        with engine.begin() as conn:
            done = migrate.migrate(conn)
    except (SQLAlchemyError, OSError) as exc:
        fail(f"upgrade of {where} failed, nothing was changed: {one_line(exc)}", EXIT_FAILED)
    finally:
        engine.dispose()
    if done is None:
        click.echo(f"{where}: up to date ({', '.join(sorted(migrate.head_revisions()))})")
        return
    before = ", ".join(sorted(done.before)) or "empty"
    click.echo(f"{where}: upgraded {before} → {', '.join(sorted(migrate.head_revisions()))} "
               f"(applied {', '.join(done.applied)})")
    if done.backup is not None:
        click.echo(f"backup: {done.backup}")
