"""What the command line prints: run summaries, match lists, the effective configuration.

Every table cell is a ``rich.text.Text`` made by :func:`cell`: Rich never reads markup
(``[link=…]``) in it, and no control or format character reaches the terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from crawler.config import Config
from crawler.health.funnel import SOURCES, STAGES
from crawler.launcher import RunOutcome
from crawler.safecsv import SafeCsvWriter
from pipelines.untrusted import clean_line, json_line

_MATCH_FIELDS = ("article_id", "site", "published", "grade", "headline", "url", "evidence")


def cell(*lines: object) -> Text:
    """A table cell: each value as one line of plain text, never markup, never a control."""
    return Text("\n".join(clean_line("" if line is None else str(line)) for line in lines))


#: what --format json and --format jsonl mean, the same in every command
JSON_HELP = "json: one JSON array (an element per line); jsonl: JSON Lines, one object per line"


def utc_time(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A time for a table, with its zone: ``2023-05-10 14:02 UTC`` (naive times are UTC)."""
    if value is None:
        return ""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return f"{aware.astimezone(UTC):{pattern}} UTC"


def write_json(records: Iterable[Mapping[str, Any]], fmt: str, out: TextIO | None = None
               ) -> None:
    """``json``: one array, each element on its own line (``json.load`` reads it);
    ``jsonl``: one object per line. Streamed either way, unsafe characters as escapes."""
    out = sys.stdout if out is None else out
    if fmt == "jsonl":
        for record in records:
            out.write(json_line(dict(record)) + "\n")
        return
    first = True
    for record in records:
        out.write(("[\n" if first else ",\n") + json_line(dict(record)))
        first = False
    out.write("[]\n" if first else "\n]\n")


def print_outcome(outcome: RunOutcome, *, as_json: bool) -> None:
    """The run's coverage funnel per source, other counts and its verdict (or one JSON object)."""
    if as_json:
        payload = {"status": outcome.status, "reason": outcome.reason, "run_id": outcome.run_id,
                   "seconds": round(outcome.seconds, 1), "counts": outcome.counts}
        print(json.dumps(payload))
        return
    console = Console(stderr=False)
    title = f"mtwatch run {outcome.run_id or ''}".strip()
    console.print(_funnel_table(outcome.counts, title))
    table = Table(show_header=False)
    for label, value in _other_counts(outcome.counts):
        table.add_row(cell(label), cell(value))
    table.add_row(cell("status"), cell(outcome.status))
    table.add_row(cell("time"), cell(f"{outcome.seconds:.1f} s"))
    console.print(table)
    if outcome.reason:  # its own line, never folded or cut by a table's width
        print(f"{outcome.status}: {clean_line(outcome.reason)}")


def _funnel_table(counts: dict[str, int], title: str) -> Table:
    """discovered → new → fetched → extracted → evaluated → matched, in total and per source."""
    sources = [s for s in SOURCES if any(counts.get(f"{stage}/{s}") for stage in STAGES)]
    table = Table(title=cell(title))
    for name in ("", "total", *sources):
        table.add_column(cell(name), justify="left" if not name else "right")
    for stage in STAGES:
        cells = [cell(counts.get(f"{stage}/{s}", 0)) for s in sources]
        table.add_row(cell(stage), cell(counts.get(stage, 0)), *cells)
    return table


def _other_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    rows = [(label, value) for label, value in counts.items()
            if value and label not in STAGES and "/" not in label]
    for prefix, label in (("failed/", "fetch failed: "), ("skipped/", "skipped: ")):
        rows += [(label + key.removeprefix(prefix), value) for key, value in counts.items()
                 if key.startswith(prefix)]
    documents = {k: v for k, v in counts.items() if k.startswith("documents/")}
    if documents:
        read = sum(v for k, v in documents.items() if k.endswith("/ok"))
        same = sum(v for k, v in documents.items() if k.endswith("/unchanged"))
        bad = sum(v for k, v in documents.items() if k.endswith("/failed"))
        rows.append((f"feeds/sitemaps read ({same} unchanged, {bad} failed)", read))
    return rows


def _first_evidence(row: Any) -> str:
    evidence = row.evidence or []
    return str(evidence[0].get("sentence", "")) if evidence else ""


def story_others(row: Any, stories: Mapping[str, Sequence[Any]] | None) -> list[Any]:
    """The other articles of ``row``'s story (one match each, first report first)."""
    seen = {row.article_id}
    others = []
    for match in (stories or {}).get(row.story_id or "", ()):
        if match.article_id not in seen:
            seen.add(match.article_id)
            others.append(match)
    return others


def story_text(row: Any, stories: Mapping[str, Sequence[Any]] | None) -> str:
    """``7 · also wire 7, tribune 9`` (its id, then the other reports' sites and ids); "" for
    an article grouped under no story."""
    if not row.story_id:
        return ""
    others = story_others(row, stories)
    also = ", ".join(f"{m.site} {m.article_id}" for m in others)
    return f"{row.story_id} · also {also}" if also else f"{row.story_id} · first report"


def _match_dict(row: Any, stories: Mapping[str, Sequence[Any]] | None = None
                ) -> dict[str, Any]:
    story = None
    if row.story_id:
        story = {"id": row.story_id,
                 "others": [{"article_id": m.article_id, "site": m.site, "url": m.url,
                             "headline": m.headline} for m in story_others(row, stories)]}
    return {
        "article_id": row.article_id,
        "site": row.site,
        "article_key": row.article_key,
        "published": row.published.isoformat() if row.published else None,
        "grade": row.grade,
        "headline": row.headline,
        "url": row.url,
        "topic": row.topic,
        "rule": row.rule,
        "evidence": row.evidence,
        "story": story,
    }


def print_matches(rows: Sequence[Any], fmt: str,
                  stories: Mapping[str, Sequence[Any]] | None = None) -> None:
    """Matches as a table, a JSON array, JSON Lines, or CSV (first evidence sentence in CSV
    and table); ``stories``: each story's matches (``Store.story_reports``), so a match names
    the other articles of its story (table and JSON)."""
    if fmt in ("json", "jsonl"):
        write_json((_match_dict(row, stories) for row in rows), fmt)
    elif fmt == "csv":
        writer = SafeCsvWriter(sys.stdout, _MATCH_FIELDS)
        for row in rows:
            data = _match_dict(row)
            writer.writerow([*(data[k] for k in _MATCH_FIELDS[:-1]), _first_evidence(row)])
    else:
        table = Table(title=cell(f"{len(rows)} matching article(s)"))
        for name in ("id", "site", "published", "grade", "headline", "evidence", "story"):
            table.add_column(cell(name), overflow="fold")
        for row in rows:
            table.add_row(cell(row.article_id), cell(row.site), cell(utc_time(row.published)),
                          cell(row.grade), cell(row.headline, row.url),
                          cell(_first_evidence(row)), cell(story_text(row, stories)))
        Console().print(table)


def print_config(config: Config) -> None:
    """The effective configuration, with secrets redacted: passwords in every URL (store,
    webhook, site) and the SMTP password; Apprise URLs and webhook secrets are never dumped."""
    data = config.model_dump(mode="json", exclude={"sources", "data_dir"})
    email = config.alerts.email
    data["alerts"]["email"]["password"] = "***" if email.password else "(not set)"
    data["store"]["effective_url"] = config.store_url
    print(f"# read from: {', '.join(config.sources)}; env MTWATCH_* applied")
    print(json.dumps(_redacted(data), indent=2, ensure_ascii=False))


def _redacted(value: Any) -> Any:
    """Every string of the configuration tree through the one URL redaction."""
    from pipelines.storage.database import redact_url

    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return redact_url(value) if isinstance(value, str) else value
