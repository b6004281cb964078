"""The story index in the store: a thin adapter around the pure core
(``pipelines.stories.StoryIndex``).

Grouping runs in the store's write transaction, the one that records the matches and their
outbox rows: a matched article is filed under a story, its story id goes on its match rows, and
the index's new state is written back before the commit. A crash rolls all of it back together,
so an article is never grouped without its matches, nor alerted as a story's first article after
a later one joined it. The state is one row (``story_index``), locked for the transaction on
PostgreSQL (SQLite's writer holds the whole database), so two processes never file articles
from stale state.

A process keeps the index it last wrote in memory with the row's token; the next transaction
re-reads the state only when another process wrote it since (the token differs).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from pipelines.storage.dialects import insert_new
from pipelines.storage.records import ArticleRecord
from pipelines.storage.schema import matches, story_index

if TYPE_CHECKING:
    from pipelines.stories import Article, StoryIndex

logger = logging.getLogger(__name__)

#: the index's row in ``story_index``
STATE_NAME = "stories"
#: matched articles stay in the index this long after they were stored, whenever they were
#: published (a backfill files months-old copies together); then they leave it: they can no
#: longer be grouped with, their stories keep their ids, the rows keep their story ids
KEEP = timedelta(days=7)
#: and the index keeps at most this many articles (the newest stored)
MAX_ARTICLES = 5000
#: expired articles are dropped at most this often (it rebuilds the index)
PRUNE_EVERY = timedelta(hours=1)


def preload() -> threading.Thread:
    """Load the story index's code (numpy, a tenth of a second) and work out its LSH bands on
    a thread of their own, now. A backfill files its first matched article while it reads
    its sitemaps, when the crawl's main thread is its critical path; started with the crawl,
    the loading mostly fills the time that thread waits for its first pages instead. The
    same modules and values as loaded on first use (a failure here: loaded then, as before)."""

    def load() -> None:
        try:
            from pipelines.stories import StoryParams, minhash

            params = StoryParams()
            minhash.lsh_bands(params.lsh_threshold, params.num_perm)
            minhash.permutations(params.num_perm, params.seed)
        except Exception:  # loaded again where it is needed, and fails there if it must
            logger.debug("story index preload failed", exc_info=True)

    thread = threading.Thread(target=load, name="mtwatch-stories-preload", daemon=True)
    thread.start()
    return thread


def article_of(rec: ArticleRecord, article_id: int) -> Article:
    """What the index needs of a stored article (``article_id``: the store's ID, which becomes
    the story id when the article opens a story). No publication time: when it was fetched."""
    from pipelines.stories import Article

    return Article(id=str(article_id), site=rec.site, language=rec.language or "en",
                   published=rec.published or rec.fetched_at, headline=rec.headline,
                   text=rec.text)


def known_story(conn: Connection, article_id: int) -> str | None:
    """The story an article's earlier matches were filed under (None: none yet)."""
    stmt = (select(matches.c.story_id)
            .where(matches.c.article_id == article_id, matches.c.story_id.is_not(None))
            .limit(1))  # fmt: skip
    found = conn.execute(stmt).scalar_one_or_none()
    return None if found is None else str(found)


@dataclass
class _Loaded:
    index: StoryIndex
    #: article id → when it was stored (ISO 8601)
    added: dict[str, str]
    pruned_at: datetime | None
    changed: bool = False


def prune(loaded: _Loaded, now: datetime) -> _Loaded:
    """The index without the articles stored more than KEEP ago, and at most MAX_ARTICLES
    (the newest stored), rebuilt from its state (the core forgets by publication time only)."""
    from pipelines.stories import StoryIndex

    cutoff = (now - KEEP).isoformat()
    state = loaded.index.to_state()
    kept = [a for a in state["articles"] if loaded.added.get(a["id"], now.isoformat()) >= cutoff]
    kept = kept[-MAX_ARTICLES:]
    ids = {a["id"] for a in kept}
    if len(kept) == len(state["articles"]):
        return _Loaded(loaded.index, loaded.added, now, loaded.changed)
    index = StoryIndex.from_state({**state, "articles": kept})
    added = {k: v for k, v in loaded.added.items() if k in ids}
    return _Loaded(index, added, now, loaded.changed)


@dataclass
class StoryBook:
    """The store's story index: one per Store, used inside its write transactions."""

    #: (token, what was loaded) as this process last wrote or read them
    _cached: tuple[str, _Loaded] | None = field(default=None, repr=False)

    def session(self, conn: Connection) -> StorySession:
        return StorySession(self, conn)

    def load(self, conn: Connection) -> tuple[str, _Loaded]:
        """The index as the row holds it, the row locked for this transaction."""
        from pipelines.stories import StoryIndex

        row = _locked_row(conn)
        cached, self._cached = self._cached, None  # handed back only once written (a rollback
        if cached is not None and cached[0] == row.token:  # between would leave it dirty)
            return row.token, cached[1]
        state: dict[str, Any] = dict(row.state or {})
        index = (StoryIndex.from_state(state["index"]) if state.get("index")
                 else StoryIndex())  # fmt: skip
        pruned = state.get("pruned_at")
        return row.token, _Loaded(index, dict(state.get("added") or {}),
                                  datetime.fromisoformat(pruned) if pruned else None)

    def save(self, conn: Connection, token: str, loaded: _Loaded, now: datetime) -> None:
        state = {"index": loaded.index.to_state(), "added": loaded.added,
                 "pruned_at": loaded.pruned_at.isoformat() if loaded.pruned_at else None}
        new_token = uuid.uuid4().hex
        conn.execute(update(story_index).where(story_index.c.name == STATE_NAME,
                                               story_index.c.token == token)
                     .values(token=new_token, state=state, updated_at=now))  # fmt: skip
        self._cached = (new_token, loaded)


class StorySession:
    """The stories of one write transaction: the state is read on the first matched article
    and written once, by :meth:`finish`, before the commit."""

    def __init__(self, book: StoryBook, conn: Connection) -> None:
        self.book, self.conn = book, conn
        self._token = ""
        self._loaded: _Loaded | None = None

    def story_of(self, rec: ArticleRecord, article_id: int, now: datetime) -> str:
        """The story a matched article reports: the one its earlier matches were filed under,
        else the index's verdict (an earlier article's story, or a new one of its own)."""
        known = known_story(self.conn, article_id)
        if known is not None:
            return known
        if self._loaded is None:  # expired articles leave before any new one is filed
            self._token, loaded = self.book.load(self.conn)
            if (loaded.pruned_at is None or now - loaded.pruned_at >= PRUNE_EVERY
                    or len(loaded.index) > MAX_ARTICLES):
                loaded = prune(loaded, now)
            self._loaded = loaded
        loaded = self._loaded
        article = article_of(rec, article_id)
        assignment = loaded.index.add(article)
        loaded.changed = True
        loaded.added.setdefault(article.id, now.isoformat())
        return assignment.story_id

    def finish(self, now: datetime) -> None:
        if self._loaded is not None and self._loaded.changed:
            self.book.save(self.conn, self._token, self._loaded, now)


def _locked_row(conn: Connection) -> Any:
    stmt = select(story_index).where(story_index.c.name == STATE_NAME).with_for_update()
    row = conn.execute(stmt).first()
    if row is None:  # the first story ever: make the row (a racing process may make it too)
        insert_new(conn, story_index, {"name": STATE_NAME, "token": "", "state": {},
                                       "updated_at": datetime.now(UTC)}, ["name"])
        row = conn.execute(stmt).one()
    return row
