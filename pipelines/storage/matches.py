"""Match rows and their outbox rows (alerts, "updated" alerts), written in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, RowMapping

from pipelines.storage import articles as article_rows
from pipelines.storage import outbox
from pipelines.storage.database import StoreError
from pipelines.storage.dialects import insert_new
from pipelines.storage.records import ArticleRecord, MatchRecord
from pipelines.storage.routes import IMPLICIT_WATCH, Routing, as_routing, by_watch
from pipelines.storage.schema import alert_outbox, articles, matches


class MatchAlerts(Protocol):
    """The alert policy the store follows when it records a match; the caller hands it in
    (``pipelines.alerts.policy.POLICY``): the store itself knows no alert rules.

    ``watch``: the watch an alert belongs to (``""``: the implicit watch of a config without
    watches, whose keys and payloads are those of before watches)."""

    def alert_key(self, site: str, topic: str, article_key: str) -> str: ...

    def watch_key(self, key: str, watch: str) -> str: ...

    def update_key(self, first_alert: str, found: Sequence[Mapping[str, Any]]) -> str: ...

    def needs_update(self, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]],
                     fields: Sequence[str]) -> bool: ...

    def payload(self, article: ArticleRecord, match: MatchRecord, topic_name: str,
                watch: str = "") -> dict[str, Any]: ...

    def update_payload(self, article: ArticleRecord, match: MatchRecord, topic_name: str,
                       first_alert: str, previous: Sequence[Mapping[str, Any]],
                       watch: str = "") -> dict[str, Any]: ...

    def story_key(self, first_alert: str, site: str, article_key: str) -> str: ...

    def story_payload(self, article: ArticleRecord, match: MatchRecord, topic_name: str,
                      first: StoryFirst, watch: str = "") -> dict[str, Any]: ...


@dataclass(frozen=True)
class StoryFirst:
    """The match that opened a story's thread on a topic: the first alert a later article of
    the story is threaded under."""

    story_id: str
    match_id: int
    alert_key: str
    site: str
    url: str
    headline: str
    published: datetime | None


def story_outbox(first: StoryFirst | None) -> str:
    """The kind of outbox rows a new match gets: an ``alert``, or an ``update`` of the first
    alert of its story on the topic when the story has one (never a second fresh alert)."""
    return "alert" if first is None else "update"


def record(
    conn: Connection, m: MatchRecord, routing: Sequence[str] | Routing, topic_name: str,
    now: datetime, batch: str | None = None, *, alerts: MatchAlerts, story: str | None = None,
) -> bool:
    """Store ``m`` (``m.article_id``: the stored article's ID); a new match also gets one outbox
    row per route ``routing`` gives its site and topic (a list of channels: the implicit
    watch on each), keyed by ``alerts.alert_key`` of the article's site and key, made the
    watch's own by ``alerts.watch_key``. True if the match is new.

    ``batch="backfill"``: the new match's alerts wait for the crawl's backfill digest.
    A known match is updated in place; if an edit changed its evidence (see
    ``pipelines.alerts.evidence``) it also gets one "updated" outbox row per route of each
    watch that alerted it (none if it never had an alert: stored by ``mtwatch run --no-alert``).

    ``story``: the story the article reports (``pipelines.storage.stories``). For each watch
    where an earlier article of the story already alerted on the topic, the new match gets
    one ``update`` row per route threaded under that watch's first alert ("also reported by"),
    keyed by the article, not an alert of its own.
    """
    article = article_rows.get(conn, m.article_id)
    if article is None:
        raise StoreError(f"cannot record match: article {m.article_id} is not stored")
    routes = by_watch(as_routing(routing).routes(article.site, m.topic))
    key = alerts.alert_key(article.site, m.topic, article.article_key)
    m = replace(m, site=article.site, key=article.article_key, alert_key=key)
    verdict = {
        "rule_version": m.rule_version,
        "rule": m.rule,
        "grade": m.grade,
        "evidence": list(m.evidence),
    }
    row = {"article_id": m.article_id, "topic": m.topic, "matched_at": m.matched_at,
           "site": article.site, "alert_key": key, "story_id": story, **verdict}
    match_id = insert_new(conn, matches, {**row, "updated_at": now}, ["article_id", "topic"])
    if match_id is None:
        _update(conn, m, article, verdict, routes, topic_name, now, alerts)
        return False
    m = replace(m, story_id=story)
    new = _NewMatch(conn, match_id, m, article, topic_name, now, batch, alerts)
    for watch, channels in routes.items():
        first = first_of_story(conn, story, m.topic, match_id, watch) if story else None
        if first is None:
            new.alert(watch, channels)
        else:
            new.story_update(watch, channels, first)
    return True


@dataclass(frozen=True)
class _NewMatch:
    """A match just stored, and what its outbox rows are made of."""

    conn: Connection
    match_id: int
    match: MatchRecord
    article: ArticleRecord
    topic_name: str
    now: datetime
    batch: str | None
    alerts: MatchAlerts

    def alert(self, watch: str, channels: Sequence[str]) -> None:
        """The watch's own alert on each of its channels."""
        m, article = self.match, self.article
        payload = self.alerts.payload(article, m, self.topic_name, watch)
        key = self.alerts.watch_key(str(m.alert_key), watch)
        for channel in channels:
            _insert_outbox(self.conn, self.match_id, channel, key, payload, m.matched_at,
                           self.now, self.batch, article.site, watch)  # fmt: skip

    def story_update(self, watch: str, channels: Sequence[str], first: StoryFirst) -> None:
        """An update threaded under the watch's first alert of the story, on each channel."""
        m, article = self.match, self.article
        first = replace(first, alert_key=self.alerts.watch_key(first.alert_key, watch))
        payload = self.alerts.story_payload(article, m, self.topic_name, first, watch)
        key = self.alerts.story_key(first.alert_key, article.site, article.article_key)
        for channel in channels:
            new = outbox.NewAlert(channel, key, "update", payload, first.alert_key,
                                  self.match_id, self.batch, site=article.site, watch=watch)
            outbox.insert(self.conn, new, m.matched_at, self.now)


def _update(
    conn: Connection,
    m: MatchRecord,
    article: ArticleRecord,
    verdict: dict[str, Any],
    routes: Mapping[str, Sequence[str]],
    topic_name: str,
    now: datetime,
    alerts: MatchAlerts,
) -> None:
    where = (matches.c.article_id == m.article_id, matches.c.topic == m.topic)
    current = conn.execute(
        select(matches.c.id, matches.c.evidence, matches.c.alert_key).where(*where)
        .with_for_update()
    ).one()
    conn.execute(update(matches).where(*where).values(**verdict, updated_at=now))
    fields = (article.headline, article.subtitle, article.text)
    if not alerts.needs_update(list(current.evidence), list(m.evidence), fields):
        return
    for watch, channels in routes.items():
        if not _ever_alerted(conn, current.id, watch):  # nothing to update: no first alert
            continue
        # the key the match was first alerted with on this watch
        own = alerts.watch_key(str(current.alert_key), watch)
        # a later report of a story was never alerted on its own: its edits thread under the
        # story's first alert, as its "also reported" update did
        first = _thread_root(conn, current.id, own, watch) or own
        edited = replace(m, alert_key=own)
        payload = alerts.update_payload(article, edited, topic_name, first,
                                        list(current.evidence), watch)  # fmt: skip
        key = alerts.update_key(own, m.evidence)
        for channel in channels:
            new = outbox.NewAlert(channel, key, "update", payload, first, current.id,
                                  site=article.site, watch=watch)
            outbox.insert(conn, new, now, now)


def first_of_story(conn: Connection, story: str, topic: str, match_id: int,
                   watch: str = IMPLICIT_WATCH) -> StoryFirst | None:
    """The earliest other match of ``story`` on ``topic`` that alerted on ``watch`` (one
    stored by ``mtwatch run --no-alert``, or alerted on other watches only, opened no thread
    there); None: the new match opens the watch's thread. Its ``alert_key`` is the match's
    own (``MatchAlerts.watch_key`` makes it the watch's)."""
    alerted = select(alert_outbox.c.match_id).where(alert_outbox.c.kind == "alert",
                                                    alert_outbox.c.watch == watch)
    stmt = (
        select(matches.c.id, matches.c.alert_key, matches.c.site, articles.c.url,
               articles.c.headline, articles.c.published)
        .join(articles, articles.c.article_id == matches.c.article_id)
        .where(matches.c.story_id == story, matches.c.topic == topic,
               matches.c.id != match_id, matches.c.id.in_(alerted))
        .order_by(matches.c.id).limit(1)
    )
    row = conn.execute(stmt).first()
    if row is None:
        return None
    return StoryFirst(story, int(row.id), str(row.alert_key), str(row.site), str(row.url),
                      str(row.headline), row.published)


def _thread_root(conn: Connection, match_id: int, own: str, watch: str) -> str | None:
    """The alert a match's "also reported" update was threaded under on ``watch`` (None: it
    alerted there)."""
    stmt = (select(alert_outbox.c.refers_to)
            .where(alert_outbox.c.match_id == match_id, alert_outbox.c.kind == "update",
                   alert_outbox.c.watch == watch, alert_outbox.c.refers_to != own)
            .order_by(alert_outbox.c.id).limit(1))  # fmt: skip
    found = conn.execute(stmt).scalar_one_or_none()
    return None if found is None else str(found)


def _ever_alerted(conn: Connection, match_id: int, watch: str) -> bool:
    stmt = (select(alert_outbox.c.id)
            .where(alert_outbox.c.match_id == match_id, alert_outbox.c.watch == watch)
            .limit(1))  # fmt: skip
    return conn.execute(stmt).first() is not None


def _insert_outbox(
    conn: Connection,
    match_id: int,
    channel: str,
    key: str,
    payload: dict[str, Any],
    due: datetime,
    now: datetime,
    batch: str | None,
    site: str,
    watch: str = IMPLICIT_WATCH,
) -> None:
    """One pending outbox row of ``watch``, due from the moment of the match."""
    values = {
        "site": site,
        "watch": watch,
        "batch": batch,
        "match_id": match_id,
        "channel": channel,
        "idempotency_key": key,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": due,
        "payload": payload,
        "created_at": now,
    }
    insert_new(conn, alert_outbox, values, ["idempotency_key", "channel"])


def list_matches(conn: Connection, topic: str | None, since: datetime | None,
                 site: str | None = None) -> list[MatchRecord]:
    """Matches (of ``site``) with their article's url/headline/published, newest article first."""
    when = func.coalesce(articles.c.published, matches.c.matched_at)
    stmt = (
        select(matches, articles.c.url, articles.c.headline, articles.c.published,
               articles.c.article_key)
        .join(articles, articles.c.article_id == matches.c.article_id)
        .order_by(when.desc(), matches.c.id.desc())
    )
    if topic is not None:
        stmt = stmt.where(matches.c.topic == topic)
    if since is not None:
        stmt = stmt.where(when >= since)
    if site is not None:
        stmt = stmt.where(matches.c.site == site)
    return [_from_row(row) for row in conn.execute(stmt).mappings()]


def story_reports(conn: Connection, story_ids: Sequence[str]) -> dict[str, list[MatchRecord]]:
    """Each story's matches (one per article and topic), in the order they were stored: the
    first is the story's first report."""
    wanted = sorted({s for s in story_ids if s})
    if not wanted:
        return {}
    stmt = (
        select(matches, articles.c.url, articles.c.headline, articles.c.published,
               articles.c.article_key)
        .join(articles, articles.c.article_id == matches.c.article_id)
        .where(matches.c.story_id.in_(wanted))
        .order_by(matches.c.id)
    )
    found: dict[str, list[MatchRecord]] = {s: [] for s in wanted}
    for row in conn.execute(stmt).mappings():
        found[str(row["story_id"])].append(_from_row(row))
    return found


def _from_row(row: RowMapping) -> MatchRecord:
    return MatchRecord(
        article_id=int(row["article_id"]),
        topic=row["topic"],
        rule_version=row["rule_version"],
        rule=row["rule"],
        grade=row["grade"],
        evidence=list(row["evidence"]),
        matched_at=row["matched_at"],
        url=row["url"],
        headline=row["headline"],
        published=row["published"],
        site=row["site"],
        key=row["article_key"],
        alert_key=row["alert_key"],
        story_id=row["story_id"],
    )
