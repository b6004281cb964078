"""Concurrent writers never fail: on SQLite BEGIN IMMEDIATE + busy_timeout means no "database is
locked"; on PostgreSQL racing read-then-write upserts of one row never collide."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from datetime import UTC, datetime

import pytest

from pipelines.storage import ArticleRecord, Store, StoreError

THREADS = 4
TRANSACTIONS = 100
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def article(article_id: int, text: str) -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id, url=f"https://example.test/a{article_id}", headline="h",
        subtitle="", authors=[], published=T0, modified=None, section="news", tags=[],
        language="en", html_sha256=str(hash(text)), text=text, extraction="ok", fetched_at=T0,
    )  # fmt: skip


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
@pytest.mark.parametrize("shared", [False, True], ids=["store-per-thread", "shared-store"])
def test_threads_doing_read_then_write_transactions_never_see_locked(
    store_url: str, shared: bool
) -> None:
    url = store_url
    common = Store(url)  # schema first, like the real deployment
    errors: list[str] = []
    outcomes: list[str] = []
    barrier = threading.Barrier(THREADS)

    def worker(index: int) -> None:
        # a store (and pool) per thread behaves like separate processes
        with nullcontext(common) if shared else Store(url) as store:
            barrier.wait()
            for n in range(TRANSACTIONS):
                try:  # upsert reads the row, then writes, in one transaction
                    outcomes.append(store.upsert_article(article(n % 10, f"{index}-{n}")))
                    if n % 10 == 0:
                        run_id = store.start_run(trigger=f"t{index}", now=T0)
                        store.finish_run(run_id, now=T0, status="ok", reason="", stats={"n": n})
                except StoreError as exc:
                    errors.append(str(exc))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    common.close()
    assert errors == []
    assert len(outcomes) == THREADS * TRANSACTIONS
    with Store(url) as store:
        assert store.count_articles() == 10
        assert len(store.last_runs(limit=1000)) == THREADS * TRANSACTIONS // 10
