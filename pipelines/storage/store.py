"""Store: the one object the pipelines and the CLI use to read and write the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from pipelines.storage import articles, backfills, export, labels, matches, migrate, outbox, runs
from pipelines.storage import channels as channel_rows
from pipelines.storage import sources as source_rows
from pipelines.storage.articles import Candidate, FrontierPolicy, PendingArticle
from pipelines.storage.backfills import Backfill
from pipelines.storage.channels import ChannelHold
from pipelines.storage.database import (
    StoreError,
    describe,
    one_line,
    open_engine,
    parse_url,
    writer,
)
from pipelines.storage.matches import MatchAlerts
from pipelines.storage.records import (
    DEFAULT_SITE,
    AlertRow,
    ArticleRecord,
    MatchRecord,
    RunRow,
    article_key_of,
    require_aware,
)
from pipelines.storage.routes import Routing, as_routing
from pipelines.storage.sources import SourceHealth, SourceState
from pipelines.storage.stories import StoryBook, StorySession

#: any constant: serialises concurrent schema creation on PostgreSQL
_SCHEMA_LOCK = 0x6D7477


class Evaluated(NamedTuple):
    """One evaluated article for :meth:`Store.store_evaluated_many`: the article, its matches
    and the digest batch of their alerts (``"backfill"`` or None)."""

    record: ArticleRecord
    matches: Sequence[MatchRecord]
    batch: str | None = None


class Store:
    """Articles, matches, the alert outbox and runs, on SQLite or PostgreSQL.

    Rows about one site's articles carry the site; methods about them take ``site`` (default
    :data:`DEFAULT_SITE`) or read it from the record. ``alerts`` is the alert policy matches
    are recorded with (keys, payloads, updates); None: ``pipelines.alerts.policy.POLICY``."""

    def __init__(self, url: str, *, alerts: MatchAlerts | None = None) -> None:
        self._alerts = alerts
        #: the write transaction :meth:`together` holds open, per thread
        self._held = threading.local()
        #: matched articles are grouped into stories as they are stored (pipelines.stories)
        self._stories = StoryBook()
        parsed = parse_url(url)
        self.location = describe(parsed)
        try:
            self._engine = open_engine(parsed)
            self._writer = writer(self._engine)
            self._create_schema()
        except (SQLAlchemyError, OSError, ImportError) as exc:
            raise StoreError(f"cannot open store at {self.location}: {one_line(exc)}") from None

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    @property
    def engine(self) -> Any:
        """The store's SQLAlchemy engine (for tables kept beside the store: URL leases)."""
        return self._engine

    @property
    def alerts(self) -> MatchAlerts:
        if self._alerts is None:  # the default, wired here only for callers that name none
            from pipelines.alerts.policy import POLICY

            self._alerts = POLICY
        return self._alerts

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    def _create_schema(self) -> None:
        with self._writer.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})
            if migrate.is_current(conn) or migrate.create_fresh(conn):
                return  # nearly always; or a new SQLite store, made with no migration replayed
            migrate.upgrade(conn)

    @contextmanager
    def _tx(self, op: str, *, write: bool) -> Iterator[Connection]:
        """One transaction; writes take SQLite's lock at BEGIN. Driver errors become StoreError.
        Within :meth:`together` (this thread's), the transaction it holds."""
        held: Connection | None = getattr(self._held, "conn", None)
        try:
            if held is not None:
                yield held
                return
            engine = self._writer if write else self._engine
            with engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"{op} failed: {one_line(exc)}") from exc

    @contextmanager
    def together(self, op: str) -> Iterator[None]:
        """What this thread reads and writes through the store inside the block is one write
        transaction: committed at its end, or, on an error, none of it. E.g. the three writes
        of a feed that answered 304 (its poll, its schedule, its last check): one commit
        instead of three. Nested, the outer block's transaction."""
        if getattr(self._held, "conn", None) is not None:
            yield
            return
        with self._tx(op, write=True) as conn:
            self._held.conn = conn
            try:
                yield
            finally:
                self._held.conn = None

    @contextmanager
    def read(self, op: str) -> Iterator[Connection]:
        """One short read transaction, for read-only query modules (the desk's pages)."""
        with self._tx(op, write=False) as conn:
            yield conn

    # articles

    def upsert_article(self, rec: ArticleRecord) -> str:
        """Insert or update ``rec`` by (rec.site, rec.article_key); the outcome."""
        with self._tx("upsert_article", write=True) as conn:
            return articles.upsert(conn, rec, _now())[0]

    def get_article(self, article_id: int) -> ArticleRecord | None:
        """The article stored under ``article_id`` (the store's ID)."""
        with self._tx("get_article", write=False) as conn:
            return articles.get(conn, article_id)

    def find_article(self, key: str, *, site: str = DEFAULT_SITE) -> ArticleRecord | None:
        """The article ``key`` of ``site`` (its own ID as text, or its canonical URL)."""
        with self._tx("find_article", write=False) as conn:
            return articles.get_by_key(conn, site, key)

    def count_articles(self, *, site: str | None = None) -> int:
        with self._tx("count_articles", write=False) as conn:
            return articles.count(conn, site)

    def site_summaries(self) -> list[articles.SiteSummary]:
        """Per site: articles stored, evaluated, newest and oldest publication time."""
        with self._tx("site_summaries", write=False) as conn:
            return articles.site_summaries(conn)

    def article_ids(self) -> set[int]:
        with self._tx("article_ids", write=False) as conn:
            return articles.ids(conn)

    def iter_articles(self, *, batch: int = 500) -> Iterator[articles.StoredText]:
        """Every evaluated article's text, by ID, read in short pages (no long read
        transaction, so a rematch writing as it goes never holds the WAL back)."""
        after: int | None = None
        while True:
            with self._tx("iter_articles", write=False) as conn:
                page = articles.texts_after(conn, after, batch)
            yield from page
            if len(page) < batch:
                return
            after = page[-1].article_id

    # discovery: the crawl frontier, feed/sitemap validators, soft 404s

    def discover_keys(self, found: Sequence[Candidate], *, source: str, now: datetime,
                      policy: FrontierPolicy, site: str = DEFAULT_SITE) -> dict[str, str]:
        """Write a ``discovered`` row for each new article of ``site`` (before any fetch);
        decide each one. Decisions by article key."""
        with self._tx("discover_articles", write=True) as conn:
            return articles.discover(conn, found, source, now, policy, site)

    def discover_articles(self, found: Sequence[Candidate], *, source: str, now: datetime,
                          policy: FrontierPolicy, site: str = DEFAULT_SITE) -> dict[int, str]:
        """:meth:`discover_keys` with decisions by the candidates' numeric IDs (the sites
        whose articles have one)."""
        by_key = self.discover_keys(found, source=source, now=now, policy=policy, site=site)
        return {c.article_id: by_key[c.article_key] for c in found}

    def pending_articles(self, *, now: datetime, max_failures: int, limit: int = 5000,
                         site: str = DEFAULT_SITE) -> list[PendingArticle]:
        with self._tx("pending_articles", write=False) as conn:
            return articles.pending(conn, now, max_failures, limit, site)

    def article_failed(self, article_id: int, *, state: str, error: str, now: datetime,
                       retry_after: timedelta | None = None, site: str = DEFAULT_SITE,
                       key: str = "") -> int:
        """Count a failed fetch or extraction of article ``key`` (default: ``str(article_id)``,
        the site's numeric ID) of ``site``; its failure count so far."""
        with self._tx("article_failed", write=True) as conn:
            return articles.failed(conn, site, article_key_of(key, article_id), state=state,
                                   error=error, now=now, retry_after=retry_after)

    def record_soft_404(self, article_id: int, url: str, *, now: datetime,
                        site: str = DEFAULT_SITE, key: str = "") -> int:
        """Record an HTTP 200 "not found" page: not an article; the times it was seen.
        ``article_id`` is the site's numeric ID (0: none; then ``key`` says which article)."""
        article_key = article_key_of(key, article_id)
        with self._tx("record_soft_404", write=True) as conn:
            articles.forget_unfetched(conn, site, article_key)
            return source_rows.record_soft_404(conn, site, article_key, article_id, url, now)

    def forget_discovered(self, key: str, *, site: str = DEFAULT_SITE) -> bool:
        """Drop article ``key`` of ``site`` if it never got content (its URL turned out to be
        another spelling of an article stored under its canonical key); whether it was there."""
        with self._tx("forget_discovered", write=True) as conn:
            return articles.forget_unfetched(conn, site, key)

    def discovery_sources(self, *, site: str = DEFAULT_SITE) -> dict[str, SourceState]:
        with self._tx("discovery_sources", write=False) as conn:
            return source_rows.load_all(conn, site)

    def discovery_source(self, url: str, *, site: str = DEFAULT_SITE) -> SourceState | None:
        """One of ``site``'s discovery documents (``discovery_sources(site=site).get(url)``)."""
        with self._tx("discovery_source", write=False) as conn:
            return source_rows.load_one(conn, url, site)

    def save_source(self, state: SourceState, *, site: str | None = None) -> None:
        """Write ``state`` (of ``site``, when given: it overrides ``state.site``)."""
        if site is not None:
            state = replace(state, site=site)
        with self._tx("save_source", write=True) as conn:
            source_rows.save(conn, state)

    def source_checked(self, state: SourceState, *, site: str | None = None) -> None:
        """:meth:`save_source` for a document known to the store that answered 304: only
        what a 304 changes (its last check, lastmod, move) is written."""
        if site is not None:
            state = replace(state, site=site)
        with self._tx("save_source", write=True) as conn:
            source_rows.checked(conn, state)

    def record_poll(self, url: str, *, site: str, kind: str, status: str,
                    error: str | None = None, now: datetime, again: bool = False) -> int:
        """Record how discovery document ``url`` answered a poll ("200", "304", "error");
        its consecutive failures (``pipelines.storage.sources.record_poll``)."""
        with self._tx("record_poll", write=True) as conn:
            return source_rows.record_poll(conn, url=url, site=site, kind=kind, status=status,
                                           error=error, now=now, again=again)

    def poll_schedules(self, *, site: str) -> dict[str, dict[str, Any]]:
        """``site``'s learned polling schedules by document URL."""
        with self._tx("poll_schedules", write=False) as conn:
            return source_rows.load_schedules(conn, site)

    def save_poll_schedule(self, url: str, schedule: dict[str, Any],
                           next_poll_at: datetime) -> None:
        """Keep a document's polling schedule (after its poll is recorded)."""
        require_aware("next_poll_at", next_poll_at)
        with self._tx("save_poll_schedule", write=True) as conn:
            source_rows.save_schedule(conn, url, schedule, next_poll_at)

    def source_health(self, *, site: str | None = None) -> list[SourceHealth]:
        """Every discovery document's last poll and recent polls (of ``site``; None: of
        every site), by site, kind and URL."""
        with self._tx("source_health", write=False) as conn:
            return source_rows.health(conn, site)

    def crawl_progress(self, *, since: datetime, max_failures: int,
                       site: str | None = DEFAULT_SITE) -> tuple[int, int]:
        """(articles evaluated since ``since``, articles still waiting to be evaluated), of
        ``site`` (None: of every site)."""
        with self._tx("crawl_progress", write=False) as conn:
            return articles.progress(conn, since, max_failures, site)

    # backfill horizons (0007_backfill)

    def save_backfill(self, backfill: Backfill, *, site: str | None = None) -> Backfill:
        """Write a horizon (a new one gets its id); call only while holding the crawl lock.
        ``site``, when given, overrides ``backfill.site``."""
        if site is not None:
            backfill = replace(backfill, site=site)
        with self._tx("save_backfill", write=True) as conn:
            return backfills.save(conn, backfill)

    def unfinished_backfills(self, *, site: str = DEFAULT_SITE) -> list[Backfill]:
        with self._tx("unfinished_backfills", write=False) as conn:
            return backfills.unfinished(conn, site)

    def recent_backfills(self, limit: int = 5, *, site: str | None = None) -> list[Backfill]:
        with self._tx("recent_backfills", write=False) as conn:
            return backfills.recent(conn, limit, site)

    def run_progress(self, *, since: datetime, max_failures: int,
                     site: str | None = DEFAULT_SITE) -> runs.Progress:
        """What the crawl since ``since`` did and what is still queued (an interrupted run),
        for ``site`` (None: every site)."""
        with self._tx("run_progress", write=False) as conn:
            return runs.progress(conn, since, max_failures, site)

    # matches

    def record_match(
        self, m: MatchRecord, channels: Sequence[str] | Routing, *,
        topic_name: str | None = None,
    ) -> bool:
        """Match + one outbox row per route (``channels``: a routing, or channel names of the
        implicit watch; for a later article of a story that alerted on a watch, one update
        each), atomically. True if new; old matches get no rows."""
        with self._tx("record_match", write=True) as conn:
            stories = self._stories.session(conn)
            rec = articles.get(conn, m.article_id)
            story = stories.story_of(rec, m.article_id, _now()) if rec is not None else None
            new = matches.record(conn, m, channels, topic_name or m.topic, _now(),
                                 alerts=self.alerts, story=story)
            stories.finish(_now())
            return new

    def list_matches(
        self, *, topic: str | None = None, since: datetime | None = None,
        site: str | None = None,
    ) -> list[MatchRecord]:
        require_aware("since", since)
        with self._tx("list_matches", write=False) as conn:
            return matches.list_matches(conn, topic, since, site)

    def story_reports(self, story_ids: Sequence[str]) -> dict[str, list[MatchRecord]]:
        """The matches of each story (pipelines.storage.stories), first report first."""
        with self._tx("story_reports", write=False) as conn:
            return matches.story_reports(conn, story_ids)

    # alert outbox

    def due_alerts(
        self, *, now: datetime, channel: str | None = None, limit: int = 100
    ) -> list[AlertRow]:
        with self._tx("due_alerts", write=False) as conn:
            return outbox.due(conn, now, channel, limit)

    def claim_alert(self, alert_id: int, *, now: datetime, lease: timedelta) -> bool:
        with self._tx("claim_alert", write=True) as conn:
            return outbox.claim(conn, alert_id, now, lease)

    def mark_sent(self, alert_id: int, *, now: datetime) -> None:
        with self._tx("mark_sent", write=True) as conn:
            outbox.mark_sent(conn, alert_id, now)

    def mark_failed(
        self, alert_id: int, *, now: datetime, error: str, retry_at: datetime | None
    ) -> None:
        with self._tx("mark_failed", write=True) as conn:
            outbox.mark_failed(conn, alert_id, now, error, retry_at)

    def requeue_alert(self, alert_id: int, *, now: datetime) -> bool:
        """Replay a dead alert: back to pending, due at ``now``. False if it was not dead."""
        with self._tx("requeue_alert", write=True) as conn:
            return outbox.requeue(conn, alert_id, now)

    def list_alerts(self, *, status: str | None = None) -> list[AlertRow]:
        with self._tx("list_alerts", write=False) as conn:
            return outbox.list_alerts(conn, status)

    # alert outbox: kinds, digests, notices, disabled channels (0003_alerts)

    def get_alert(self, alert_id: int) -> outbox.OutboxRow | None:
        with self._tx("get_alert", write=False) as conn:
            return outbox.get(conn, alert_id)

    def outbox_rows(
        self, *, status: str | None = None, channel: str | None = None,
        watch: str | None = None,
    ) -> list[outbox.OutboxRow]:
        with self._tx("outbox_rows", write=False) as conn:
            return outbox.rows(conn, status, channel, watch)

    def watch_counts(self) -> dict[str, dict[str, int]]:
        """Each named watch's alerts and updates by status."""
        with self._tx("watch_counts", write=False) as conn:
            return outbox.watch_counts(conn)

    def due_for(
        self, channel: str, *, now: datetime, kinds: Sequence[str] | None = None, limit: int = 100
    ) -> list[outbox.OutboxRow]:
        with self._tx("due_for", write=False) as conn:
            return outbox.due_rows(conn, now, channel, limit, kinds)

    def fail_alert(
        self,
        alert_id: int,
        *,
        now: datetime,
        error: str,
        retry_at: datetime | None,
        notice: outbox.NewAlert | None = None,
    ) -> None:
        """mark_failed plus, atomically, an operator notice row (due now) when one is given."""
        with self._tx("fail_alert", write=True) as conn:
            outbox.mark_failed(conn, alert_id, now, error, retry_at)
            if notice is not None:
                outbox.insert(conn, notice, now, now)

    def retry_alert(self, alert_id: int, *, now: datetime) -> bool:
        """A dead or pending alert due now (manual replay); False for any other state."""
        with self._tx("retry_alert", write=True) as conn:
            return outbox.requeue(conn, alert_id, now) or outbox.hurry(conn, alert_id, now)

    def digest_candidates(self, channel: str, *, before: datetime) -> list[outbox.OutboxRow]:
        with self._tx("digest_candidates", write=False) as conn:
            return outbox.digest_candidates(conn, channel, before)

    def create_digest(
        self, digest: outbox.NewAlert, member_ids: Sequence[int], *, now: datetime
    ) -> int | None:
        """The digest row carrying ``member_ids``; None when it exists already."""
        with self._tx("create_digest", write=True) as conn:
            return outbox.create_digest(conn, digest, member_ids, now)

    def hold_channel(self, held: ChannelHold, *, notice: outbox.NewAlert | None = None) -> bool:
        """Hold a channel (and queue the operator notice) once; False if it was held."""
        with self._tx("hold_channel", write=True) as conn:
            changed = channel_rows.hold(conn, held)
            if changed and notice is not None:
                outbox.insert(conn, notice, held.since, held.since)
            return changed

    def disable_channel(
        self, channel: str, *, now: datetime, reason: str, notice: outbox.NewAlert | None = None
    ) -> bool:
        """Hold a channel until `mtwatch alerts enable` (its endpoint said 410 Gone)."""
        return self.hold_channel(ChannelHold(channel, now, reason, resume="enable"),
                                 notice=notice)  # fmt: skip

    def enable_channel(self, channel: str) -> bool:
        """Lift a channel's hold; False if it was not held."""
        with self._tx("enable_channel", write=True) as conn:
            return channel_rows.lift(conn, channel)

    def channel_holds(self) -> dict[str, ChannelHold]:
        with self._tx("channel_holds", write=False) as conn:
            return channel_rows.holds(conn)

    def disabled_channels(self) -> dict[str, tuple[datetime, str]]:
        """Held channels: (since, reason)."""
        return {name: (h.since, h.reason) for name, h in self.channel_holds().items()}

    def hold_alert(self, alert_id: int, *, error: str) -> None:
        """A failed attempt about the channel, not the alert: pending, attempt not counted."""
        with self._tx("hold_alert", write=True) as conn:
            outbox.hold_alert(conn, alert_id, error)

    def batch_members(self, channel: str, batch: str) -> list[outbox.OutboxRow]:
        with self._tx("batch_members", write=False) as conn:
            return outbox.batch_members(conn, channel, batch)

    def release_dead_claims(self, *, now: datetime) -> int:
        """Alerts claimed by a relay process that died are due again (same key); how many."""
        with self._tx("dead_claims", write=False) as conn:
            claims = outbox.dead_claims(conn, now)
        if not claims:  # the usual case: no write lock taken
            return 0
        with self._tx("release_dead_claims", write=True) as conn:
            return outbox.release(conn, claims)

    # runs

    def start_run(self, *, trigger: str, now: datetime,
                  sites: Sequence[str] = (DEFAULT_SITE,)) -> int:
        """A running crawl of ``sites``; its id."""
        with self._tx("start_run", write=True) as conn:
            return runs.start(conn, trigger, now, sites)

    def run_sites(self, run_ids: Sequence[int]) -> dict[int, list[str]]:
        """The sites each run covered."""
        with self._tx("run_sites", write=False) as conn:
            return runs.sites_of(conn, run_ids)

    def last_run_of(self, site: str) -> RunRow | None:
        with self._tx("last_run_of", write=False) as conn:
            return runs.last_of_site(conn, site)

    def finish_run(
        self, run_id: int, *, now: datetime, status: str, reason: str, stats: Mapping[str, Any]
    ) -> None:
        with self._tx("finish_run", write=True) as conn:
            runs.finish(conn, run_id, now, status, reason, stats)

    def last_runs(self, limit: int = 10) -> list[RunRow]:
        with self._tx("last_runs", write=False) as conn:
            return runs.last(conn, limit)

    # operations: scheduler slots, killed crawls, health and the daemon's state (0004_ops)

    def record_slot(self, *, trigger: str, now: datetime, status: str, reason: str,
                    sites: Sequence[str] = (DEFAULT_SITE,)) -> int:
        """A schedule slot that ran no crawl: ``skipped``, ``missed`` (or ``failed`` to start)."""
        with self._tx("record_slot", write=True) as conn:
            return runs.record_slot(conn, trigger, now, status, reason, sites)

    def fail_run(self, run_id: int, *, now: datetime, reason: str, only_open: bool = True
                 ) -> bool:
        """Mark a run failed for a crawl that was killed; True if the row changed."""
        with self._tx("fail_run", write=True) as conn:
            return runs.fail(conn, run_id, now, reason, only_open=only_open)

    def fail_open_runs(self, *, now: datetime, reason: str) -> int:
        """Close 'running' rows left by dead crawls; call only while holding the crawl lock."""
        with self._tx("fail_open_runs", write=True) as conn:
            return runs.fail_open(conn, now, reason)

    def last_success(self) -> datetime | None:
        with self._tx("last_success", write=False) as conn:
            return runs.last_success(conn)

    def run_counts(self) -> dict[str, int]:
        with self._tx("run_counts", write=False) as conn:
            return runs.status_counts(conn)

    def alert_counts(self) -> dict[str, int]:
        """Outbox rows by status."""
        with self._tx("alert_counts", write=False) as conn:
            return runs.alert_counts(conn)

    def store_evaluated(
        self, rec: ArticleRecord, found: Sequence[MatchRecord],
        channels: Sequence[str] | Routing,
        topic_names: Mapping[str, str] | None = None, *, batch: str | None = None,
    ) -> tuple[str, int]:
        """The evaluated article and its matches (with their outbox rows) in ONE transaction:
        a kill between two separate commits would leave an article marked evaluated without its
        match, and later runs skip known articles: a lost match (reliability bar D1).
        ``batch="backfill"``: new matches' alerts wait for the crawl's backfill digest.
        Returns the upsert outcome and the number of new matches."""
        [done] = self._store_batch("store_evaluated", [Evaluated(rec, found, batch)], channels,
                                   topic_names)
        return done

    def store_evaluated_many(
        self, evaluated: Sequence[Evaluated], channels: Sequence[str] | Routing,
        topic_names: Mapping[str, str] | None = None,
    ) -> list[tuple[str, int]]:
        """Group commit: several evaluated articles, each with its matches and their outbox
        rows, in ONE transaction (one sync to disk instead of one per article). An article is
        never stored without its matches; a crash before the commit stores none of them (they
        stay ``discovered``: the next run fetches them again). ``channels``: where new matches
        alert (a routing: ``pipelines.storage.routes``), or channel names of the implicit
        watch. Per article, in order: the upsert outcome and the number of new matches."""
        return self._store_batch("store_evaluated_many", evaluated, as_routing(channels),
                                 topic_names)

    def _store_batch(self, op: str, evaluated: Sequence[Evaluated],
                     channels: Sequence[str] | Routing, topic_names: Mapping[str, str] | None
                     ) -> list[tuple[str, int]]:
        """Evaluated articles with their matches in one transaction (``op`` names it in
        errors): every article first (``articles.upsert_many``), then each one's matches; a
        match naming another article than its own is an error, and nothing is written."""
        names = topic_names or {}
        for e in evaluated:
            for m in e.matches:
                if (m.site, m.article_key) != (e.record.site, e.record.article_key):
                    raise StoreError(f"a match of article {m.site}:{m.article_key} handed in "
                                     f"with article {e.record.site}:{e.record.article_key}")
        with self._tx(op, write=True) as conn:
            stories = self._stories.session(conn)
            stored = articles.upsert_many(conn, [e.record for e in evaluated], _now())
            done = [self._evaluated(conn, e, upserted, channels, names, stories)
                    for e, upserted in zip(evaluated, stored, strict=True)]
            stories.finish(_now())
            return done

    def _evaluated(self, conn: Connection, e: Evaluated, upserted: tuple[str, int],
                   channels: Sequence[str] | Routing, names: Mapping[str, str],
                   stories: StorySession) -> tuple[str, int]:
        """One evaluated article's matches (the article stored already, ``upserted``: its
        outcome and row), recorded against the row the article was stored under. A matched
        article is filed under its story first (the same transaction: a later report of a
        story never alerts as a new one, a crash groups nothing)."""
        rec = e.record
        outcome, article_id = upserted
        story = stories.story_of(rec, article_id, _now()) if e.matches else None
        new = sum(matches.record(conn, replace(m, article_id=article_id), channels,
                                 names.get(m.topic) or m.topic, _now(), e.batch,
                                 alerts=self.alerts, story=story) for m in e.matches)
        return outcome, new

    def export_articles(self, *, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Every stored article as a plain dict (all columns), by ID, in short read pages."""
        require_aware("since", since)

        def read(since: datetime | None, after: int | None) -> list[dict[str, Any]]:
            with self._tx("export_articles", write=False) as conn:
                return export.article_page(conn, since, after)

        return export.pages(read, since)

    # labels (0009_labels): analysts' verdicts per (article, topic)

    def set_label(self, article_id: int, topic: str, verdict: str, *, note: str = "",
                  by: str, now: datetime) -> labels.Label:
        """The new current label; the previous one is kept as history. A store this database
        user may not write to raises StoreError saying so."""
        try:
            with self._tx("set_label", write=True) as conn:
                return labels.put(conn, article_id, topic, verdict, note, by, now)
        except StoreError as exc:
            if labels.read_only_failure(exc):
                raise labels.ReadOnlyStoreError(
                    f"cannot save the label: the store at {self.location} is read-only for "
                    f"this database user ({exc})") from exc
            raise

    def current_labels(self, article_id: int) -> dict[str, labels.Label]:
        """The article's current label per topic."""
        with self._tx("current_labels", write=False) as conn:
            return labels.current(conn, article_id)

    def label_history(self, article_id: int) -> list[labels.Label]:
        with self._tx("label_history", write=False) as conn:
            return labels.history(conn, article_id)

    def iter_labels(self, *, topic: str | None = None, batch: int = 500
                    ) -> Iterator[labels.Label]:
        """Every current label (of ``topic``), oldest first, read in short pages."""
        after: int | None = None
        while True:
            with self._tx("iter_labels", write=False) as conn:
                page = labels.current_page(conn, topic, after, batch)
            yield from page
            if len(page) < batch:
                return
            after = page[-1].id

    def get_state(self, key: str) -> dict[str, Any] | None:
        with self._tx("get_state", write=False) as conn:
            return runs.get_state(conn, key)

    def put_state(self, key: str, value: Mapping[str, Any], *, now: datetime) -> None:
        with self._tx("put_state", write=True) as conn:
            runs.put_state(conn, key, value, now)

    # coverage monitors and canaries (crawler.health.coverage)

    def runs_finished_since(self, since: datetime, *, limit: int = 5000,
                            site: str | None = None, before: tuple[datetime, int] | None = None
                            ) -> list[RunRow]:
        """Crawls (of ``site``; None: of any) that finished after ``since``, newest first;
        ``before``: only those after that run (its finished_at, id)."""
        return self.coverage_history(since, limit=limit, site=site, before=before)[0]

    def coverage_history(self, since: datetime, *, limit: int, site: str | None = None,
                         before: tuple[datetime, int] | None = None,
                         end: datetime | None = None, days: int = 0
                         ) -> tuple[list[RunRow], list[runs.FinishedDay] | None]:
        """The newest ``limit`` crawls as ``runs_finished_since`` reads them and, when there
        are more and ``end`` is given, the per-day sums of them all (``runs.finished_by_day``),
        in one read transaction."""
        with self._tx("runs_finished_since", write=False) as conn:
            page = runs.finished_since(conn, since, limit, site, before)
            if end is None or len(page) < limit:
                return page, None
            return page, runs.finished_by_day(conn, since, site, end, days)

    def runs_with_bodies(self, since: datetime, *, site: str | None,
                         before: tuple[datetime, int] | None, tripped: str, limit: int
                         ) -> list[RunRow]:
        """``runs.with_bodies``: the body-length monitor's earlier runs, only two counts each."""
        with self._tx("runs_with_bodies", write=False) as conn:
            return runs.with_bodies(conn, since, site, before, tripped, limit)

    def record_coverage(self, states: Mapping[str, Mapping[str, Any]],
                        notices: Sequence[outbox.NewAlert], *, now: datetime) -> int:
        """Monitor state and the operator notices its changes call for, in one transaction
        (a crash neither forgets a trip nor tells it twice); how many notices are new."""
        with self._tx("record_coverage", write=True) as conn:
            for key, value in states.items():
                runs.put_state(conn, key, value, now)
            return sum(outbox.insert(conn, notice, now, now) is not None for notice in notices)


def _now() -> datetime:
    return datetime.now(UTC)
