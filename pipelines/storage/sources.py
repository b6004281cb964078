"""Discovery bookkeeping: feed/sitemap/robots validators and last copies, how each document
answered its recent polls, soft-404 records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, RowMapping

from pipelines.storage.dialects import insert_new
from pipelines.storage.records import DEFAULT_SITE
from pipelines.storage.schema import soft_404s, source_polls, sources

#: soft 404s are re-checked after 6 h, then 12 h, 1 day, ... at most weekly
SOFT_404_FIRST_RECHECK = timedelta(hours=6)
SOFT_404_MAX_RECHECK = timedelta(days=7)


@dataclass(frozen=True)
class SourceState:
    """What the store remembers about one discovery document."""

    url: str
    kind: str
    checked_at: datetime
    changed_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    body: str | None = None
    newest_item: datetime | None = None
    lastmod: str | None = None
    #: the site the document belongs to
    site: str = DEFAULT_SITE
    #: where a permanent redirect (301/308) of the configured address led: polls ask there
    #: directly (the document stays kept under its configured address)
    moved_to: str | None = None


def load_all(conn: Connection, site: str = DEFAULT_SITE) -> dict[str, SourceState]:
    """``site``'s discovery documents by URL."""
    rows = conn.execute(select(sources).where(sources.c.site == site)).mappings()
    return {row["url"]: SourceState(**dict(row)) for row in rows}


def load_one(conn: Connection, url: str, site: str = DEFAULT_SITE) -> SourceState | None:
    """Discovery document ``url`` of ``site``, if the store has it."""
    row = conn.execute(select(sources).where(sources.c.url == url)
                       .where(sources.c.site == site)).mappings().first()
    return None if row is None else SourceState(**dict(row))


def save(conn: Connection, state: SourceState) -> None:
    """Insert or replace the row of ``state.url`` (a URL belongs to one site)."""
    values = asdict(state)
    if insert_new(conn, sources, values, ["url"]) is None:
        conn.execute(update(sources).where(sources.c.url == state.url).values(**values))


def checked(conn: Connection, state: SourceState) -> None:
    """A document that answered 304: its row gets ``state``'s last check, lastmod and move
    (its copy and validators are those stored already, not written again); a row gone
    meanwhile is written whole, as :func:`save` would."""
    done = conn.execute(update(sources).where(sources.c.url == state.url).values(
        checked_at=state.checked_at, lastmod=state.lastmod, moved_to=state.moved_to))
    if not done.rowcount:
        save(conn, state)


#: the outcomes kept per document: its 304 rate is over these polls
RECENT_POLLS = 20
#: what a poll can say
POLL_STATUSES = ("200", "304", "error")
#: characters of a failure's message kept (a server's words: bounded, shown as plain text)
ERROR_CHARS = 500


@dataclass(frozen=True)
class SourceHealth:
    """One discovery document's health: its last poll and how its recent polls went (the
    ``source_polls`` row), with what its last good read left (the ``sources`` row). A
    document read before polls were recorded has no poll row: its last status is then what
    its validators say (unchanged since an earlier read: 304)."""

    url: str
    site: str
    kind: str
    #: the last poll, whatever it said, and its status: "200", "304" or "error"
    polled_at: datetime | None
    status: str
    #: consecutive failed polls up to the last one
    failures: int = 0
    #: the last failure's message and time (it may be older than a later good poll)
    error: str | None = None
    error_at: datetime | None = None
    #: the recent polls' outcomes, oldest first
    recent: list[str] = field(default_factory=list)
    #: the last good read (200 or 304) and the last change (200), from ``sources``
    checked_at: datetime | None = None
    changed_at: datetime | None = None
    #: whether a conditional GET is possible (an ETag or a Last-Modified kept)
    validators: tuple[str, ...] = ()
    newest_item: datetime | None = None
    #: the learned polling interval (seconds) and when the document is next due (None: not
    #: scheduled: never polled since adaptive polling, or not a scheduled source)
    interval: float | None = None
    next_poll_at: datetime | None = None
    #: the address a permanent redirect of this one led to (the config should name it)
    moved_to: str | None = None

    @property
    def note(self) -> str | None:
        """What the user should do about the document (None: nothing)."""
        if self.moved_to:
            return f"moved permanently to {self.moved_to}: put that address in the config"
        return None

    @property
    def unchanged(self) -> int:
        return self.recent.count("304")

    @property
    def unchanged_share(self) -> float | None:
        """304s among the recent polls (None: no poll recorded)."""
        return self.unchanged / len(self.recent) if self.recent else None


def record_poll(conn: Connection, *, url: str, site: str, kind: str, status: str,
                error: str | None, now: datetime, again: bool = False) -> int:
    """Record one poll of document ``url``: ``status`` "200", "304" or "error" (then
    ``error`` says why). ``again``: the same poll, judged again (a 304 whose stored copy
    lists nothing is a failure after all): its outcome replaces the last one. The
    consecutive failures so far."""
    if status not in POLL_STATUSES:
        raise ValueError(f"poll status must be one of {POLL_STATUSES}, got {status!r}")
    where = source_polls.c.url == url
    row = conn.execute(select(source_polls.c.recent, source_polls.c.failures,
                              source_polls.c.status).where(where)).first()
    recent = list(row.recent) if row is not None else []
    failures = int(row.failures) if row is not None else 0
    if again and row is not None and recent:
        recent.pop()
        failures -= row.status == "error"
    recent = [*recent, status][-RECENT_POLLS:]
    failures = failures + 1 if status == "error" else 0
    values = {"site": site, "kind": kind, "polled_at": now, "status": status,
              "failures": failures, "recent": recent}
    if status == "error":
        values |= {"error": (error or "")[:ERROR_CHARS], "error_at": now}
    if row is None:
        conn.execute(source_polls.insert().values(url=url, **values))
    else:
        conn.execute(update(source_polls).where(where).values(**values))
    return failures


def load_schedules(conn: Connection, site: str) -> dict[str, dict[str, Any]]:
    """``site``'s learned polling schedules by document URL (``FeedSchedule.to_dict``)."""
    rows = conn.execute(select(source_polls.c.url, source_polls.c.schedule)
                        .where(source_polls.c.site == site)
                        .where(source_polls.c.schedule.is_not(None)))
    return {row.url: dict(row.schedule) for row in rows}


def save_schedule(conn: Connection, url: str, schedule: dict[str, Any],
                  next_poll_at: datetime) -> None:
    """Keep document ``url``'s schedule (its poll is recorded first: the row exists)."""
    conn.execute(update(source_polls).where(source_polls.c.url == url)
                 .values(schedule=schedule, next_poll_at=next_poll_at))


def health(conn: Connection, site: str | None = None) -> list[SourceHealth]:
    """Every discovery document's health (of ``site``; None: of every site), by site, kind
    and URL: those polled, and those only the ``sources`` table knows."""
    polls = select(source_polls)
    good = select(sources)
    if site is not None:
        polls = polls.where(source_polls.c.site == site)
        good = good.where(sources.c.site == site)
    reads = {row["url"]: row for row in conn.execute(good).mappings()}
    found: dict[str, SourceHealth] = {}
    for row in conn.execute(polls).mappings():
        read = reads.get(row["url"])
        found[row["url"]] = SourceHealth(
            row["url"], row["site"], row["kind"], row["polled_at"], row["status"],
            int(row["failures"]), row["error"], row["error_at"], list(row["recent"]),
            **_read_fields(read), **_schedule_fields(row))
    for url, read in reads.items():
        if url not in found:
            status = "304" if read["checked_at"] > read["changed_at"] else "200"
            found[url] = SourceHealth(url, read["site"], read["kind"], read["checked_at"],
                                      status, **_read_fields(read))
    return sorted(found.values(), key=lambda h: (h.site, h.kind, h.url))


def _schedule_fields(row: RowMapping) -> dict[str, Any]:
    schedule = row["schedule"]
    if not schedule:
        return {}
    return {"interval": float(schedule["interval"]), "next_poll_at": row["next_poll_at"]}


def _read_fields(row: RowMapping | None) -> dict[str, Any]:
    if row is None:
        return {}
    kept = tuple(name for name, key in (("ETag", "etag"), ("Last-Modified", "last_modified"))
                 if row[key])
    return {"checked_at": row["checked_at"], "changed_at": row["changed_at"],
            "validators": kept, "newest_item": row["newest_item"], "moved_to": row["moved_to"]}


def soft_404_recheck(hits: int) -> timedelta:
    """How long a soft-404 URL is left alone after its n-th soft 404."""
    return min(SOFT_404_FIRST_RECHECK * (1 << min(max(hits - 1, 0), 8)), SOFT_404_MAX_RECHECK)


def record_soft_404(conn: Connection, site: str, key: str, article_id: int, url: str,
                    now: datetime) -> int:
    """Count one soft 404 of an article URL (``key`` of ``site``, the site's numeric ID or 0);
    the number of times it was seen so far."""
    where = (soft_404s.c.site == site) & (soft_404s.c.article_key == key)
    hits = conn.execute(select(soft_404s.c.hits).where(where)).scalar_one_or_none()
    if hits is None:
        conn.execute(soft_404s.insert().values(
            site=site, article_key=key, article_id=article_id, url=url, hits=1, first_seen=now,
            last_seen=now, recheck_at=now + soft_404_recheck(1)))
        return 1
    conn.execute(update(soft_404s).where(where).values(
        url=url, hits=hits + 1, last_seen=now, recheck_at=now + soft_404_recheck(hits + 1)))
    return int(hits) + 1

