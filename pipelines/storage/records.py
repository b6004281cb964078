"""Plain records the store reads and writes, and the alert idempotency key."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

ARTICLE_STATES = ("discovered", "fetched", "extracted", "evaluated")
ALERT_STATUSES = ("pending", "sending", "sent", "dead")
RUN_STATUSES = ("running", "ok", "failed", "degraded")
FINAL_RUN_STATUSES = ("ok", "failed", "degraded")

#: the site of every row written before stores held several sites, and of callers that name none
DEFAULT_SITE = "moscowtimes"


def article_key_of(key: str, article_id: int) -> str:
    """An article's key within its site: ``key``, or its numeric ID as text when it has none."""
    return key or str(article_id)


def require_aware(name: str, value: datetime | None) -> None:
    """Reject naive datetimes: the store keeps UTC instants only."""
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


@dataclass(frozen=True, kw_only=True)
class ArticleMeta:
    """What an article says about itself, on whichever site: declared here once. A site's page
    object reads it (``crawler.items.ArticleFields``), the crawl's item carries it, and the
    store keeps it (``ArticleRecord``)."""

    #: the article's canonical URL
    url: str
    article_id: int
    headline: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    section: str = ""
    tags: list[str] = field(default_factory=list)
    #: ISO 639-1 code of the article's language
    language: str = "en"
    #: SHA-256 of the page as fetched: a page that changes is read again
    html_sha256: str = ""


@dataclass(frozen=True)
class ArticleRecord(ArticleMeta):
    """One article as stored: its metadata plus its clean text."""

    text: str
    #: how the body was read: "zone", "generic", "no_body", … (pipelines.extraction.paths)
    extraction: str
    fetched_at: datetime
    state: str = "evaluated"
    #: the site the article belongs to, and its key there (the site's own ID as text, or its
    #: canonical URL; empty: ``str(article_id)``). Read back, ``article_id`` is the store's
    #: surrogate ID of the row.
    site: str = DEFAULT_SITE
    key: str = ""

    @classmethod
    def of(cls, article: ArticleMeta, *, text: str, extraction: str, fetched_at: datetime,
           site: str, key: str) -> ArticleRecord:
        """The record of an article's metadata (a page's, or another record's: what a subclass
        of ``ArticleMeta`` adds is left out) and its text."""
        values = {f.name: getattr(article, f.name) for f in fields(ArticleMeta)}
        meta: dict[str, Any] = {name: list(v) if isinstance(v, list) else v
                                for name, v in values.items()}
        return cls(**meta, text=text, extraction=extraction, fetched_at=fetched_at,
                   site=site, key=key)

    @property
    def article_key(self) -> str:
        return article_key_of(self.key, self.article_id)

    def __post_init__(self) -> None:
        if not self.key:  # one spelling of the key, whether given or read back
            object.__setattr__(self, "key", str(self.article_id))
        if self.state not in ARTICLE_STATES:
            raise ValueError(f"state must be one of {ARTICLE_STATES}, got {self.state!r}")
        for name in ("published", "modified", "fetched_at"):
            require_aware(name, getattr(self, name))


@dataclass(frozen=True)
class MatchRecord:
    """One (article, topic) match with its evidence; url/headline/published are read-only joins.

    ``article_id`` is the stored article's ID; ``site``, ``key`` and ``alert_key`` are read back
    from the store (the store sets them when it records the match)."""

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
    site: str = DEFAULT_SITE
    key: str = ""
    #: the alert idempotency key stored with the match ("" before it is stored)
    alert_key: str = ""
    #: the story the article reports (``pipelines.storage.stories``; None: not grouped)
    story_id: str | None = None

    def __post_init__(self) -> None:
        require_aware("matched_at", self.matched_at)
        require_aware("published", self.published)

    @property
    def article_key(self) -> str:
        return article_key_of(self.key, self.article_id)

    @property
    def idempotency_key(self) -> str:
        """The stored alert key (``pipelines.alerts.policy.alert_key``); "" before storing."""
        return self.alert_key


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
