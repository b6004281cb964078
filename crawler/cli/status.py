"""`mtwatch status`: last runs, alert backlog, time since the last success, the next crawl,
each site's feeds and sitemaps."""

from __future__ import annotations

import json
import os
import socket
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import click

from crawler.cli.common import EXIT_FAILED, db_option, fail, load, store_error
from crawler.cli.status_watches import watch_health, watch_line
from crawler.config import Config
from crawler.health.monitor_state import summary as monitor_summary
from pipelines.untrusted import clean_line, json_line

if TYPE_CHECKING:
    from pipelines.storage.sources import SourceHealth

#: exit status when no crawl succeeded within the dead-man's threshold
EXIT_STALE = 1


@dataclass(frozen=True)
class Health:
    """What `status` reports, computed once for the table and the JSON."""

    store: str
    runs: list[Any]
    alerts: dict[str, int]
    last_success: datetime | None
    threshold: timedelta | None
    daemon: dict[str, Any] | None
    now: datetime
    #: held alert channels: their alerts wait for a fix
    holds: list[Any] = field(default_factory=list)
    #: the coverage monitors' and canaries' state (crawler.health.coverage)
    monitors: dict[str, Any] | None = None
    #: unfinished backfills, then the newest finished one
    backfills: list[Any] = field(default_factory=list)
    #: one line per site with stored articles
    sites: list[SiteHealth] = field(default_factory=list)
    #: every site's discovery documents: last poll, status, 304 share, failures, last error
    sources: list[SourceHealth] = field(default_factory=list)
    #: [cluster] redis_url set: workers, leader, queue depth (crawler.cluster.status)
    cluster: dict[str, Any] | None = None
    #: the watches: what each covers, its channels, its alerts by status (status_watches)
    watches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        if self.threshold is None or not self.runs:
            return False
        return self.last_success is None or self.now - self.last_success > self.threshold


@dataclass(frozen=True)
class SiteHealth:
    """One site's articles in the store: how many, the newest, and how far back they reach."""

    site: str
    articles: int
    evaluated: int
    #: the newest publication time among its evaluated articles
    last_article: datetime | None
    #: how far back it reaches: its earliest backfill horizon, else its oldest article's day
    horizon: date | None
    #: the newest run that crawled it: (id, status, started)
    last_run: tuple[int, str, datetime] | None


def _sites(store: Any) -> list[SiteHealth]:
    found = []
    for summary in store.site_summaries():
        horizons = [b.since for b in store.recent_backfills(100, site=summary.site)]
        oldest = summary.oldest.date() if summary.oldest else None
        horizon = min([*horizons, *([oldest] if oldest else [])], default=None)
        run = store.last_run_of(summary.site)
        found.append(SiteHealth(summary.site, summary.articles, summary.evaluated, summary.newest,
                                horizon, (run.id, run.status, run.started_at) if run else None))
    return found


def _site_json(x: SiteHealth) -> dict[str, Any]:
    return {"site": x.site, "articles": x.articles, "evaluated": x.evaluated,
            "last_article": x.last_article.isoformat() if x.last_article else None,
            "horizon": x.horizon.isoformat() if x.horizon else None,
            "last_run": None if x.last_run is None else {
                "id": x.last_run[0], "status": x.last_run[1],
                "started_at": x.last_run[2].isoformat()}}


def _site_line(x: SiteHealth) -> str:
    last = f"{x.last_article:%Y-%m-%d %H:%M} UTC" if x.last_article else "none"
    run = f"run {x.last_run[0]} {x.last_run[1]}" if x.last_run else "no run yet"
    horizon = x.horizon.isoformat() if x.horizon else "none"
    return clean_line(f"{x.site}: {x.articles} article(s), {x.evaluated} evaluated, last "
                      f"article {last}, horizon {horizon}, {run}")


#: documents in the table (failing ones first); --format json lists every one
SOURCES_SHOWN = 30
#: characters of a document's last error in the table, and of a note under it
ERROR_SHOWN = 160
NOTE_SHOWN = 400


def failing_first(found: list[SourceHealth]) -> list[SourceHealth]:
    """Documents whose last poll failed first, then by site, kind and URL."""
    return sorted(found, key=lambda h: (h.status != "error", h.site, h.kind, h.url))


def unchanged_rate(h: SourceHealth) -> str:
    """``"40 % of 5"``: the 304 share of the document's recent polls; "—" before any."""
    share = h.unchanged_share
    return "—" if share is None else f"{100 * share:.0f} % of {len(h.recent)}"


def poll_interval(h: SourceHealth) -> str:
    """The document's learned polling interval ("45 min", "2 h 10 min"); "—" when it has
    none (not scheduled, or not polled since adaptive polling)."""
    if h.interval is None:
        return "—"
    hours, minutes = divmod(round(h.interval / 60), 60)
    return f"{hours} h {minutes} min" if hours and minutes else (
        f"{hours} h" if hours else f"{minutes} min")


def _source_json(h: SourceHealth) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {"site": h.site, "kind": h.kind, "url": h.url, "last_poll": iso(h.polled_at),
            "last_status": h.status, "recent_polls": len(h.recent),
            "unchanged_polls": h.unchanged, "unchanged_share": h.unchanged_share,
            "consecutive_failures": h.failures, "last_error": h.error,
            "last_error_at": iso(h.error_at), "last_good_read": iso(h.checked_at),
            "last_changed": iso(h.changed_at), "poll_interval_seconds": h.interval,
            "next_poll_due": iso(h.next_poll_at), "moved_to": h.moved_to, "note": h.note}


def _sources_table(h: Health) -> Any:
    from rich.table import Table

    from crawler.output import cell, utc_time

    shown = failing_first(h.sources)[:SOURCES_SHOWN]
    more = len(h.sources) - len(shown)
    title = f"{len(h.sources)} feed(s) and sitemap(s)" + (
        f", the first {len(shown)} (--format json lists every one)" if more else "")
    table = Table(title=cell(title), show_lines=False)
    for name in ("site", "kind", "url", "last poll", "status", "304 rate", "failures",
                 "interval", "next due", "last error"):
        table.add_column(cell(name), overflow="fold")
    for x in shown:
        error = "" if x.error is None else f"{utc_time(x.error_at)}: {x.error}"
        table.add_row(cell(x.site), cell(x.kind), cell(x.url), cell(utc_time(x.polled_at)),
                      cell(x.status), cell(unchanged_rate(x)), cell(x.failures),
                      cell(poll_interval(x)), cell(utc_time(x.next_poll_at)),
                      cell(_bounded(error, ERROR_SHOWN)))
    return table


def _bounded(text: str, limit: int) -> str:
    text = clean_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@click.command("status")
@db_option
@click.option("--runs", "limit", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="How many recent runs to show.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]),
              default="table", show_default=True,
              help="table for people (times in UTC); json: one JSON object, indented; jsonl: "
              "the same object on one line (append it to a file for a history).")
@click.option("--json", "as_jsonl", is_flag=True,
              help="The same as --format jsonl (one line).")
@click.pass_context
def command(ctx: click.Context, db_url: str | None, limit: int, fmt: str,
            as_jsonl: bool) -> None:
    """Show health: recent runs, pending and dead alerts, time since the last successful
    crawl, the daemon's next crawl, and the coverage monitors and canaries (a tripped one
    also prints a warning line on stderr).

    Exit status 1 (with a warning line) when no crawl succeeded for daemon.deadman_intervals
    intervals, so a monitoring job can run `mtwatch status >/dev/null || alert-me`.
    """
    config = load(ctx, store={"url": db_url})
    health = _collect(config, limit)
    fmt = "jsonl" if as_jsonl else fmt
    if fmt != "table":
        click.echo(json_line(_as_json(health)) if fmt == "jsonl"
                   else json.dumps(_as_json(health), indent=2, ensure_ascii=True))
    else:
        _print(health)
    for line in monitor_summary(health.monitors or {})[1]:
        click.echo(f"mtwatch: warning: coverage monitor {line}", err=True)
    if health.stale and health.threshold is not None:
        threshold = _ago(health.now - health.threshold, health.now)
        since = f"for {_ago(health.last_success, health.now)}" if health.last_success else "yet"
        click.echo(f"mtwatch: warning: no successful crawl {since} (dead-man threshold "
                   f"{threshold})", err=True)
        sys.exit(EXIT_STALE)


def _collect(config: Config, limit: int) -> Health:
    from crawler.daemon.bookkeeping import DAEMON_KEY
    from crawler.health.coverage import STATE_KEY
    from pipelines.storage import Store, StoreError

    intervals = config.daemon.deadman_intervals
    threshold = timedelta(seconds=config.schedule.interval * intervals) if intervals else None
    try:
        with Store(config.store_url) as store:
            daemon = store.get_state(DAEMON_KEY)
            if daemon and daemon.get("interval_s") and intervals:
                threshold = timedelta(seconds=float(daemon["interval_s"]) * intervals)
            return Health(store.location, store.last_runs(limit), store.alert_counts(),
                          store.last_success(), threshold, daemon, datetime.now(UTC),
                          list(store.channel_holds().values()),
                          store.get_state(STATE_KEY), _backfills(store), _sites(store),
                          store.source_health(),
                          _cluster(config, store), watch_health(config, store.watch_counts()))
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)


def _cluster(config: Config, store: Any) -> dict[str, Any] | None:
    if not config.cluster.enabled:
        return None
    from crawler.cluster.status import cluster_status
    from crawler.cluster.worker import redis_client

    client = redis_client(config.cluster.redis_url)
    try:
        return cluster_status(config, store, client, datetime.now(UTC))
    finally:
        client.close()


def _backfills(store: Any) -> list[Any]:
    unfinished = store.unfinished_backfills()
    finished = [b for b in store.recent_backfills(len(unfinished) + 1) if b.finished]
    return [*unfinished, *finished[:1]]


def _backfill_json(b: Any) -> dict[str, Any]:
    return {"id": b.id, "trigger": b.trigger, "since": b.since.isoformat(), "reason": b.reason,
            "finished": b.finished, "months_total": len(b.months),
            "months_walked": len(b.months) - len(b.left), "months_left": list(b.left),
            "started_at": b.started_at.isoformat(),
            "finished_at": b.finished_at.isoformat() if b.finished_at else None}


def _backfill_lines(h: Health) -> list[str]:
    lines = [f"{b.progress()} ({b.reason}, started {b.started_at:%Y-%m-%d %H:%M} UTC); the "
             "next run continues it" for b in h.backfills if not b.finished]
    if lines:
        return lines
    last = next((b for b in h.backfills if b.finished), None)
    if last is None:
        return ["none"]
    return [f"none unfinished (last: {last.progress()}, {last.finished_at:%Y-%m-%d %H:%M} UTC)"]


def daemon_alive(state: dict[str, Any] | None, now: datetime) -> bool:
    """Running, with a recent heartbeat, and (on this host) a live process."""
    if not state or state.get("state") != "running":
        return False
    beat = datetime.fromisoformat(state["heartbeat_at"])
    if now - beat > timedelta(seconds=2 * float(state.get("interval_s") or 900) + 600):
        return False
    if state.get("host") == socket.gethostname():
        try:
            os.kill(int(state["pid"]), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return True


def _ago(when: datetime, now: datetime) -> str:
    seconds = int((now - when).total_seconds())
    if abs(seconds) < 120:
        return f"{seconds} s"
    if abs(seconds) < 7200:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"


def _run_json(run: Any) -> dict[str, Any]:
    finished = run.finished_at.isoformat() if run.finished_at else None
    return {"id": run.id, "trigger": run.trigger, "started_at": run.started_at.isoformat(),
            "finished_at": finished, "status": run.status, "reason": run.reason,
            "counts": run.stats}


def _as_json(h: Health) -> dict[str, Any]:
    alive = daemon_alive(h.daemon, h.now)
    since = (h.now - h.last_success).total_seconds() if h.last_success else None
    return {
        "store": h.store,
        "last_success": h.last_success.isoformat() if h.last_success else None,
        "seconds_since_last_success": since,
        "stale": h.stale,
        "deadman_threshold_seconds": h.threshold.total_seconds() if h.threshold else None,
        "alerts": {s: h.alerts.get(s, 0) for s in ("pending", "sending", "sent", "dead")},
        "daemon": {**(h.daemon or {}), "alive": alive} if h.daemon else None,
        "next_crawl_at": (h.daemon or {}).get("next_crawl_at") if alive else None,
        "held_channels": [{"channel": x.channel, "since": x.since.isoformat(),
                           "reason": x.reason, "fix": x.fix} for x in h.holds],
        "watches": h.watches,
        "monitors": h.monitors or {},
        "backfills": [_backfill_json(b) for b in h.backfills],
        "sites": [_site_json(x) for x in h.sites],
        "sources": [_source_json(x) for x in h.sources],
        "runs": [_run_json(run) for run in h.runs],
        "cluster": h.cluster,
    }


def _print(h: Health) -> None:
    from rich.console import Console
    from rich.table import Table

    from crawler.output import cell, utc_time

    data = _as_json(h)
    last = f"{h.last_success:%Y-%m-%d %H:%M:%S} UTC ({_ago(h.last_success, h.now)} ago)" \
        if h.last_success else "never"
    lines = [f"store:            {h.store}",
             f"daemon:           {_daemon_line(h)}",
             f"last success:     {last}{'  ← STALE' if h.stale else ''}",
             "alerts:           " + ", ".join(f"{n} {s}" for s, n in data["alerts"].items())]
    lines += [f"watch:            {watch_line(x)}" for x in h.watches]
    lines += [f"held channel:     {x.channel} since {x.since:%Y-%m-%d %H:%M} UTC: {x.reason}"
              + (f"; {x.fix}" if x.fix else "") for x in h.holds]
    head, tripped = monitor_summary(h.monitors or {})
    lines += [f"monitors:         {head}", *(f"  TRIPPED {line}" for line in tripped)]
    lines += [f"backfill:         {line}" for line in _backfill_lines(h)]
    lines += [f"site:             {_site_line(x)}" for x in h.sites] or ["site:             none "
                                                                         "stored yet"]
    if h.cluster is not None:
        from crawler.cluster.status import cluster_lines

        lines += cluster_lines(h.cluster)
    table = Table(title=cell(f"last {len(h.runs)} run(s)"), show_lines=False)
    for name in ("id", "trigger", "started", "took", "status", "evaluated", "matched",
                 "reason"):
        table.add_column(cell(name), overflow="fold")
    for run in h.runs:
        took = f"{(run.finished_at - run.started_at).total_seconds():.0f} s" \
            if run.finished_at else "…"
        started = utc_time(run.started_at, "%m-%d %H:%M:%S")
        table.add_row(cell(run.id), cell(run.trigger), cell(started),
                      cell(took), cell(run.status), cell(run.stats.get("evaluated", 0)),
                      cell(run.stats.get("matched", 0)), cell(run.reason))
    for line in lines:
        click.echo(line)
    # not a terminal (a log, a pipe): wide enough that reasons are never folded
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(table)
    if h.sources:
        console.print(_sources_table(h))
        for x in h.sources:  # what the user should fix (a feed that moved)
            if x.note:
                click.echo(_bounded(f"note: {x.site} {x.kind} {x.url}: {x.note}", NOTE_SHOWN))
    else:
        click.echo("sources:          no feed or sitemap read yet")


def _daemon_line(h: Health) -> str:
    state = h.daemon
    if not state:
        return "never ran on this store (cron or manual runs only)"
    where = f"pid {state.get('pid')} on {state.get('host')}, {state.get('schedule')}"
    if not daemon_alive(state, h.now):
        beat = datetime.fromisoformat(state["heartbeat_at"])
        return f"not running (last seen {_ago(beat, h.now)} ago; was {where})"
    nxt = state.get("next_crawl_at")
    when = datetime.fromisoformat(nxt) if nxt else None
    follows = f"next crawl {when:%H:%M:%S} UTC (in {_ago(h.now, when)})" if when else \
        "crawling now"
    return f"running ({where}); {follows}"
