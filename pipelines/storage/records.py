"""Plain records the store reads and writes, and the alert idempotency key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ARTICLE_STATES = ("discovered", "fetched", "extracted", "evaluated")
ALERT_STATUSES = ("pending", "sending", "sent", "dead")
RUN_STATUSES = ("running", "ok", "failed", "degraded")
FINAL_RUN_STATUSES = ("ok", "failed", "degraded")


def idempotency_key(topic: str, article_id: int) -> str:
    """The alert key of one match: stable across rule versions, retries and channels."""
    return hashlib.sha256(f"{topic}|{article_id}".encode()).hexdigest()[:40]


def require_aware(name: str, value: datetime | None) -> None:
    """Reject naive datetimes: the store keeps UTC instants only."""
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


@dataclass(frozen=True)
class ArticleRecord:
    """One article as stored: page metadata plus its clean text."""

    article_id: int
    url: str
    headline: str
    subtitle: str
    authors: list[str]
    published: datetime | None
    modified: datetime | None
    section: str
    tags: list[str]
    language: str
    html_sha256: str
    text: str
    #: how the body was read: "zone", "generic", "no_body", … (pipelines.extraction.paths)
    extraction: str
    fetched_at: datetime
    state: str = "evaluated"

    def __post_init__(self) -> None:
        if self.state not in ARTICLE_STATES:
            raise ValueError(f"state must be one of {ARTICLE_STATES}, got {self.state!r}")
        for name in ("published", "modified", "fetched_at"):
            require_aware(name, getattr(self, name))


@dataclass(frozen=True)
class MatchRecord:
    """One (article, topic) match with its evidence; url/headline/published are read-only joins."""

    article_id: int
    topic: str
    rule_version: str
    rule: str
    grade: str
    evidence: list[dict[str, Any]]
    matched_at: datetime
    url: str = ""
    headline: str = ""
    published: datetime | None = None

    def __post_init__(self) -> None:
        require_aware("matched_at", self.matched_at)
        require_aware("published", self.published)

    @property
    def idempotency_key(self) -> str:
        return idempotency_key(self.topic, self.article_id)


@dataclass(frozen=True)
class AlertRow:
    """One outbox row: an alert event for one channel and its delivery state."""

    id: int
    channel: str
    idempotency_key: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    payload: dict[str, Any]
    created_at: datetime
    sent_at: datetime | None
    lease_until: datetime | None = None


@dataclass(frozen=True)
class RunRow:
    """One crawl run and its verdict."""

    id: int
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    reason: str
    stats: dict[str, Any] = field(default_factory=dict)
