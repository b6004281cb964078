"""`mtwatch match` backtests the rules on a JSON Lines file; `mtwatch rematch` re-runs them
over the stored articles and shows the matches gained and lost."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, db_option, fail, load, store_error
from crawler.config import Config, ConfigError
from pipelines.untrusted import clean_line, json_line

if TYPE_CHECKING:
    from pipelines.matcher import Matcher
    from pipelines.rematch import RematchReport
    from pipelines.storage import Store

topic_option = click.option(
    "--topic", "topic_name", metavar="NAME|FILE",
    help="Topic rules: a name in config/topics/ (e.g. syria-turkey) or a path to a .toml "
    "file, the same forms as [topics] enabled. Default: the enabled topic(s).")


def load_matchers(config: Config, name: str | None) -> list[Matcher]:
    """The named topic (or every enabled one), compiled; exit 2 on an unknown or bad topic."""
    from pipelines.matcher import TopicConfigError
    from pipelines.topic_files import UnknownTopicError
    from pipelines.wiring import load_matchers as compile_topics

    entries = list(config.topics.enabled) if name is None else [name]
    try:
        return compile_topics(config.topics_dir, entries)
    except UnknownTopicError as exc:
        fail(f"--topic: {exc}" if name is not None else str(exc), EXIT_CONFIG)
    except TopicConfigError as exc:
        fail(str(exc), EXIT_CONFIG)


def topic_id(config: Config, name: str) -> str:
    """The id of the topic ``--topic`` names (a name or a file); exit 2 when there is none."""
    from pipelines.matcher import TopicConfigError, load_topic
    from pipelines.topic_files import UnknownTopicError, topic_file

    try:
        return load_topic(topic_file(config.topics_dir, name)).id
    except UnknownTopicError as exc:
        fail(f"--topic: {exc}", EXIT_CONFIG)
    except TopicConfigError as exc:
        fail(str(exc), EXIT_CONFIG)


@click.command("match")
@click.argument("file", metavar="FILE.jsonl|-", type=click.Path(path_type=Path, allow_dash=True),
                required=False)
@topic_option
@click.option("--labelled-store", is_flag=True,
              help="Instead of FILE: every article labelled in the store (`mtwatch label`).")
@db_option
@click.pass_context
def command(ctx: click.Context, file: Path | None, topic_name: str | None,
            labelled_store: bool, db_url: str | None) -> None:
    """Backtest the rules: evaluate each JSON line of FILE.jsonl (or, with --labelled-store,
    every labelled stored article).

    \b
    Input, one object per line:  {"id", "title", "text", "label"?, "subtitle"?,
                                  "language"?, "published"?}
    label: "positive"/"negative" or true/false. FILE "-" reads standard input
    (`… | mtwatch match -`). Output, one line per input on stdout:
    {"id", "match", "grade", "rule", "evidence", "near_misses"}. When rows are labelled,
    precision, recall and F1 and the ids of the mistakes go to stderr.

    Input without a record (empty, or blank lines only) is not an error: stdout stays
    empty, stderr says "no records in FILE", and the exit status is 0.
    """
    from pipelines.matcher.backtest import (
        CorpusError,
        Score,
        parse_samples,
        read_samples,
        result_row,
    )

    if (file is None) == (not labelled_store):
        fail("give FILE.jsonl or --labelled-store (one of them)", EXIT_CONFIG)
    config = load(ctx, store={"url": db_url})
    matchers = load_matchers(config, topic_name)
    if len(matchers) != 1:
        fail("several topics are enabled: choose one with --topic NAME", EXIT_CONFIG)
    if file is None:
        _backtest_store(config, matchers[0])
        return
    name = "<stdin>" if str(file) == "-" else str(file)
    try:
        samples = (parse_samples(sys.stdin.buffer.read(), name)
                   if name == "<stdin>" else read_samples(file))
    except CorpusError as exc:
        fail(str(exc), EXIT_CONFIG)
    if not samples:
        click.echo(f"mtwatch: no records in {name}: nothing to evaluate", err=True)
        return
    total = Score()
    for sample in samples:
        verdict = matchers[0].evaluate(sample.document)
        click.echo(json.dumps(result_row(sample, verdict), ensure_ascii=False))
        total.add(sample, verdict.matched)
    if total.labelled:
        click.echo(total.summary(), err=True)
        for label, ids in (("false positives", total.false_positives),
                           ("false negatives", total.false_negatives)):
            click.echo(f"{label} ({len(ids)}): {' '.join(ids) or '-'}", err=True)


def _backtest_store(config: Config, matcher: Matcher) -> None:
    from crawler.cli.label import backtest_store
    from pipelines.storage import Store, StoreError

    try:
        with Store(config.store_url) as store:
            backtest_store(store, matcher)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)


@click.command("rematch")
@topic_option
@click.option("--alert", is_flag=True,
              help="Queue and send alerts for gained matches (and updates for edited "
              "ones), as a crawl does.")
@click.option("--dry-run", is_flag=True, help="Only report: write nothing to the store.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.pass_context
def rematch_command(ctx: click.Context, topic_name: str | None, alert: bool, dry_run: bool,
                    db_url: str | None, as_json: bool) -> None:
    """Re-run the current rules over the stored articles; show matches gained and lost.

    Gained matches are stored, without alerts unless --alert; kept matches get the new
    evidence and rule version (with --alert, an "updated" alert when an edit of the article
    changed what its first alert quoted, once per edit); lost matches are listed and kept
    (their alert may have been sent already): nothing is deleted.
    """
    from pipelines.rematch import rematch
    from pipelines.storage import Store, StoreError
    from pipelines.storage.routes import ChannelRouting
    from pipelines.wiring import watches

    config = load(ctx, store={"url": db_url})
    matchers = load_matchers(config, topic_name)
    channels = watches(config) if alert else ChannelRouting([])
    try:
        with Store(config.store_url) as store:
            report = rematch(store, matchers, channels=channels, now=datetime.now(UTC),
                             write=not dry_run)
            sent = _deliver(config, store) if report.queued else None
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)
    except ConfigError as exc:  # alert settings: the matches are stored, their rows queued
        fail(f"{exc} (gained matches are stored and their alerts queued)", EXIT_CONFIG)
    versions = {m.topic.id: m.topic.rule_version for m in matchers}
    if as_json:
        click.echo(json_line(_as_dict(report, versions, dry_run, sent)))
    else:
        _print_table(report, versions, dry_run, alert, sent)


def _deliver(config: Config, store: Store) -> int:
    """Send what is due now, exactly like the end of a crawl; the number sent."""
    from pipelines.wiring import deliver_configured

    return deliver_configured(config, store, now=datetime.now(UTC)).sent


def _as_dict(report: RematchReport, versions: dict[str, str], dry_run: bool,
             sent: int | None) -> dict[str, Any]:
    return {"rule_versions": versions, "dry_run": dry_run, "evaluated": report.evaluated,
            "gained": [c.to_dict() for c in report.gained],
            "lost": [c.to_dict() for c in report.lost], "updated": report.updated,
            "unchanged": report.unchanged, "alerts_queued": report.queued,
            "alerts_sent": sent or 0}


def _print_table(report: RematchReport, versions: dict[str, str], dry_run: bool, alert: bool,
                 sent: int | None) -> None:
    for label, changes in (("gained", report.gained), ("lost", report.lost)):
        for change in changes:
            click.echo(f"{label:<7} {change.article_id:>10}  {change.grade:<11} "
                       f"{change.rule:<22} {clean_line(change.headline)[:70]}")
    rules = ", ".join(f"{topic} {version}" for topic, version in versions.items())
    note = " (dry run: nothing written)" if dry_run else ""
    click.echo(f"rematch {rules}: {report.evaluated} articles re-evaluated; "
               f"{len(report.gained)} gained, {len(report.lost)} lost (kept), "
               f"{report.updated} updated, {report.unchanged} unchanged{note}")
    if dry_run:
        return
    if alert and (report.gained or report.queued):
        click.echo(f"alerts: {report.queued} queued, {sent or 0} sent")
    elif report.gained:
        click.echo("alerts: none queued for gained matches (use --alert)")
