"""Canaries: known matching articles, fetched again once a day, that must still match. Pure.

A canary is the end-to-end check that the real site, the extractor and the rules still
agree: its page is fetched (with conditional GET), its body extracted and matched exactly as
a crawl does, and it passes only when the rules match it on its **body** (the headline of
a81087 alone would match even with no body at all). What the spider saw is a
``CanaryResult``; ``readings`` turns the results into coverage monitor readings
(``canary a81087``), so a canary trips, recovers and is reported like any monitor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from crawler.health.readings import Reading

STATE_KEY = "canaries"
_ID = re.compile(r"-a(\d+)/?$")


@dataclass(frozen=True)
class CanaryResult:
    """One canary check: passed or why not, and what the next conditional GET sends."""

    url: str
    ok: bool
    reason: str = ""
    headline: str = ""
    checked_at: str = ""
    etag: str | None = None
    last_modified: str | None = None
    #: the extractor and rules it was judged with (``checker``); a change re-fetches it
    checker: str = ""

    def as_state(self) -> dict[str, Any]:
        return asdict(self)


def shown(text: str, limit: int = 200) -> str:
    """Crawled text as it may appear in a reason, a notice or a terminal: printable, bounded."""
    clean = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return clean if len(clean) <= limit else clean[:limit - 1] + "…"


def label(url: str) -> str:
    """``a81087`` for an article URL, else the URL itself."""
    found = _ID.search(url)
    return f"a{found[1]}" if found else url


def monitor_name(url: str) -> str:
    return f"canary {label(url)}"


def due(urls: Sequence[str], state: Mapping[str, Any], now: datetime, every: timedelta,
        checker: str) -> list[tuple[str, tuple[str | None, str | None] | None]]:
    """The canaries to check in this run, each with its validators for a conditional GET.

    Due once ``every`` has passed since the last check; a failing canary is checked on every
    run (so its recovery is seen at once); a changed extractor or rule set fetches it whole.
    """
    out: list[tuple[str, tuple[str | None, str | None] | None]] = []
    for url in urls:
        last = state.get(url)
        if not isinstance(last, Mapping):
            out.append((url, None))
            continue
        try:
            checked = datetime.fromisoformat(str(last.get("checked_at")))
        except ValueError:
            out.append((url, None))
            continue
        same = last.get("checker") == checker and bool(last.get("ok"))
        if not last.get("ok") or now - checked >= every or not same:
            validators = (last.get("etag"), last.get("last_modified")) if same else None
            out.append((url, validators))
    return out


def verdict(headline: str | None, extraction: str, body: str,
            matched_fields: Sequence[set[str]]) -> str:
    """Why a fetched canary page fails ("" when it passes).

    ``matched_fields``: for each topic that matched, the fields its evidence came from.
    """
    if headline is None:
        return "the page is no article any more (no headline or ID found)"
    if not body.strip() or extraction == "no_body":
        return f"no article body could be extracted ({extraction}): layout changed?"
    if not matched_fields:
        return f"it no longer matches the rules (body read by {extraction}, {len(body)} chars)"
    if not any("body" in fields for fields in matched_fields):
        return (f"it matches on its headline only: its body (read by {extraction}, "
                f"{len(body)} chars) no longer proves it")
    return ""


def readings(urls: Sequence[str], results: Sequence[CanaryResult],
             state: Mapping[str, Any]) -> list[Reading]:
    """One reading per configured canary; one not checked in this run is not judged."""
    by_url = {r.url: r for r in results}
    out = []
    for url in urls:
        result = by_url.get(url)
        name = monitor_name(url)
        if result is None:
            last = state.get(url)
            checked = last.get("checked_at") if isinstance(last, Mapping) else None
            out.append(Reading(name, None, value=f"last checked {checked or 'never'}"))
            continue
        about = f"{name} ({shown(result.headline)})" if result.headline else name
        if result.ok:
            out.append(Reading(name, False, value=f"{about} extracts and matches"))
        else:
            out.append(Reading(name, True, f"{about} failed: {result.reason} <{url}>",
                               value=result.reason))
    return out
