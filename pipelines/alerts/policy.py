"""Alert policy: the idempotency keys of alerts and their updates, what an alert carries, and
when an edit deserves an update. Pure functions and one small object the store is handed
(``pipelines.storage`` never imports this package: the caller passes :data:`POLICY`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pipelines.alerts import evidence
from pipelines.alerts.payload import build_payload, evidence_item

if TYPE_CHECKING:
    from pipelines.storage.matches import StoryFirst
    from pipelines.storage.records import ArticleRecord, MatchRecord


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def alert_key(site: str, topic: str, article_key: str) -> str:
    """The alert key of one match: stable across rule versions, retries and channels, and
    distinct for two sites whose articles share a key."""
    return _digest(f"{site}|{topic}|{article_key}")


def watch_key(key: str, watch: str) -> str:
    """The key of a match's alert on ``watch``: ``key`` itself on the implicit watch (``""``,
    a config without watches: the keys of before watches, so an upgrade re-sends nothing),
    else one of the watch's own, so two watches never suppress each other (nor share a
    Message-ID or webhook-id). Updates and story updates derive theirs from it."""
    return key if not watch else _digest(f"{key}|watch|{watch}")


def update_key(first_alert: str, found: Iterable[Mapping[str, Any]]) -> str:
    """The key of the "updated" alert for this evidence: one event per distinct edit of the
    match whose first alert had the key ``first_alert``."""
    return _digest(f"{first_alert}|update|{evidence.fingerprint(found)}")


def story_key(first_alert: str, site: str, article_key: str) -> str:
    """The key of the update a later article of a story sends under the story's first alert
    (``first_alert``): one per article and channel, whatever run stores it."""
    return _digest(f"{first_alert}|story|{site}|{article_key}")


def named(payload: dict[str, Any], watch: str) -> dict[str, Any]:
    """A payload naming its watch (the implicit watch's payloads are those of before watches)."""
    return {**payload, "watch": watch} if watch else payload


def story_payload(article: ArticleRecord, match: MatchRecord, topic_name: str,
                  first: StoryFirst, watch: str = "") -> dict[str, Any]:
    """A later article of a story: its own alert payload, as an ``update`` of the story's first
    alert (on ``watch``), with the story (its id and its first article) and the site that also
    reported it."""
    return {**named(build_payload(article, match, topic_name), watch), "kind": "update",
            "refers_to": first.alert_key, "also_reported_by": article.site,
            "story": {"id": first.story_id, "site": first.site, "url": first.url,
                      "headline": first.headline,
                      "published": first.published.isoformat() if first.published else None}}


class AlertPolicy:
    """What the store asks when it records a match (``pipelines.storage.matches.MatchAlerts``)."""

    def alert_key(self, site: str, topic: str, article_key: str) -> str:
        return alert_key(site, topic, article_key)

    def watch_key(self, key: str, watch: str) -> str:
        return watch_key(key, watch)

    def update_key(self, first_alert: str, found: Sequence[Mapping[str, Any]]) -> str:
        return update_key(first_alert, found)

    def needs_update(self, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]],
                     fields: Sequence[str]) -> bool:
        return evidence.needs_update(old, new, fields)

    def payload(self, article: ArticleRecord, match: MatchRecord, topic_name: str,
                watch: str = "") -> dict[str, Any]:
        return named(build_payload(article, match, topic_name), watch)

    def update_payload(self, article: ArticleRecord, match: MatchRecord, topic_name: str,
                       first_alert: str, previous: Sequence[Mapping[str, Any]],
                       watch: str = "") -> dict[str, Any]:
        return {**self.payload(article, match, topic_name, watch), "kind": "update",
                "refers_to": first_alert, "previous_evidence": [evidence_item(e) for e in previous]}

    def story_key(self, first_alert: str, site: str, article_key: str) -> str:
        return story_key(first_alert, site, article_key)

    def story_payload(self, article: ArticleRecord, match: MatchRecord, topic_name: str,
                      first: StoryFirst, watch: str = "") -> dict[str, Any]:
        return story_payload(article, match, topic_name, first, watch)


#: the policy every caller hands the store
POLICY = AlertPolicy()
