"""The mtwatch store: SQLAlchemy Core on SQLite (WAL) or PostgreSQL, with an alert outbox."""

from __future__ import annotations

from pipelines.storage.database import StoreError
from pipelines.storage.records import (
    DEFAULT_SITE,
    AlertRow,
    ArticleRecord,
    MatchRecord,
    RunRow,
)
from pipelines.storage.store import Store

__all__ = [
    "DEFAULT_SITE",
    "AlertRow",
    "ArticleRecord",
    "MatchRecord",
    "RunRow",
    "Store",
    "StoreError",
]
