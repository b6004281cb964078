"""One payload of any kind → subject, plain text and HTML, shared by e-mail and Apprise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.alerts.base import payload_kind
from pipelines.alerts.render import AlertView, parse_time, render, view
from pipelines.alerts.sanitize import body_text, header_text, truncate

SUBJECT_LIMIT = 200


@dataclass(frozen=True)
class Composed:
    """A message ready for a channel; ``refers_to`` is the key of the alert it updates."""

    subject: str
    text: str
    html: str
    refers_to: str | None = None


@dataclass(frozen=True)
class DigestView:
    title: str
    period: str
    items: list[AlertView]
    runs: str
    healthy: bool


@dataclass(frozen=True)
class MessageView:
    """An operator notice or a test message: a title, paragraphs and an optional list."""

    title: str
    paragraphs: list[str]
    items: list[str]


def subject_line(topic_name: str, headline: str) -> str:
    """``[mtwatch] <topic>: <headline>``, header-safe and at most SUBJECT_LIMIT characters."""
    prefix = f"[mtwatch] {header_text(topic_name, 80) or 'alert'}: "
    return truncate(prefix + header_text(headline, SUBJECT_LIMIT), SUBJECT_LIMIT)


def compose(payload: Mapping[str, Any]) -> Composed:
    kind = payload_kind(payload)
    if kind == "digest":
        digest = digest_view(payload)
        subject = header_text(f"[mtwatch] {digest.title}: {_count(digest)}", SUBJECT_LIMIT)
        return Composed(subject, render("digest.txt.j2", digest=digest),
                        render("digest.html.j2", digest=digest))  # fmt: skip
    if kind in ("notice", "test"):
        message = message_view(payload)
        subject = header_text(f"[mtwatch] {message.title}", SUBJECT_LIMIT)
        return Composed(subject, render("message.txt.j2", message=message),
                        render("message.html.j2", message=message))  # fmt: skip
    alert = view(payload)
    topic = f"{alert.topic_name} (updated)" if alert.kind == "update" else alert.topic_name
    return Composed(
        subject_line(topic, alert.headline),
        render("email.txt.j2", alert),
        render("email.html.j2", alert),
        refers_to=(alert.refers_to or None) if alert.kind == "update" else None,
    )


def _count(digest: DigestView) -> str:
    n = len(digest.items)
    return f"{n} matching article{'s' if n != 1 else ''}" if n else "no matches"


def digest_view(payload: Mapping[str, Any]) -> DigestView:
    zone = _zone(str(payload.get("timezone") or "UTC"))
    start, end = parse_time(payload.get("period_start")), parse_time(payload.get("period_end"))
    fmt = "%Y-%m-%d %H:%M"
    period = "?"
    if start is not None and end is not None:
        period = (f"{start.astimezone(zone).strftime(fmt)} – {end.astimezone(zone).strftime(fmt)} "
                  f"{end.astimezone(zone).strftime('%Z')}")  # fmt: skip
    runs = payload.get("runs") if isinstance(payload.get("runs"), Mapping) else {}
    assert isinstance(runs, Mapping)
    every = "Weekly" if payload.get("every") == "weekly" else "Daily"
    items = [view(item) for item in payload.get("items") or [] if isinstance(item, Mapping)]
    return DigestView(f"{every} digest", period, items, *_runs(runs))


def _runs(runs: Mapping[str, Any]) -> tuple[str, bool]:
    counts = {k: int(runs.get(k) or 0) for k in ("ok", "degraded", "failed")}
    total = sum(counts.values())
    if not total:
        return "no crawl finished in this period: check that mtwatch is running", False
    parts = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    healthy = counts["failed"] == 0 and counts["degraded"] == 0
    return f"{total} crawl run{'s' if total != 1 else ''} in this period: {parts}", healthy


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def message_view(payload: Mapping[str, Any]) -> MessageView:
    if payload_kind(payload) == "test":
        channel = body_text(str(payload.get("channel") or "?"))
        return MessageView("test alert", [
            f"This is a test message from mtwatch through the {channel} channel.",
            "If you can read it, alerts for matching articles will reach you here too.",
        ], [])  # fmt: skip
    items = [i for i in payload.get("items") or [] if isinstance(i, Mapping)]
    lines = [notice_line(i) for i in items]
    coverage = [i for i in items if i.get("event") in COVERAGE_EVENTS]
    only_coverage = bool(items) and len(coverage) == len(items)
    kind = "coverage" if only_coverage else "alert"
    title = (f"operator notice: {len(items)} {kind} problem(s)" if len(items) != 1
             else f"operator notice: {notice_title(items[0])}")  # fmt: skip
    advice = [] if only_coverage else [
        "`mtwatch alerts list --status dead` shows dead alerts; "
        "`mtwatch alerts retry ID` sends one again with the same id."]  # fmt: skip
    advice += dict.fromkeys(body_text(str(i["advice"])) for i in coverage if i.get("advice"))
    return MessageView(title, advice, lines)


#: notices about coverage (crawler.coverage): a monitor or canary, an article given up
COVERAGE_EVENTS = ("coverage", "gave_up")


def notice_title(item: Mapping[str, Any]) -> str:
    if item.get("event") in COVERAGE_EVENTS:
        return body_text(str(item.get("title") or "coverage"))
    channel = body_text(str(item.get("channel") or "?"))
    if item.get("event") == "disabled":
        return f"{channel} channel disabled"
    return f"{channel} alert {item.get('alert_id')} is dead"


def notice_line(item: Mapping[str, Any]) -> str:
    what = notice_title(item)
    about = body_text(str(item.get("headline") or item.get("about") or ""))
    link = body_text(str(item.get("url") or "")) if item.get("event") == "gave_up" else ""
    error = body_text(str(item.get("error") or ""))
    limit = 1000 if item.get("event") in COVERAGE_EVENTS else 600
    return truncate(" — ".join(p for p in (what, about, link, error) if p), limit)
