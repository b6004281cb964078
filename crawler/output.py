"""What the command line prints: run summaries, match lists, the effective configuration."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from crawler.config import Config
from crawler.runner import RunOutcome

_MATCH_FIELDS = ("article_id", "published", "grade", "headline", "url", "evidence")


def print_outcome(outcome: RunOutcome, *, as_json: bool) -> None:
    """The run's funnel and verdict, as a table (or one JSON object)."""
    if as_json:
        payload = {"status": outcome.status, "reason": outcome.reason, "run_id": outcome.run_id,
                   "seconds": round(outcome.seconds, 1), "counts": outcome.counts}
        print(json.dumps(payload))
        return
    console = Console(stderr=False)
    table = Table(title=f"mtwatch run {outcome.run_id or ''}".strip(), show_header=False)
    for label, value in outcome.counts.items():
        if value:
            table.add_row(label, str(value))
    table.add_row("status", f"{outcome.status} {outcome.reason}".strip())
    table.add_row("time", f"{outcome.seconds:.1f} s")
    console.print(table)


def _first_evidence(row: Any) -> str:
    evidence = row.evidence or []
    return str(evidence[0].get("sentence", "")) if evidence else ""


def _match_dict(row: Any) -> dict[str, Any]:
    return {
        "article_id": row.article_id,
        "published": row.published.isoformat() if row.published else None,
        "grade": row.grade,
        "headline": row.headline,
        "url": row.url,
        "topic": row.topic,
        "rule": row.rule,
        "evidence": row.evidence,
    }


def print_matches(rows: Sequence[Any], fmt: str) -> None:
    """Matches as a table, JSON lines, or CSV (first evidence sentence in CSV and table)."""
    if fmt == "json":
        for row in rows:
            print(json.dumps(_match_dict(row), ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(_MATCH_FIELDS)
        for row in rows:
            data = _match_dict(row)
            writer.writerow([*(data[k] for k in _MATCH_FIELDS[:-1]), _first_evidence(row)])
    else:
        table = Table(title=f"{len(rows)} matching article(s)")
        for name in ("published", "grade", "headline", "evidence"):
            table.add_column(name, overflow="fold")
        for row in rows:
            published = row.published.strftime("%Y-%m-%d %H:%M") if row.published else ""
            table.add_row(published, row.grade, f"{row.headline}\n{row.url}", _first_evidence(row))
        Console().print(table)


def print_config(config: Config) -> None:
    """The effective configuration, with secrets redacted."""
    data = config.model_dump(mode="json", exclude={"sources", "data_dir"})
    email = config.alerts.email
    data["alerts"]["email"]["password"] = "***" if email.password else "(not set)"
    data["store"]["effective_url"] = config.store_url
    print(f"# read from: {', '.join(config.sources)}; env MTWATCH_* applied")
    print(json.dumps(data, indent=2, ensure_ascii=False))
