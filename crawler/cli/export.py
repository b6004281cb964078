"""`mtwatch export`: matches or articles as JSON lines or CSV, for other tools."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import click

from crawler.cli.common import EXIT_FAILED, db_option, fail, load, since_option, store_error
from crawler.output import write_json
from crawler.safecsv import SafeCsvWriter

#: article columns that are bookkeeping, not content
_ARTICLE_SKIP = ("html_sha256",)


@click.command("export")
@db_option
@since_option
@click.option("--what", type=click.Choice(["matches", "articles", "labels"]), default="matches",
              show_default=True, help="matches (with evidence), every stored article, or the "
              "labelled articles as corpus rows (the format of `mtwatch match FILE`).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv"]), default="jsonl",
              show_default=True, help="jsonl: JSON Lines, one object per line, exactly as "
              "stored; json: the same objects as one JSON array (an element per line); "
              "csv: a header row, lists and evidence as JSON in their cells, and a ' before "
              "any cell a spreadsheet would run as a formula (=, +, -, @).")
@click.pass_context
def command(ctx: click.Context, db_url: str | None, since: date | None, what: str,
            fmt: str) -> None:
    """Write matches or articles to stdout, all columns, UTC ISO-8601 times.

    --what labels writes each labelled article as a corpus row ({"id", "label", "title",
    "subtitle", "text", "language", "published", "note", "url", …}): append relevant
    articles the rules missed to your corpus and backtest with `mtwatch match FILE`.
    --since filters on the publication day (articles without one: the day they were fetched).
    Articles are read in pages, so exporting a large store uses little memory and never
    blocks the daemon.
    """
    from pipelines.storage import Store, StoreError

    config = load(ctx, store={"url": db_url})
    since_dt = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
    try:
        with Store(config.store_url) as store:
            rows = (_matches(store, since_dt) if what == "matches"
                    else _labels(store, since_dt) if what == "labels"
                    else _articles(store, since_dt))
            _write(rows, fmt, MATCH_FIELDS if what == "matches" else ())
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)
    except BrokenPipeError:  # `mtwatch export | head`
        sys.stderr.close()


#: (site and article_key came with several sites: after the older columns, so a CSV reader
#: that counts columns keeps working)
MATCH_FIELDS = ("article_id", "topic", "grade", "rule", "rule_version", "matched_at",
                "published", "headline", "url", "site", "article_key", "evidence")


def _matches(store: Any, since: datetime | None) -> Iterator[dict[str, Any]]:
    for row in reversed(store.list_matches(since=since)):  # oldest first, like articles
        yield {name: getattr(row, name) for name in MATCH_FIELDS}


def _articles(store: Any, since: datetime | None) -> Iterator[dict[str, Any]]:
    for row in store.export_articles(since=since):
        yield {k: v for k, v in row.items() if k not in _ARTICLE_SKIP}


def _labels(store: Any, since: datetime | None) -> Iterator[dict[str, Any]]:
    from crawler.cli.label import corpus_rows

    return corpus_rows(store, since)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _write(rows: Iterable[dict[str, Any]], fmt: str, header: tuple[str, ...]) -> None:
    out = sys.stdout
    if fmt in ("json", "jsonl"):
        write_json(({k: _plain(v) for k, v in row.items()} for row in rows), fmt, out)
        out.flush()
        return
    writer: SafeCsvWriter | None = None
    if fmt == "csv" and header:
        writer = SafeCsvWriter(out, header)
    for row in rows:
        data = {k: _plain(v) for k, v in row.items()}
        if writer is None:
            writer = SafeCsvWriter(out, list(data))
        writer.writedict({k: json.dumps(v, ensure_ascii=False)
                          if isinstance(v, list | dict) else v for k, v in data.items()})
    out.flush()
