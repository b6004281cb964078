"""The mtwatch store: SQLAlchemy Core on SQLite (WAL) or PostgreSQL, with an alert outbox.

The names below load their modules on first use: a process that only needs a helper module of
the package (``pipelines.storage.files`` for the crawl lock, say) does not import SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.lazy import lazy_names

if TYPE_CHECKING:
    from pipelines.storage.database import StoreError
    from pipelines.storage.records import (
        DEFAULT_SITE,
        AlertRow,
        ArticleRecord,
        MatchRecord,
        RunRow,
    )
    from pipelines.storage.store import Store

_HOMES = {
    "StoreError": "pipelines.storage.database",
    "DEFAULT_SITE": "pipelines.storage.records",
    "AlertRow": "pipelines.storage.records",
    "ArticleRecord": "pipelines.storage.records",
    "MatchRecord": "pipelines.storage.records",
    "RunRow": "pipelines.storage.records",
    "Store": "pipelines.storage.store",
}


__getattr__ = lazy_names(__name__, _HOMES, globals())


__all__ = [
    "DEFAULT_SITE",
    "AlertRow",
    "ArticleRecord",
    "MatchRecord",
    "RunRow",
    "Store",
    "StoreError",
]
