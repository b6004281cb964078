"""The store's tables and column types, in one place so Alembic can baseline them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.types import TypeDecorator

from pipelines.storage.records import ALERT_STATUSES, DEFAULT_SITE, RUN_STATUSES


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every dialect (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store needs timezone-aware values")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


#: surrogate keys: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite
Id = BigInteger().with_variant(Integer(), "sqlite")


class JsonDocument(TypeDecorator[Any]):
    """JSON documents: JSONB on PostgreSQL, JSON elsewhere. The PostgreSQL type is chosen
    when a PostgreSQL dialect asks for it, so a SQLite process never imports that dialect."""

    impl = JSON()
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


#: JSON documents (JSONB on PostgreSQL)
Json = JsonDocument()

#: a site's name (``[sites.<name>]``); rows from before revision 0011_sites are "moscowtimes"
Site = String(64)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: ``article_id`` is the store's surrogate ID (labels, matches, ``mtwatch show`` use it); an
#: article is known by (site, article_key) (revision 0011_sites). New rows get the site's numeric
#: ID when the site is the default one and that ID is free, else max(article_id) + 1
#: (``pipelines.storage.articles.allocate_ids``)
articles = Table(
    "articles",
    metadata,
    Column("article_id", BigInteger, primary_key=True, autoincrement=False),
    Column("site", Site, nullable=False, server_default=DEFAULT_SITE),
    # the site's own stable ID of the article (as text), or its canonical URL
    Column("article_key", Text, nullable=False, server_default=""),
    Column("url", Text, nullable=False),
    Column("headline", Text, nullable=False, default=""),
    Column("subtitle", Text, nullable=False, default=""),
    Column("authors", Json, nullable=False),
    Column("published", UtcDateTime, nullable=True),
    Column("modified", UtcDateTime, nullable=True),
    Column("section", Text, nullable=False, default=""),
    Column("tags", Json, nullable=False),
    Column("language", String(16), nullable=False, default=""),
    Column("html_sha256", String(64), nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    # how the body was read: zone | zone:blocks | generic | generic:small_zone | raw | no_body
    # | extraction_failed:<why> (pipelines.extraction.paths; revision 0006_coverage renamed
    # the older ok / ok:fallback)
    Column("extraction", Text, nullable=False, default=""),
    # discovered|fetched|extracted|evaluated: checked in Python, so new states need no migration
    Column("state", String(16), nullable=False),
    Column("failures", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("fetched_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # the discovery source that first found the article: feed|sitemap|newsmap|listing|retry
    # (revision 0002_discovery)
    Column("source", String(32), nullable=False, default="", server_default=""),
    # no fetch before this time: Retry-After or the failure backoff (revision 0002_discovery)
    Column("retry_at", UtcDateTime, nullable=True),
    Index(None, "published"),
    Index(None, "state"),
    Index("uq_articles_site_article_key", "site", "article_key", unique=True),
)

#: discovery documents (feeds, sitemaps, robots.txt): their HTTP validators for conditional GET
#: and what the last good copy said (revision 0002_discovery)
sources = Table(
    "sources",
    metadata,
    Column("url", Text, primary_key=True),
    Column("site", Site, nullable=False, server_default=DEFAULT_SITE),
    Column("kind", String(32), nullable=False),
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),
    # kept for small documents only (robots.txt, the sitemap index), reused on a 304
    Column("body", Text, nullable=True),
    # the newest publication time among the document's items (site clock): a feed's high-water mark
    Column("newest_item", UtcDateTime, nullable=True),
    # a monthly sitemap's <lastmod> in the index when it was last read
    Column("lastmod", Text, nullable=True),
    Column("checked_at", UtcDateTime, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    # where a permanent redirect (301/308) led: later polls ask there directly
    Column("moved_to", Text, nullable=True),
)

#: how each discovery document answered its recent polls, whatever the answer: the sources
#: table keeps only good reads (its validators and copy), so a feed that fails keeps no trace
#: there. One row per document URL (revision 0013_source_polls)
source_polls = Table(
    "source_polls",
    metadata,
    Column("url", Text, primary_key=True),
    Column("site", Site, nullable=False),
    Column("kind", String(32), nullable=False),
    # the last poll: when, and "200" (read), "304" (unchanged) or "error"
    Column("polled_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    # consecutive failed polls, up to the last one
    Column("failures", Integer, nullable=False, default=0, server_default="0"),
    # the last failure's message (what the server or the parser said, bounded) and time
    Column("error", Text, nullable=True),
    Column("error_at", UtcDateTime, nullable=True),
    # the outcomes of the last polls, oldest first (pipelines.storage.sources.RECENT_POLLS)
    Column("recent", Json, nullable=False),
    # the learned polling schedule (crawler.polling.FeedSchedule.to_dict) and when the
    # document is next due (revision 0015_poll_schedules); NULL: never scheduled
    Column("schedule", Json, nullable=True),
    Column("next_poll_at", UtcDateTime, nullable=True),
    Index(None, "site"),
)

#: article URLs the site answered with its HTTP 200 "Oops!" page: recorded, not stored as
#: articles, and re-checked with a growing delay (revision 0002_discovery)
soft_404s = Table(
    "soft_404s",
    metadata,
    Column("site", Site, primary_key=True),
    Column("article_key", Text, primary_key=True),
    # the site's numeric ID of the article (0: it has none)
    Column("article_id", BigInteger, nullable=False),
    Column("url", Text, nullable=False),
    Column("hits", Integer, nullable=False, default=1, server_default="1"),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("recheck_at", UtcDateTime, nullable=False),
)

matches = Table(
    "matches",
    metadata,
    Column("id", Id, primary_key=True),
    Column("article_id", BigInteger, ForeignKey("articles.article_id"), nullable=False),
    # the article's site (revision 0011_sites)
    Column("site", Site, nullable=False, server_default=DEFAULT_SITE),
    Column("topic", String(64), nullable=False),
    # the idempotency key of the match's alerts, stored when the match is (revision
    # 0011_sites): older matches keep the key they were alerted with
    Column("alert_key", String(64), nullable=False, server_default=""),
    Column("rule_version", String(64), nullable=False),
    Column("rule", Text, nullable=False),
    Column("grade", String(32), nullable=False),
    Column("evidence", Json, nullable=False),
    Column("matched_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # the story the article reports (pipelines.stories: the store ID of the story's first
    # article, as text); every match of one article has the same. NULL: matched before
    # revision 0014_stories
    Column("story_id", String(64), nullable=True),
    UniqueConstraint("article_id", "topic"),
    Index(None, "topic", "matched_at"),
    Index(None, "story_id", "topic"),
)

#: what an outbox row carries (see the kind column)
ALERT_KINDS = ("alert", "update", "digest", "notice")

alert_outbox = Table(
    "alert_outbox",
    metadata,
    Column("id", Id, primary_key=True),
    # NULL for rows that belong to no single match: digests and operator notices
    Column("match_id", Id, ForeignKey("matches.id"), nullable=True),
    Column("channel", String(32), nullable=False),
    Column("idempotency_key", String(64), nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("payload", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    # alert | update (evidence changed, or a later article of the story: refers_to = the
    # first alert's key) | digest | notice
    Column("kind", String(16), nullable=False, default="alert", server_default="alert"),
    Column("refers_to", String(64), nullable=True),
    # set on the alerts a digest carries: they are sent (or die) with that digest row
    Column("digest_id", Id, nullable=True),
    # "host:pid" of the relay holding a 'sending' claim: a dead holder's claim is released
    Column("claimed_by", String(128), nullable=True),
    # "backfill": an alert for an old article, sent inside the crawl's backfill digest and
    # never on its own; NULL: sent on its own (revision 0008_channel_holds)
    Column("batch", String(16), nullable=True),
    # the site of the match an alert or update is about; NULL for digests and notices
    # (revision 0011_sites)
    Column("site", Site, nullable=True),
    # the watch whose alert this is (``[watches.<name>]``); "" for the implicit watch of a
    # config without watches, for operator notices, and for every row from before revision
    # 0016_watches. A watch's rows go through channels of their own ("email:<watch>")
    Column("watch", String(32), nullable=False, default="", server_default=""),
    UniqueConstraint("idempotency_key", "channel"),
    CheckConstraint(_in("status", ALERT_STATUSES), name="status"),
    CheckConstraint(_in("kind", ALERT_KINDS), name="kind"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "match_id"),
    Index(None, "digest_id"),
)

#: held alert channels: a failure about the channel, not the alert (STARTTLS missing, login
#: refused, DNS, webhook HTTP 410, ...). Their alerts wait, their attempts uncounted
alert_channels = Table(
    "alert_channels",
    metadata,
    Column("channel", String(32), primary_key=True),
    # held since
    Column("disabled_at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    # what the operator should do (revision 0008_channel_holds)
    Column("fix", Text, nullable=False, default="", server_default=""),
    # "probe": every delivery pass tries one alert; "enable": only `mtwatch alerts enable`
    # or new channel settings resume it (HTTP 410 Gone)
    Column("resume", String(16), nullable=False, default="enable", server_default="enable"),
    # fingerprint of the channel's settings when it was held
    Column("settings", String(64), nullable=False, default="", server_default=""),
)

#: rows the scheduler writes for slots that ran no crawl (revision 0004_ops)
SCHEDULER_RUN_STATUSES = ("skipped", "missed")

runs = Table(
    "runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("trigger", String(32), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("status", String(16), nullable=False, default="running"),
    Column("reason", Text, nullable=False, default=""),
    Column("stats", Json, nullable=False),
    CheckConstraint(_in("status", RUN_STATUSES + SCHEDULER_RUN_STATUSES), name="status"),
    Index(None, "started_at"),
)

#: the sites a crawl run covered: one run crawls several sites side by side, so a run has a
#: set of sites rather than one site column (revision 0011_sites)
run_sites = Table(
    "run_sites",
    metadata,
    Column("run_id", Id, ForeignKey("runs.id"), primary_key=True),
    Column("site", Site, primary_key=True),
)

#: the daemon's bookkeeping, one JSON value per key: its heartbeat and next run, the dead-man's
#: switch state (revision 0004_ops)
#: the story index's state (pipelines.stories.StoryIndex.to_state), one row; ``token`` changes
#: with every write, so a process holding the index in memory knows when it is stale
story_index = Table(
    "story_index",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("token", String(32), nullable=False),
    Column("state", Json, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

ops_state = Table(
    "ops_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Json, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

#: what an analyst can say about an article for a topic (revision 0009_labels)
LABEL_VERDICTS = ("relevant", "not-relevant")

#: analysts' verdicts per (article, topic); re-labelling supersedes the current row (kept as
#: history), so at most one row per (article, topic) has ``superseded_at`` NULL
labels = Table(
    "labels",
    metadata,
    Column("id", Id, primary_key=True),
    Column("article_id", BigInteger, ForeignKey("articles.article_id"), nullable=False),
    Column("topic", String(64), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("note", Text, nullable=False, default="", server_default=""),
    Column("labelled_by", String(128), nullable=False),
    Column("labelled_at", UtcDateTime, nullable=False),
    Column("superseded_at", UtcDateTime, nullable=True),
    CheckConstraint(_in("verdict", LABEL_VERDICTS), name="verdict"),
    # partial on PostgreSQL too (given by _postgresql_variants)
    Index("uq_labels_current", "article_id", "topic", unique=True,
          sqlite_where=text("superseded_at IS NULL")),
    Index(None, "topic", "labelled_at"),
)

#: the desk's reads (revision 0009_labels): one topic's matches without reading their rows,
#: and the newest finished runs (`last_success`) without sorting the whole runs table
Index("ix_matches_topic_article_id", matches.c.topic, matches.c.article_id)
Index("ix_runs_finished_at", runs.c.finished_at)

#: what started a backfill: ``--since``, ``--backfill-days``, or a feed window that overflowed
BACKFILL_TRIGGERS = ("since", "backfill_days", "auto")

#: backfill horizons and how far each got: the monthly sitemaps it covers ("YYYY-MM", newest
#: first) and those walked (read, and every article they list written to the store). Written
#: before any sitemap is read; every later run continues an unfinished one (revision
#: 0007_backfill). Each belongs to one site (revision 0011_sites).
backfills = Table(
    "backfills",
    metadata,
    Column("id", Id, primary_key=True),
    Column("site", Site, nullable=False, server_default=DEFAULT_SITE),
    Column("trigger", String(16), nullable=False),
    # the first day of the horizon; it ends at the month its backfill started in
    Column("since", Date, nullable=False),
    # for a person: "--since 2023-01-01", "feed window overflowed: …"
    Column("reason", Text, nullable=False, default=""),
    Column("months", Json, nullable=False),
    Column("walked", Json, nullable=False),
    Column("months_total", Integer, nullable=False),
    Column("months_walked", Integer, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    CheckConstraint(_in("trigger", BACKFILL_TRIGGERS), name="trigger"),
    Index(None, "finished_at"),
)

#: URL leases for cluster workers (pipelines.storage.leases; migration 0012)
LEASE_STATES = ("queued", "claimed", "done")
MAX_LEASE_WORKER = 255

url_leases = Table(
    "url_leases",
    metadata,
    Column("url", Text, primary_key=True),
    Column("state", String(16), nullable=False),
    Column("claimed_by", String(MAX_LEASE_WORKER), nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("updated", UtcDateTime, nullable=False),
    CheckConstraint("state IN ('queued', 'claimed', 'done')", name="state"),
    Index(None, "state", "lease_until"),
)


def _postgresql_variants() -> None:
    """What the tables are on PostgreSQL alone: the partial unique index of current labels
    (``WHERE superseded_at IS NULL``, as on SQLite).

    Declaring it up front (``postgresql_where=``) imports
    SQLAlchemy's PostgreSQL dialect into every process that loads these tables, SQLite
    crawls included: about 50 ms of an idle poll's start-up for nothing. It is added
    instead when a connection to PostgreSQL is first made (:func:`_on_connect`), before any
    statement or schema comparison reads it; once added it stays (SQLite ignores it)."""
    global _postgresql_done
    if _postgresql_done:
        return
    current = next(i for i in labels.indexes if i.name == "uq_labels_current")
    current.dialect_kwargs["postgresql_where"] = text("superseded_at IS NULL")
    _postgresql_done = True


_postgresql_done = False


@event.listens_for(Engine, "engine_connect")
def _on_connect(conn: Connection) -> None:
    if not _postgresql_done and conn.dialect.name == "postgresql":
        _postgresql_variants()
