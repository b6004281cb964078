"""Stories in the store (pipelines.storage.stories): a matched article is filed under its story
in the transaction that records its matches; the first article of a story alerts, a later one
gets one ``update`` per channel threaded under that alert; the index survives the process."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from pipelines.alerts.policy import story_key
from pipelines.storage import ArticleRecord, MatchRecord, Store
from pipelines.storage import matches as match_rows
from pipelines.storage import store as store_module
from pipelines.storage.database import StoreError
from pipelines.storage.matches import StoryFirst, story_outbox
from pipelines.storage.store import Evaluated
from pipelines.storage.stories import KEEP, PRUNE_EVERY
from tests.helpers.stories import CHANNELS, NOW, article_record, pair, put


def outbox(store: Store) -> list[tuple[str, str, str, str | None, int | None]]:
    """(site, channel, kind, refers_to, match id) of every row, oldest first."""
    return [(str(r.site), r.channel, r.kind, r.refers_to, r.match_id)
            for r in sorted(store.outbox_rows(), key=lambda r: r.id)]


def stories(store: Store) -> dict[str, str | None]:
    return {m.site: m.story_id for m in store.list_matches()}


@pytest.fixture
def reheadlined() -> tuple[ArticleRecord, ArticleRecord]:
    a, b = pair("reheadlined")
    return article_record(a, "wire", "a1"), article_record(b, "tribune", "b1")


def test_the_outbox_decision() -> None:
    first = StoryFirst("7", 3, "k" * 40, "wire", "https://wire.example/a", "H", None)
    assert story_outbox(None) == "alert"
    assert story_outbox(first) == "update"


def test_a_later_copy_updates_the_first_alert_once_per_channel(
        store: Store, reheadlined: tuple[ArticleRecord, ArticleRecord]) -> None:
    first, copy = reheadlined
    assert put(store, first) == ("inserted", 1)
    assert put(store, copy) == ("inserted", 1)
    by_site = {m.site: m for m in store.list_matches()}
    story = by_site["wire"].story_id
    assert story
    assert by_site["tribune"].story_id == story
    alert_key = by_site["wire"].alert_key
    rows = outbox(store)
    assert [(s, c, k) for s, c, k, _r, _m in rows] == [
        ("wire", "email", "alert"), ("wire", "webhook", "alert"),
        ("tribune", "email", "update"), ("tribune", "webhook", "update")]
    assert {r for *_x, r, _m in rows[2:]} == {alert_key}
    update = next(r for r in store.outbox_rows() if r.kind == "update")
    assert update.idempotency_key == story_key(alert_key, "tribune", "b1")
    assert update.payload["also_reported_by"] == "tribune"
    assert update.payload["story"]["id"] == story == update.payload["story_id"]
    assert update.payload["story"]["headline"] == first.headline
    alert = next(r for r in store.outbox_rows() if r.kind == "alert")
    assert alert.payload["story_id"] == story
    # the same articles again (a second run, a re-fetch): nothing new
    assert put(store, first)[1] == 0
    assert put(store, copy)[1] == 0
    assert len(outbox(store)) == 4


def test_a_translated_edition_joins_the_story(store: Store) -> None:
    a, b = pair("translated")
    assert a["language"] != b["language"]
    put(store, article_record(a, "moscowtimes", "1"))
    put(store, article_record(b, "moscowtimes-ru", "1"))
    assert len(set(stories(store).values())) == 1
    assert [k for _s, _c, k, _r, _m in outbox(store)] == ["alert", "alert", "update", "update"]


def test_two_stories_on_the_same_day_are_two_alerts(store: Store) -> None:
    a, b = pair("near_miss")
    put(store, article_record(a, "wire", "a1"))
    put(store, article_record(b, "tribune", "b1"))
    assert len(set(stories(store).values())) == 2
    assert {k for _s, _c, k, _r, _m in outbox(store)} == {"alert"}


def test_the_first_report_on_another_topic_alerts(
        store: Store, reheadlined: tuple[ArticleRecord, ArticleRecord]) -> None:
    first, copy = reheadlined
    put(store, first, ("turkey-syria",))
    put(store, copy, ("turkey-syria", "russia-turkey"))
    kinds = {(s, k) for s, c, k, _r, _m in outbox(store) if c == "email"}
    assert kinds == {("wire", "alert"), ("tribune", "update"), ("tribune", "alert")}
    assert len({m.story_id for m in store.list_matches()}) == 1


def test_a_story_first_stored_without_alerts_alerts_on_its_next_report(
        store: Store, reheadlined: tuple[ArticleRecord, ArticleRecord]) -> None:
    first, copy = reheadlined
    put(store, first, channels=[])  # mtwatch run --no-alert
    put(store, copy)
    assert [(s, k) for s, _c, k, _r, _m in outbox(store)] == [
        ("tribune", "alert"), ("tribune", "alert")]


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_another_process_finds_the_stories_of_earlier_runs(
        store_url: str, reheadlined: tuple[ArticleRecord, ArticleRecord]) -> None:
    first, copy = reheadlined
    with Store(store_url) as one:
        put(one, first)
    with Store(store_url) as two:
        put(two, copy)
        assert len(set(stories(two).values())) == 1
        assert [k for _s, _c, k, _r, _m in outbox(two)][2:] == ["update", "update"]


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_a_stale_index_in_memory_is_read_again(
        store_url: str, reheadlined: tuple[ArticleRecord, ArticleRecord]) -> None:
    """Two processes on one store: each sees what the other filed since."""
    first, copy = reheadlined
    with Store(store_url) as one, Store(store_url) as two:
        put(one, article_record(pair("near_miss")[0], "elsewhere", "x"))
        put(two, first)  # two's index was loaded before... one filed nothing it knows of
        put(one, copy)  # one's cached index predates the first article: it must re-read
        assert stories(one)["tribune"] == stories(one)["wire"]


def test_a_rolled_back_transaction_files_nothing(
        store: Store, reheadlined: tuple[ArticleRecord, ArticleRecord],
        monkeypatch: pytest.MonkeyPatch) -> None:
    first, copy = reheadlined
    real = match_rows.record

    def failing(*args: Any, **kwargs: Any) -> bool:
        raise StoreError("disk full")

    monkeypatch.setattr(match_rows, "record", failing)
    with pytest.raises(StoreError):
        put(store, first)  # grouped, then the transaction failed: the story is forgotten
    monkeypatch.setattr(match_rows, "record", real)
    put(store, copy)
    put(store, first)
    assert [(s, k) for s, c, k, _r, _m in outbox(store) if c == "email"] == [
        ("tribune", "alert"), ("wire", "update")]


def test_a_backfill_groups_copies_whatever_order_they_come_in(
        store: Store, reheadlined: tuple[ArticleRecord, ArticleRecord]) -> None:
    """Articles stored together stay in the index together, however old or out of order."""
    first, copy = reheadlined
    other = pair("near_miss")[0]
    months_later = (datetime.fromisoformat(other["published"]) + timedelta(days=60)).isoformat()
    put(store, first)
    put(store, article_record({**other, "published": months_later}, "elsewhere", "x"))
    put(store, copy)
    found = stories(store)
    assert found["wire"] == found["tribune"] != found["elsewhere"]


def test_articles_leave_the_index_a_while_after_they_were_stored(
        store: Store, reheadlined: tuple[ArticleRecord, ArticleRecord],
        monkeypatch: pytest.MonkeyPatch) -> None:
    first, copy = reheadlined
    put(store, first)
    later = datetime.now(UTC) + KEEP + PRUNE_EVERY
    monkeypatch.setattr(store_module, "_now", lambda: later)
    put(store, copy)
    assert len(set(stories(store).values())) == 2


def test_0014_adds_story_ids_and_the_index_and_back(store_url: str) -> None:
    from alembic import command

    from pipelines.storage.migrate import alembic_config
    from tests.helpers.migrations import empty_store

    engine = empty_store(store_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0013_source_polls")
    Store(store_url).close()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM story_index")).scalar() == 0
        assert not conn.execute(text("SELECT story_id FROM matches")).all()
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0013_source_polls")
    with engine.connect() as conn:
        columns = conn.execute(text("SELECT * FROM matches")).keys()
        assert "story_id" not in columns
    engine.dispose()


def test_an_edit_of_a_later_report_threads_under_the_storys_first_alert(
        store: Store, reheadlined: tuple[ArticleRecord, ArticleRecord]) -> None:
    first, copy = reheadlined
    put(store, first)
    put(store, copy)
    edited = MatchRecord(article_id=0, topic="turkey-syria", rule_version="1", rule="r",
                         grade="mention", matched_at=NOW, site=copy.site, key=copy.article_key,
                         evidence=[{"field": "text", "sentence": "a new sentence",
                                    "terms": ["Syria"]}])
    store.store_evaluated_many([Evaluated(copy, [edited])], CHANNELS)
    root = next(m.alert_key for m in store.list_matches() if m.site == "wire")
    updates = [r for r in store.outbox_rows() if r.kind == "update"]
    assert len(updates) == 4  # the copy's "also reported", then its edit, on each channel
    assert {r.refers_to for r in updates} == {root}
    assert len({r.idempotency_key for r in updates}) == 2


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_two_processes_filing_copies_at_once_alert_once(
        store_url: str, reheadlined: tuple[ArticleRecord, ArticleRecord]) -> None:
    """Concurrent writers: the index's row is locked for each transaction, so one files the
    story first and the other joins it."""
    first, copy = reheadlined
    Store(store_url).close()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(rec: ArticleRecord) -> None:
        try:
            with Store(store_url) as own:
                start.wait()
                put(own, rec)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(rec,)) for rec in (first, copy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with Store(store_url) as store:
        assert len(set(stories(store).values())) == 1
        kinds = sorted(k for _s, c, k, _r, _m in outbox(store) if c == "email")
    assert kinds == ["alert", "update"]


def test_preload_loads_the_story_index_and_its_bands_ahead_of_the_first_story() -> None:
    from pipelines.storage.stories import preload
    from pipelines.stories import StoryParams, minhash

    preload().join(timeout=120)
    params = StoryParams()
    hits = minhash.lsh_bands.cache_info().hits
    minhash.lsh_bands(params.lsh_threshold, params.num_perm)
    assert minhash.lsh_bands.cache_info().hits == hits + 1, "worked out by the preload"
