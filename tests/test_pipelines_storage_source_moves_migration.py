"""Revision 0017_source_moves on each backend: a feed's row keeps its validators across the
upgrade and the downgrade, and the address it moved to is kept, shown in its health, and dropped
by the downgrade."""

from __future__ import annotations

from datetime import UTC, datetime

from pipelines.storage import Store
from pipelines.storage.sources import SourceState
from tests.helpers.migrations import migrate_to

BEFORE = "0016_watches"
FEED = "https://example.org/feed"
MOVED = "https://example.org/feed/"
WHEN = datetime(2026, 6, 1, 12, tzinfo=UTC)


def migrate(url: str, revision: str, *, down: bool = False) -> list[str]:
    """Move the store to ``revision``; the columns of ``sources`` after."""
    return migrate_to(url, revision, "sources", down=down)


def test_a_moved_feed_is_kept_and_shown_and_the_downgrade_keeps_its_validators(
        store_url: str) -> None:
    with Store(store_url) as store:
        store.save_source(SourceState(FEED, "feed", WHEN, WHEN, etag='"v1"', moved_to=MOVED),
                          site="blog")
        assert store.discovery_sources(site="blog")[FEED].moved_to == MOVED
        (health,) = store.source_health(site="blog")
        assert health.moved_to == MOVED
        assert MOVED in (health.note or "")
    assert "moved_to" not in migrate(store_url, BEFORE, down=True)
    with Store(store_url) as store:  # opening it upgrades it again
        (kept,) = store.discovery_sources(site="blog").values()
        assert (kept.url, kept.etag, kept.moved_to) == (FEED, '"v1"', None)
        (health,) = store.source_health(site="blog")
        assert health.note is None
