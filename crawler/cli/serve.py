"""`mtwatch serve`: the analyst's desk in the browser (matches, articles, trends, health,
Atom feeds), reading the same store as the crawls."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, db_option, fail, load
from crawler.cli.match import load_matchers
from crawler.config import Config, ConfigError


def web_settings(config: Config, host: str | None = None, port: int | None = None) -> Any:
    """The desk's settings, or exit 2 with one line (e.g. a public address without a token)."""
    from crawler.web.settings import WebSettings

    try:
        return WebSettings.from_config(config.web, os.environ, host=host, port=port)
    except ConfigError as exc:
        fail(str(exc), EXIT_CONFIG)


@click.command("serve")
@click.option("--host", metavar="ADDRESS",
              help="Listen on this address (default: web.host, 127.0.0.1). Any other than "
              "loopback needs MTWATCH_WEB_TOKEN.")
@click.option("--port", type=click.IntRange(0, 65535), metavar="PORT",
              help="Listen on this port (default: web.port, 8080; 0 = any free port).")
@db_option
@click.pass_context
def command(ctx: click.Context, host: str | None, port: int | None, db_url: str | None) -> None:
    """Serve the desk: the matches with their evidence, each article with the proof
    highlighted and label buttons, trends, run health and Atom feeds.

    \b
      mtwatch serve                       http://127.0.0.1:8080
      MTWATCH_WEB_TOKEN=… mtwatch serve --host 0.0.0.0
    Prints the URL once it accepts connections; stops on Ctrl-C or SIGTERM. With a token
    every request must present it (HTTP Basic password, or Authorization: Bearer). Works
    with a read-only database user (labels and retries then say why they cannot be saved).
    """
    from crawler.web.server import bind, make_server, url_of
    from pipelines.storage import Store, StoreError

    config = load(ctx, store={"url": db_url})
    settings = web_settings(config, host, port)
    matchers = load_matchers(config, None)  # exit 2 on a bad topic file
    try:
        sock = bind(settings)
    except OSError as exc:
        fail(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}",
             EXIT_FAILED)
    try:
        store = Store(config.store_url)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    server = make_server(store, config, settings, matchers)
    click.echo(f"mtwatch desk: serving the store {store.location}; Ctrl-C stops", err=True)
    click.echo(url_of(sock))  # one line, once connections are accepted (tests read it)
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
