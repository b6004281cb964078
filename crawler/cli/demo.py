"""`mtwatch demo`: the offline replica, crawled into a throwaway store, its matches and one
rendered alert, in well under a minute, with no network and no SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, fail
from pipelines.untrusted import clean_line, clean_text

#: the source checkout this module runs from: the replica lives in its tests/
CHECKOUT = Path(__file__).resolve().parents[2]
#: the demo's settings: politeness lifted (the site is on this machine), no alert channel
DEMO_CONFIG = """# mtwatch demo: the offline replica on this machine, a throwaway store
[crawl]
fast_on_loopback = true

[alerts]
channels = []
"""
SINCE = "2023-01-01"
SHOWN = 10


@click.command("demo")
@click.option("--articles", type=click.IntRange(20, 2000), default=150, show_default=True,
              help="How many articles the replica publishes.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The replica's seed (the same seed, the same site).")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Keep the demo's store and crawl log in DIR (default: a temporary "
              "directory, removed at the end).")
def command(articles: int, seed: int, keep: Path | None) -> None:
    """See what mtwatch does, offline, in well under a minute.

    Starts the offline replica of the site (tests/replica/ of a source checkout) on a free
    loopback port, crawls it with `mtwatch run --fast` into a throwaway store, lists the
    matches, shows one alert as it would be e-mailed, and says what to do next. Needs no
    network and no SMTP server, and ignores your config file, MTWATCH_* variables and store.
    """
    if not (CHECKOUT / "tests" / "replica" / "__main__.py").is_file():
        fail("mtwatch demo needs a source checkout (its offline replica is tests/replica/); "
             "clone the repository and `pip install -e .` there", EXIT_CONFIG)
    with _workdir(keep) as work, _replica(articles, seed) as site:
        (work / "demo.toml").write_text(DEMO_CONFIG, encoding="utf-8")
        db_url = f"sqlite:///{work / 'demo.db'}"
        click.echo(f"mtwatch demo: the offline replica ({articles} articles) is at {site}; "
                   f"crawling it into {work / 'demo.db'}\n")
        _crawl(work, site, db_url)
        _show(db_url, keep)


@contextmanager
def _workdir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True, mode=0o700)
        yield keep.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="mtwatch-demo-") as tmp:
        yield Path(tmp)


@contextmanager
def _replica(articles: int, seed: int) -> Iterator[str]:
    """The replica in a child process on a free loopback port; its URL."""
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and the checkout's replica
        [sys.executable, "-m", "tests.replica", "serve", "--port", "0", "--articles",
         str(articles), "--seed", str(seed)],
        cwd=CHECKOUT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        stdin=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            fail(f"the offline replica did not start (it said {url!r})", EXIT_FAILED)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _crawl(work: Path, site: str, db_url: str) -> None:
    """`mtwatch run --fast` on the replica, as a user would run it, in its own environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}
    env["MTWATCH_DATA_DIR"] = str(work / "data")
    done = subprocess.run(  # noqa: S603 - our own interpreter and command line
        [sys.executable, "-m", "crawler.cli", "--config", str(work / "demo.toml"), "run",
         "--fast", "--site", site, "--since", SINCE, "--db", db_url],
        env=env, stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        fail(f"the demo's crawl failed (exit {done.returncode}); its log: "
             f"{work / 'data' / 'logs' / 'last-run.log'}", EXIT_FAILED)


def _show(db_url: str, keep: Path | None) -> None:
    from crawler.output import print_matches
    from pipelines.storage import Store

    with Store(db_url) as store:
        matches = store.list_matches()
        newest = matches[0] if matches else None
        article = store.get_article(newest.article_id) if newest else None
    click.echo(f"\n{len(matches)} article(s) matched; the {min(SHOWN, len(matches))} newest:")
    print_matches(matches[:SHOWN], "table")
    if newest is not None and article is not None:
        from pipelines.alerts.compose import compose
        from pipelines.alerts.payload import build_payload

        message = compose(build_payload(article, newest, _topic_name(newest.topic)))
        click.echo(f"\nThe alert for article {newest.article_id}, as it would be e-mailed:\n")
        click.echo(f"Subject: {clean_line(message.subject)}\n")
        click.echo(clean_text(message.text).rstrip())
    _next_steps(db_url, keep, newest.article_id if newest else None)


def _topic_name(topic: str) -> str:
    from crawler.config import SHIPPED_CONFIG_DIR
    from pipelines.matcher import TopicConfigError, load_topic

    try:
        return load_topic(SHIPPED_CONFIG_DIR / "topics" / f"{topic}.toml").name
    except TopicConfigError:
        return topic


def _next_steps(db_url: str, keep: Path | None, article_id: int | None) -> None:
    db = f" --db {db_url}" if keep is not None else ""
    steps: list[tuple[str, str]] = []
    if keep is None:
        steps.append(("mtwatch demo --keep DIR", "keep the demo's store to explore it"))
    else:
        if article_id is not None:
            steps.append((f"mtwatch show {article_id}{db}", "one match with all its evidence"))
        steps.append((f"mtwatch matches --format json{db}", "every match, for other tools"))
    steps += [
        ("mtwatch check-config", "your settings, validated (secrets redacted)"),
        ("mtwatch alerts test", "after setting MTWATCH_SMTP_HOST, MTWATCH_EMAIL_FROM and "
         "MTWATCH_EMAIL_TO (README, Alerts)"),
        ("mtwatch run", "crawl the real site, politely (1 request/s)"),
    ]
    width = max(len(command) for command, _ in steps)
    click.echo("\nWhat next:\n" + "\n".join(f"  {command.ljust(width)}   {what}"
                                            for command, what in steps))
