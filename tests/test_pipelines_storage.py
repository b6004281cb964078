"""Tests for pipelines.storage: upserts, the match + outbox transaction, claims, runs, errors."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from pipelines.alerts.payload import EVIDENCE_KEYS, PAYLOAD_KEYS
from pipelines.alerts.policy import alert_key
from pipelines.storage import (
    ArticleRecord,
    MatchRecord,
    Store,
    StoreError,
)
from pipelines.storage import matches as match_rows
from pipelines.storage.records import DEFAULT_SITE

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
MSK = timezone(timedelta(hours=3))


def article(article_id: int = 1, **changes: Any) -> ArticleRecord:
    rec = ArticleRecord(
        article_id=article_id,
        url=f"https://www.themoscowtimes.com/2025/03/01/story-a{article_id}",
        headline=f"Headline {article_id}",
        subtitle="Subtitle",
        authors=["Anna Author", "Boris Byline"],
        published=T0 - timedelta(hours=article_id),
        modified=None,
        section="news",
        tags=["turkey", "syria"],
        language="en",
        html_sha256="a" * 64,
        text="Ankara and Damascus agreed to restore ties.",
        extraction="ok",
        fetched_at=T0,
    )
    return replace(rec, **changes)


def match(article_id: int = 1, **changes: Any) -> MatchRecord:
    rec = MatchRecord(
        article_id=article_id,
        topic="syria-turkey",
        rule_version="2025.1",
        rule="normalization-core",
        grade="strong",
        evidence=[
            {
                "field": "text",
                "sentence": "Ankara and Damascus agreed.",
                "start": 0,
                "end": 27,
                "terms": ["Ankara", "Damascus"],
            }
        ],
        matched_at=T0,
    )
    return replace(rec, **changes)


def outbox_count(store: Store) -> int:
    return len(store.list_alerts())


# articles


def test_upsert_reports_inserted_updated_unchanged_without_duplicates(store: Store) -> None:
    assert store.upsert_article(article()) == "inserted"
    assert store.upsert_article(article()) == "unchanged"
    assert store.upsert_article(article(fetched_at=T0 + timedelta(hours=1))) == "unchanged"
    assert store.upsert_article(article(text="New text.")) == "updated"
    assert store.upsert_article(article(text="New text.", html_sha256="b" * 64)) == "updated"
    assert store.upsert_article(article(text="New text.", html_sha256="b" * 64)) == "unchanged"
    assert store.count_articles() == 1
    assert store.article_ids() == {1}
    stored = store.get_article(1)
    assert stored is not None
    assert (stored.text, stored.html_sha256) == ("New text.", "b" * 64)


def test_get_article_round_trips_every_field(store: Store) -> None:
    rec = article(7, modified=T0, state="extracted", extraction="failed:timeout", tags=[])
    store.upsert_article(rec)
    assert store.get_article(7) == rec
    assert store.get_article(8) is None


def test_article_ids_and_count(store: Store) -> None:
    for article_id in (3, 1, 2):
        store.upsert_article(article(article_id))
    assert store.count_articles() == 3
    assert store.article_ids() == {1, 2, 3}


def test_aware_datetimes_round_trip_as_utc(store: Store) -> None:
    published = datetime(2025, 3, 1, 23, 30, 15, 123456, tzinfo=MSK)
    store.upsert_article(article(published=published, modified=None))
    stored = store.get_article(1)
    assert stored is not None
    assert stored.published is not None
    assert stored.published == published
    assert stored.published.tzinfo is UTC
    assert stored.published.hour == 20
    assert stored.modified is None
    assert stored.fetched_at.tzinfo is UTC


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="published must be a timezone-aware"):
        article(published=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="matched_at"):
        match(matched_at=datetime(2025, 1, 1))


def test_unknown_article_state_is_rejected() -> None:
    with pytest.raises(ValueError, match="state must be one of"):
        article(state="bogus")


# opening the store


def test_sqlite_store_creates_parent_directory_and_schema(tmp_path: Path) -> None:
    """SQLite only: the store is a file whose folders mtwatch makes."""
    path = tmp_path / "a" / "b" / "mtwatch.db"
    with Store(f"sqlite:///{path}") as store:
        assert store.count_articles() == 0
    assert path.exists()
    with Store(f"sqlite:///{path}") as again:  # reopening an existing store is fine
        assert again.count_articles() == 0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///{tmp}/file.txt/sub/mtwatch.db", "cannot open store at {tmp}/file.txt/sub"),
        ("sqlite:////proc/mtwatch-test/mtwatch.db", "cannot open store at /proc/mtwatch-test"),
        ("not a url", "cannot open store: not a database URL; use sqlite:"),
        ("nosuchdb://host/x", "cannot open store: unknown database 'nosuchdb'"),
        (
            "postgresql+psycopg://mt:s3cret-pw@127.0.0.1:1/test?connect_timeout=2",
            "cannot open store at postgresql+psycopg://mt:***@127.0.0.1:1/test",
        ),
    ],
)
def test_unopenable_store_raises_one_clear_line(tmp_path: Path, url: str, expected: str) -> None:
    (tmp_path / "file.txt").write_text("not a directory")
    with pytest.raises(StoreError) as info:
        Store(url.format(tmp=tmp_path))
    message = str(info.value)
    assert message.startswith(expected.format(tmp=tmp_path))
    assert "\n" not in message
    assert "s3cret-pw" not in message
    assert len(message) < 500


def test_sqlite_connections_use_wal_full_sync_and_busy_timeout(tmp_path: Path) -> None:
    """SQLite only: these pragmas are SQLite's own."""
    path = tmp_path / "mtwatch.db"
    with Store(f"sqlite:///{path}") as store, store._engine.connect() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")
        }
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 30000, "synchronous": 2,
                       "foreign_keys": 1}  # fmt: skip


def test_sqlite_writer_waits_for_the_lock_instead_of_failing(tmp_path: Path) -> None:
    """SQLite only: a second connection holding SQLite's one write lock (PostgreSQL locks
    rows; its concurrent writers are in test_pipelines_storage_concurrency)."""
    path = tmp_path / "mtwatch.db"
    with Store(f"sqlite:///{path}") as store:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        threading.Timer(0.5, other.execute, args=("COMMIT",)).start()
        assert store.upsert_article(article()) == "inserted"  # waited on busy_timeout
        other.close()


# matches and the outbox


def test_record_match_twice_gives_one_match_and_one_outbox_row_per_channel(store: Store) -> None:
    store.upsert_article(article())
    assert store.record_match(match(), ["email", "webhook"], topic_name="Syria–Turkey") is True
    later = match(grade="weak", rule_version="2025.2", evidence=[], matched_at=T0 + timedelta(1))
    assert store.record_match(later, ["email", "webhook", "apprise"]) is False
    [stored] = store.list_matches()
    assert (stored.grade, stored.rule_version, stored.evidence) == ("weak", "2025.2", [])
    assert stored.matched_at == T0  # first seen, kept
    alerts = store.list_alerts()
    assert sorted(a.channel for a in alerts) == ["email", "webhook"]
    assert {a.idempotency_key for a in alerts} == {alert_key(DEFAULT_SITE, "syria-turkey", str(1))}
    assert all(a.status == "pending" and a.attempts == 0 for a in alerts)


def test_idempotency_key_is_stable_short_and_names_the_site() -> None:
    key = alert_key(DEFAULT_SITE, "syria-turkey", "42")
    assert key == alert_key(DEFAULT_SITE, "syria-turkey", "42")
    assert len(key) == 40
    assert key != alert_key(DEFAULT_SITE, "syria-turkey", "43")
    assert key != alert_key("moscowtimes-ru", "syria-turkey", "42")


def test_a_recorded_match_reads_back_its_stored_alert_key(store: Store) -> None:
    store.upsert_article(article(42))
    store.record_match(match(42), ["email"])
    [stored] = store.list_matches()
    assert stored.idempotency_key == alert_key(DEFAULT_SITE, "syria-turkey", "42")
    assert (stored.site, stored.article_key) == (DEFAULT_SITE, "42")


def test_outbox_payload_is_the_alert_snapshot(store: Store) -> None:
    store.upsert_article(article(published=datetime(2025, 3, 1, 9, 0, tzinfo=UTC)))
    store.record_match(match(), ["email"], topic_name="Syria–Turkey normalization")
    [alert] = store.list_alerts()
    payload = alert.payload
    assert sorted(payload) == sorted(PAYLOAD_KEYS)  # JSONB does not keep key order
    assert payload["topic_name"] == "Syria–Turkey normalization"
    assert payload["published"] == "2025-03-01T09:00:00+00:00"
    assert payload["authors"] == ["Anna Author", "Boris Byline"]
    assert sorted(payload["evidence"][0]) == sorted(EVIDENCE_KEYS)
    assert payload["evidence"][0]["terms"] == ["Ankara", "Damascus"]


def test_record_match_needs_a_stored_article(store: Store) -> None:
    with pytest.raises(StoreError, match="article 5 is not stored"):
        store.record_match(match(5), ["email"])
    assert store.list_matches() == []


def test_match_and_outbox_are_one_transaction(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.upsert_article(article())

    def crash(*_args: object) -> None:
        raise RuntimeError("injected failure between match and outbox insert")

    with monkeypatch.context() as patch:
        patch.setattr(match_rows, "_insert_outbox", crash)
        with pytest.raises(RuntimeError, match="injected"):
            store.record_match(match(), ["email"])
    assert store.list_matches() == []
    assert outbox_count(store) == 0
    assert store.record_match(match(), ["email"]) is True  # nothing half-written blocks a retry
    assert outbox_count(store) == 1


def test_list_matches_newest_published_first_with_filters(store: Store) -> None:
    for article_id in (1, 2, 3):  # article n is published n hours before T0
        store.upsert_article(article(article_id))
        store.record_match(match(article_id), ["email"])
    store.record_match(match(2, topic="other"), ["email"])
    found = store.list_matches(topic="syria-turkey")
    assert [m.article_id for m in found] == [1, 2, 3]
    assert found[0].headline == "Headline 1"
    assert found[0].url.endswith("-a1")
    assert found[0].published == T0 - timedelta(hours=1)
    since = store.list_matches(topic="syria-turkey", since=T0 - timedelta(hours=2))
    assert [m.article_id for m in since] == [1, 2]
    assert len(store.list_matches()) == 4


# alert delivery state


def recorded(store: Store) -> int:
    store.upsert_article(article())
    store.record_match(match(), ["email"])
    [alert] = store.list_alerts()
    return alert.id


def test_due_claim_and_mark_sent(store: Store) -> None:
    alert_id = recorded(store)
    assert store.due_alerts(now=T0 - timedelta(seconds=1)) == []
    assert [a.id for a in store.due_alerts(now=T0, channel="email")] == [alert_id]
    assert store.due_alerts(now=T0, channel="webhook") == []
    assert store.claim_alert(alert_id, now=T0, lease=timedelta(minutes=5)) is True
    assert store.claim_alert(alert_id, now=T0, lease=timedelta(minutes=5)) is False
    assert store.due_alerts(now=T0 + timedelta(minutes=1)) == []
    store.mark_sent(alert_id, now=T0 + timedelta(seconds=3))
    [sent] = store.list_alerts(status="sent")
    assert sent.sent_at == T0 + timedelta(seconds=3)
    assert sent.attempts == 1
    assert store.due_alerts(now=T0 + timedelta(days=1)) == []


def test_mark_failed_reschedules_then_dead(store: Store) -> None:
    alert_id = recorded(store)
    store.claim_alert(alert_id, now=T0, lease=timedelta(minutes=5))
    retry = T0 + timedelta(seconds=30)
    store.mark_failed(alert_id, now=T0, error="451 later " + "x" * 5000, retry_at=retry)
    [row] = store.list_alerts(status="pending")
    assert (row.attempts, row.next_attempt_at) == (1, retry)
    assert row.last_error is not None
    assert len(row.last_error) == 2000
    assert store.due_alerts(now=retry - timedelta(seconds=1)) == []
    assert store.claim_alert(alert_id, now=retry, lease=timedelta(minutes=5)) is True
    store.mark_failed(alert_id, now=retry, error="550 no", retry_at=None)
    [dead] = store.list_alerts(status="dead")
    assert (dead.attempts, dead.last_error) == (2, "550 no")
    assert store.due_alerts(now=T0 + timedelta(days=30)) == []
    assert store.requeue_alert(alert_id, now=T0 + timedelta(days=2)) is True
    assert store.list_alerts(status="pending")[0].next_attempt_at == T0 + timedelta(days=2)
    assert store.requeue_alert(alert_id, now=T0) is False


def test_expired_lease_is_due_again(store: Store) -> None:
    alert_id = recorded(store)
    store.claim_alert(alert_id, now=T0, lease=timedelta(minutes=5))
    assert store.due_alerts(now=T0 + timedelta(minutes=4)) == []
    later = T0 + timedelta(minutes=6)
    assert [a.status for a in store.due_alerts(now=later)] == ["sending"]
    assert store.claim_alert(alert_id, now=later, lease=timedelta(minutes=5)) is True


def test_claim_is_exclusive_across_stores_and_threads(store: Store, store_url: str) -> None:
    alert_id = recorded(store)
    results: list[bool] = []
    stores = [store, Store(store_url)]
    barrier = threading.Barrier(8)

    def claim(index: int) -> None:
        barrier.wait()
        won = stores[index % 2].claim_alert(alert_id, now=T0, lease=timedelta(minutes=5))
        results.append(won)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    stores[1].close()
    assert sorted(results) == [False] * 7 + [True]


def test_unknown_alert_ids_raise_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no alert with id 99"):
        store.mark_sent(99, now=T0)
    with pytest.raises(ValueError, match="status must be one of"):
        store.list_alerts(status="lost")


# runs


def test_runs_start_finish_and_list_newest_first(store: Store) -> None:
    first = store.start_run(trigger="cron", now=T0)
    second = store.start_run(trigger="manual", now=T0 + timedelta(minutes=10))
    store.finish_run(first, now=T0 + timedelta(minutes=2), status="ok", reason="",
                     stats={"articles": 12, "matches": 1})  # fmt: skip
    runs = store.last_runs()
    assert [r.id for r in runs] == [second, first]
    assert (runs[0].status, runs[0].finished_at, runs[0].stats) == ("running", None, {})
    assert runs[1].status == "ok"
    assert runs[1].finished_at == T0 + timedelta(minutes=2)
    assert runs[1].stats == {"articles": 12, "matches": 1}
    assert [r.id for r in store.last_runs(limit=1)] == [second]
    store.finish_run(second, now=T0, status="failed", reason="feed: DNS error", stats={})
    assert store.last_runs(1)[0].reason == "feed: DNS error"
    with pytest.raises(ValueError, match="status must be one of"):
        store.finish_run(second, now=T0, status="fine", reason="", stats={})
    with pytest.raises(StoreError, match="no run with id"):
        store.finish_run(12345, now=T0, status="ok", reason="", stats={})
