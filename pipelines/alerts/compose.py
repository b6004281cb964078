"""One payload of any kind → subject, plain text and HTML, shared by e-mail and Apprise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.alerts.base import payload_kind
from pipelines.alerts.render import AlertView, SiteZones, parse_time, render, view
from pipelines.alerts.sanitize import body_text, header_text, truncate

SUBJECT_LIMIT = 200


@dataclass(frozen=True)
class Composed:
    """A message ready for a channel; ``refers_to`` is the key of the alert it updates."""

    subject: str
    text: str
    html: str
    refers_to: str | None = None
    #: one line saying it all, for chat channels ("" : send the text)
    short: str = ""


@dataclass(frozen=True)
class DigestView:
    title: str
    period: str
    items: list[AlertView]
    runs: str
    healthy: bool
    subject: str = ""
    footer: str = "mtwatch digest: every matching article of the period, each listed once."


@dataclass(frozen=True)
class MessageView:
    """An operator notice or a test message: a title, paragraphs and an optional list."""

    title: str
    paragraphs: list[str]
    items: list[str]


def subject_line(topic_name: str, headline: str, site: str = "") -> str:
    """``[mtwatch] <site> · <topic>: <headline>`` (no site part for payloads from before
    sites), header-safe and at most SUBJECT_LIMIT characters. Mail filters on ``[mtwatch]``
    keep working."""
    named = f"{header_text(site, 40)} · " if site else ""
    prefix = f"[mtwatch] {named}{header_text(topic_name, 80) or 'alert'}: "
    return truncate(prefix + header_text(headline, SUBJECT_LIMIT), SUBJECT_LIMIT)


def compose(payload: Mapping[str, Any], zones: SiteZones | None = None) -> Composed:
    """Subject, text and HTML of any payload; times in each site's zone (``zones``: site name →
    IANA zone; unnamed sites: ``pipelines.alerts.render.site_zone``)."""
    kind = payload_kind(payload)
    if kind == "digest":
        digest = digest_view(payload, zones)
        subject = header_text(f"[mtwatch] {digest.subject}", SUBJECT_LIMIT)
        return Composed(subject, render("digest.txt.j2", digest=digest),
                        render("digest.html.j2", digest=digest))  # fmt: skip
    if kind in ("notice", "test"):
        message = message_view(payload)
        subject = header_text(f"[mtwatch] {message.title}", SUBJECT_LIMIT)
        return Composed(subject, render("message.txt.j2", message=message),
                        render("message.html.j2", message=message))  # fmt: skip
    alert = view(payload, zones)
    if alert.kind == "update" and alert.also_reported_by:
        return story_update(alert)
    topic = f"{alert.topic_name} (updated)" if alert.kind == "update" else alert.topic_name
    return Composed(
        subject_line(topic, alert.headline, alert.site),
        render("email.txt.j2", alert),
        render("email.html.j2", alert),
        refers_to=(alert.refers_to or None) if alert.kind == "update" else None,
    )


def story_update(alert: AlertView) -> Composed:
    """A later report of a story: a reply to the story's first alert ("Re: <its subject>")
    saying which site also reported it, threaded under it (``refers_to``)."""
    also = f" — also reported by {header_text(alert.also_reported_by, 40)}"
    first = subject_line(alert.topic_name, alert.story_headline or alert.headline,
                         alert.story_site)
    subject = truncate("Re: " + first, SUBJECT_LIMIT - len(also)) + also
    short = (f"Also reported by {alert.also_reported_by}: {alert.headline} — {alert.url} "
             f"(story {alert.story_id}, first: {alert.story_headline})")
    return Composed(subject, render("email.txt.j2", alert), render("email.html.j2", alert),
                    refers_to=alert.refers_to or None, short=short)


def _count(n: int) -> str:
    return f"{n} matching article{'s' if n != 1 else ''}" if n else "no matches"


def digest_view(payload: Mapping[str, Any], zones: SiteZones | None = None) -> DigestView:
    if payload.get("every") == "backfill":
        return backfill_view(payload, zones)
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
    items = [view(item, zones) for item in payload.get("items") or []
             if isinstance(item, Mapping)]
    title = f"{every} digest{_of_watch(payload)}"
    return DigestView(title, period, items, *_runs(runs),
                      subject=f"{title}: {_count(len(items))}")  # fmt: skip


def backfill_view(payload: Mapping[str, Any], zones: SiteZones | None = None) -> DigestView:
    """"43 earlier articles matched": the alerts a crawl found for old articles."""
    raw = [item for item in payload.get("items") or [] if isinstance(item, Mapping)]
    items = [view(item, zones) for item in raw]
    n = len(items)
    title = f"{n} earlier article{'s' if n != 1 else ''} matched{_of_watch(payload)}"
    part, parts = _int(payload.get("part"), 1), _int(payload.get("parts"), 1)
    if parts > 1:
        title += f" (part {part} of {parts})"
    days = sorted(d for d in (parse_time(i.get("published")) for i in raw) if d is not None)
    period = (f"published {days[0]:%Y-%m-%d} – {days[-1]:%Y-%m-%d}" if days
              else "publication dates unknown")  # fmt: skip
    older = body_text(str(payload.get("older_than") or "a while"))
    note = (f"Found by a backfill: these articles were published more than {older} before the "
            "crawl that found them, so they come in one message instead of one alert each. "
            "Newer matches alert one by one as usual.")  # fmt: skip
    footer = "mtwatch backfill digest: every earlier matching article, each listed once."
    return DigestView(f"Backfill: {title}", period, items, note, True, subject=title,
                      footer=footer)  # fmt: skip


def _of_watch(payload: Mapping[str, Any]) -> str:
    """`` for watch <name>`` of a watch's digest ("" for a channel's own)."""
    watch = header_text(str(payload.get("watch") or ""), 40)
    return f" for watch {watch}" if watch else ""


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


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
        "`mtwatch alerts retry ID` sends one again with the same id, "
        "`mtwatch alerts retry --all` every one."]  # fmt: skip
    if any(i.get("event") == "held" for i in items):
        advice.insert(0, "A held channel keeps its alerts: they all go out, once each, on the "
                         "first delivery after the fix (the end of the next run, or the "
                         "daemon's retry job).")  # fmt: skip
    advice += dict.fromkeys(body_text(str(i["advice"])) for i in coverage if i.get("advice"))
    return MessageView(title, advice, lines)


#: notices about coverage (crawler.health.coverage): a monitor or canary, an article given up
COVERAGE_EVENTS = ("coverage", "gave_up")


def notice_title(item: Mapping[str, Any]) -> str:
    if item.get("event") in COVERAGE_EVENTS:
        return body_text(str(item.get("title") or "coverage"))
    channel = body_text(str(item.get("channel") or "?"))
    if item.get("event") == "disabled":
        return f"{channel} channel disabled"
    if item.get("event") == "held":
        return f"{channel} channel held"
    return f"{channel} alert {item.get('alert_id')} is dead"


def notice_line(item: Mapping[str, Any]) -> str:
    what = notice_title(item)
    about = body_text(str(item.get("headline") or item.get("about") or ""))
    link = body_text(str(item.get("url") or "")) if item.get("event") == "gave_up" else ""
    error = body_text(str(item.get("error") or ""))
    if item.get("event") in ("held", "disabled"):  # the problem, then what to do
        about, error = error, f"fix: {about}" if about else ""
    limit = 1000 if item.get("event") in COVERAGE_EVENTS else 800
    return truncate(" — ".join(p for p in (what, about, link, error) if p), limit)
