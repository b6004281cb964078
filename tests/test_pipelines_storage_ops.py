"""Store guarantees the daemon relies on: pragmas (D3), commit before send (D3), writers that
never see "database is locked" (D2), and relays that deliver each row once (D5)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from pipelines.alerts import deliver_due
from pipelines.storage import Store, StoreError
from tests.helpers.ops import REPO, sample_article, sample_match

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class Recorder:
    """A notifier that records what it was asked to send, from any thread."""

    channel = "email"

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        with self.lock:
            self.sent.append(idempotency_key)


def test_sqlite_connections_use_wal_full_sync_and_a_busy_timeout(tmp_path: Path) -> None:
    """SQLite only: these pragmas are SQLite's own (PostgreSQL has no equivalent to check)."""
    with Store(f"sqlite:///{tmp_path / 'm.db'}") as store:
        conn = store._engine.raw_connection()
        try:
            pragmas = {name: conn.execute(f"PRAGMA {name}").fetchone()[0]
                       for name in ("journal_mode", "synchronous", "busy_timeout",
                                    "foreign_keys")}
        finally:
            conn.close()
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 30000,
                       "foreign_keys": 1}


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_a_failed_commit_queues_nothing_and_sends_nothing(store_url: str) -> None:
    """The outbox rule: an alert exists only after its match is committed."""
    with Store(store_url) as store:
        store.upsert_article(sample_article(1, T0))

        def boom(_conn: Any) -> None:
            raise RuntimeError("disk vanished at commit")

        event.listen(Engine, "commit", boom)
        try:
            with pytest.raises((StoreError, RuntimeError)):
                store.record_match(sample_match(1, T0), ["email"])
        finally:
            event.remove(Engine, "commit", boom)
        notifier = Recorder()
        deliver_due(store, {"email": notifier}, now=T0 + timedelta(days=1))
        assert store.list_matches() == []
        assert store.list_alerts() == []
        assert notifier.sent == []


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_four_concurrent_relays_deliver_every_alert_exactly_once(store_url: str) -> None:
    """D5: the outbox claim lets one relay win each row, on SQLite and PostgreSQL."""
    with Store(store_url) as store:
        for n in range(1, 121):
            store.upsert_article(sample_article(n, T0))
            store.record_match(sample_match(n, T0), ["email"])
    notifier = Recorder()
    barrier = threading.Barrier(4)

    def relay() -> None:
        with Store(store_url) as own:
            barrier.wait()
            for _ in range(3):
                deliver_due(own, {"email": notifier}, now=T0 + timedelta(hours=1), limit=50)

    threads = [threading.Thread(target=relay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert Counter(notifier.sent).most_common(1)[0][1] == 1, "a row was sent twice"
    assert len(notifier.sent) == 120
    with Store(store_url) as store:
        assert {a.status for a in store.list_alerts()} == {"sent"}


WRITER = textwrap.dedent("""
    import json, sys
    from datetime import UTC, datetime
    from pipelines.storage import Store, StoreError
    from tests.helpers.ops import sample_article
    url, index, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    errors, now = [], datetime(2025, 3, 1, tzinfo=UTC)
    with Store(url) as store:
        print("ready", flush=True)
        sys.stdin.readline()  # all writers start together
        for n in range(count):
            try:  # upsert reads the row, then writes it, in one transaction
                store.upsert_article(sample_article(n % 10, now, text=f"{index}-{n}"))
            except StoreError as exc:
                errors.append(str(exc))
    print(json.dumps(errors))
""")


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
@pytest.mark.parametrize("count", [pytest.param(60, id="4x60"),
                                   pytest.param(300, id="4x300", marks=pytest.mark.slow)])
def test_four_processes_of_read_then_write_transactions_never_see_locked(
    store_url: str, count: int
) -> None:
    """D2 (unit): 4 processes x N read-then-write transactions, 0 failures."""
    Store(store_url).close()  # the schema first, as in a deployment
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(i), str(count)],
                              cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True) for i in range(4)]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    errors = [json.loads(proc.communicate(timeout=600)[0].strip().splitlines()[-1])
              for proc in procs]
    assert errors == [[], [], [], []]
    with Store(store_url) as store:
        assert store.count_articles() == 10


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_article_and_match_commit_together_or_not_at_all(store_url: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """D1's lost-match window: a crash after the article but before its match is committed.
    ``store_evaluated`` writes both in one transaction, so nothing is half-stored."""
    from pipelines.storage import matches as match_rows

    def crash(*_args: Any, **_kwargs: Any) -> bool:
        raise StoreError("killed between the article and its match")

    with Store(store_url) as store:
        monkeypatch.setattr(match_rows, "record", crash)
        with pytest.raises(StoreError):
            store.store_evaluated(sample_article(1, T0), [sample_match(1, T0)], ["email"])
        monkeypatch.undo()
        assert store.article_ids() == set(), "the article must not look evaluated"
        assert store.store_evaluated(sample_article(1, T0), [sample_match(1, T0)],
                                     ["email"]) == ("inserted", 1)
        assert [m.article_id for m in store.list_matches()] == [1]
        assert len(store.list_alerts()) == 1
