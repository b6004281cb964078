"""The Matches page: newest first, keyset pages, filters by topic, site, grade, dates, label
and free text; each row with its first evidence sentence highlighted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crawler.web.text import clip
from pipelines.alerts.render import highlight
from pipelines.storage import Store
from pipelines.storage.desk import (
    LABEL_FILTERS,
    Cursor,
    MatchFilter,
    MatchRow,
    count_matches,
    match_page,
    topics_and_sites,
)

GRADES = ("development", "mention")
#: the filter form's fields, in the query string
FIELDS = ("topic", "site", "grade", "from", "to", "label", "q")
MAX_QUERY_CHARS = 200


@dataclass
class Query:
    """The page's query string, checked: a bad value is dropped and said so."""

    filter: MatchFilter
    params: dict[str, str]
    before: Cursor | None = None
    after: Cursor | None = None
    errors: list[str] = field(default_factory=list)


def _day(value: str, name: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{name}: expected a day like 2026-06-23, got {clip(value, 40)!r}")
        return None


def _cursor(value: str, errors: list[str]) -> Cursor | None:
    if not value:
        return None
    when, _, match_id = value.rpartition("_")
    try:
        parsed = datetime.fromisoformat(when)
        if parsed.utcoffset() is None or not match_id.isdigit():
            raise ValueError(value)
    except ValueError:
        errors.append("that page link is not valid any more: showing the newest matches")
        return None
    return Cursor(parsed, int(match_id))


def cursor_text(cursor: Cursor) -> str:
    return f"{cursor.when.isoformat()}_{cursor.match_id}"


def _choice(value: str, allowed: tuple[str, ...], name: str, errors: list[str]) -> str | None:
    if value and value not in allowed:
        errors.append(f"{name}: unknown value {clip(value, 40)!r}")
        return None
    return value or None


def parse(params: Mapping[str, str], zone: ZoneInfo) -> Query:
    """The filter (days in the desk's time zone; "to" is inclusive) and the page cursor."""
    errors: list[str] = []
    raw = {name: str(params.get(name, "")).strip()[:MAX_QUERY_CHARS] for name in FIELDS}
    start, end = _day(raw["from"], "from", errors), _day(raw["to"], "to", errors)
    kept = dict(raw)
    kept["grade"] = _choice(raw["grade"], GRADES, "grade", errors) or ""
    kept["label"] = _choice(raw["label"], LABEL_FILTERS, "label", errors) or ""
    kept["from"], kept["to"] = (start.isoformat() if start else "",
                                end.isoformat() if end else "")
    filt = MatchFilter(
        topic=kept["topic"] or None, site=kept["site"] or None, grade=kept["grade"] or None,
        start=datetime.combine(start, time(), tzinfo=zone) if start else None,
        end=datetime.combine(end + timedelta(days=1), time(), tzinfo=zone) if end else None,
        label=kept["label"] or None, text=kept["q"],
    )  # fmt: skip
    return Query(filt, kept, _cursor(str(params.get("before", "")), errors),
                 _cursor(str(params.get("after", "")), errors), errors)


def first_evidence(row: MatchRow, text: str = "") -> list[tuple[str, bool]]:
    """The row's first evidence sentence (the first containing ``text``, when searching),
    bounded, with its matched terms marked."""
    if not row.evidence:
        return []
    wanted = text.casefold()
    item = next((e for e in row.evidence if wanted and wanted in
                 str(e.get("sentence", "")).casefold()), row.evidence[0])
    terms = [str(t) for t in item.get("terms") or []]
    return highlight(clip(str(item.get("sentence", "")), 400), terms)


def context(store: Store, params: Mapping[str, str], zone: ZoneInfo, page_size: int
            ) -> dict[str, Any]:
    """Everything the Matches template shows."""
    query = parse(params, zone)
    with store.read("desk_matches") as conn:
        rows = match_page(conn, query.filter, before=query.before, after=query.after,
                          limit=page_size + 1)
        total = count_matches(conn, query.filter)
        topics, sites = topics_and_sites(conn)
    newer = older = None
    if query.after is not None:
        more_newer = len(rows) > page_size
        rows = rows[1:] if more_newer else rows
        newer = rows[0].cursor if more_newer and rows else None
        older = rows[-1].cursor if rows else None
    else:
        more_older = len(rows) > page_size
        rows = rows[:page_size]
        older = rows[-1].cursor if more_older and rows else None
        newer = rows[0].cursor if query.before is not None and rows else None
    return {
        "rows": [{"row": r, "evidence": first_evidence(r, query.filter.text)} for r in rows],
        "total": total, "query": query, "params": query.params, "errors": query.errors,
        "topics": topics, "sites": sites, "grades": GRADES, "labels": LABEL_FILTERS,
        "older": {**query.params, "before": cursor_text(older)} if older else None,
        "newer": {**query.params, "after": cursor_text(newer)} if newer else None,
        "first_page": query.before is None and query.after is None,
    }  # fmt: skip
