"""Revision 0016_watches on a store with outbox rows (sent and pending alerts, a story's first
alert and its update): every row kept and given to the implicit watch, nothing sent twice, a
later report threads under the old alert, and a new watch alerts on its own; and back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, text

from pipelines.alerts import deliver_due
from pipelines.alerts.policy import watch_key
from pipelines.alerts.watches import Watch, Watches
from pipelines.storage import ArticleRecord, Store
from pipelines.storage.migrate import HEADS, head_revisions
from pipelines.storage.routes import Routing
from pipelines.storage.store import Evaluated
from tests.helpers.migrations import migrate_to
from tests.helpers.stories import article_record as record
from tests.helpers.stories import pair
from tests.helpers.stories import quoted_match as match

BEFORE = "0015_poll_schedules"
CHANNELS = ["email", "webhook"]
LATER = datetime.now(UTC) + timedelta(days=1)
#: (id, channel, key, status, kind, refers_to, match_id) of a row
Row = tuple[Any, ...]


class Recorder:
    def __init__(self) -> None:
        self.keys: list[str] = []

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        self.keys.append(idempotency_key)


def put(store: Store, rec: ArticleRecord, routing: list[str] | Routing) -> None:
    store.store_evaluated_many([Evaluated(rec, [match(rec)])], routing)


def outbox(url: str) -> list[Row]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(
                "SELECT id, channel, idempotency_key, status, kind, refers_to, match_id "
                "FROM alert_outbox ORDER BY id"))]
    finally:
        engine.dispose()


def migrate(url: str, revision: str, *, down: bool = False) -> list[str]:
    """Move the store to ``revision``; the outbox's columns after."""
    return migrate_to(url, revision, "alert_outbox", down=down)


def test_outbox_rows_of_before_watches_are_the_implicit_watch_s(store_url: str) -> None:
    story, copy = pair("reheadlined")
    other = {**story, "headline": "Grain ships leave Odesa under a new corridor deal",
             "text": "Three bulk carriers loaded with wheat left the port of Odesa on Monday, "
                     "the first under a corridor agreed by insurers and the Ukrainian navy."}
    email, webhook = Recorder(), Recorder()
    with Store(store_url) as store:  # a store as the release before wrote it
        put(store, record(story, "wire", "a1"), CHANNELS)  # the story's first alert
        deliver_due(store, {"email": email}, now=LATER)  # sent by mail, queued for the hook
        put(store, record(copy, "tribune", "b1"), CHANNELS)  # its update, queued
        put(store, record(other, "post", "c1"), CHANNELS)  # another story's alert, queued
    assert "watch" not in migrate(store_url, BEFORE, down=True)
    before = outbox(store_url)
    assert [(r[1], r[3], r[4]) for r in before] == [
        ("email", "sent", "alert"), ("webhook", "pending", "alert"),
        ("email", "pending", "update"), ("webhook", "pending", "update"),
        ("email", "pending", "alert"), ("webhook", "pending", "alert")]
    with Store(store_url) as store:  # opening it upgrades it
        assert outbox(store_url) == before  # every row, key and thread as it was
        assert {r.watch for r in store.outbox_rows()} == {""}
        assert store.watch_counts() == {}
        sent_before = list(email.keys)
        deliver_due(store, {"email": email, "webhook": webhook}, now=LATER)
        deliver_due(store, {"email": email, "webhook": webhook}, now=LATER + timedelta(days=1))
        pending = [(r[1], r[2]) for r in before if r[3] == "pending"]
        delivered = [("email", k) for k in email.keys[len(sent_before):]] + [
            ("webhook", k) for k in webhook.keys]
        assert sorted(delivered) == sorted(pending)  # what was pending, once; nothing twice
        # a later report of the story threads under the alert sent before the upgrade
        put(store, record(copy, "echo", "d1"), CHANNELS)
        first_alert = before[0][2]
        assert [(r.kind, r.refers_to, r.watch) for r in store.outbox_rows()[len(before):]] == [
            ("update", first_alert, ""), ("update", first_alert, "")]
        # a watch configured after the upgrade never alerted the story: its first report there
        # is an alert of its own, under a key of its own
        put(store, record(copy, "foxtrot", "e1"), Watches([Watch("desk", ("email",))]))
        [new] = store.outbox_rows(watch="desk")
        own = next(m.alert_key for m in store.list_matches() if m.site == "foxtrot")
        assert (new.kind, new.channel, new.idempotency_key) == ("alert", "email:desk",
                                                                watch_key(own, "desk"))
        assert store.watch_counts() == {"desk": {"pending": 1}}
    assert head_revisions() == HEADS
    assert "watch" not in migrate(store_url, BEFORE, down=True)  # and back, rows kept
    assert len(outbox(store_url)) == len(before) + 3
