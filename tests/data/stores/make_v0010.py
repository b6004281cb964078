"""Write ``v0010-moscowtimes.sql``: a store written by mtwatch at schema 0010_merge (the release
before sites), dumped as portable INSERT statements.

Run it from a checkout of that release, so the rows are what the old code wrote::

    git archive fa97375 | tar -x -C /tmp/mtwatch-0010
    cd /tmp && PYTHONPATH=/tmp/mtwatch-0010 /work/wt-sitesdb/.venv/bin/python \
        /work/wt-sitesdb/tests/data/stores/make_v0010.py

(not from the repository's root: Python would import the current code from there).

The dump holds rows only: ``tests/test_pipelines_storage_sites_migration.py`` builds the 0010
schema with the migrations (SQLite or PostgreSQL), loads the rows, and upgrades to head.
Timestamps are naive UTC, as SQLite keeps them (load into PostgreSQL with the session in UTC).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pipelines.storage import ArticleRecord, MatchRecord, Store
from pipelines.storage.articles import Candidate, FrontierPolicy
from pipelines.storage.backfills import Backfill
from pipelines.storage.migrate import head_revisions
from pipelines.storage.outbox import NewAlert
from pipelines.storage.sources import SourceState

OUT = Path(__file__).resolve().parent / "v0010-moscowtimes.sql"

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
#: the Russian edition's articles were stored under this offset (crawler.urls.RU_ID_OFFSET)
RU = 1_000_000_000
TOPIC = "syria-turkey"
#: rows in an order the foreign keys accept
TABLES = ("articles", "soft_404s", "sources", "matches", "alert_outbox", "alert_channels",
          "runs", "ops_state", "labels", "backfills")


def article(article_id: int, headline: str, body: str, *, language: str = "en",
            url: str = "") -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id,
        url=url or f"https://www.themoscowtimes.com/2026/11/02/story-a{article_id}",
        headline=headline, subtitle="", authors=["Staff"], published=T0 - timedelta(hours=2),
        modified=None, section="news", tags=["Turkey"], language=language,
        html_sha256=f"h{article_id}", text=body, extraction="zone", fetched_at=T0)


def match(article_id: int, sentence: str) -> MatchRecord:
    return MatchRecord(article_id=article_id, topic=TOPIC, rule_version="2026.1", rule="core",
                       grade="development", matched_at=T0,
                       evidence=[{"field": "body", "sentence": sentence, "start": 0,
                                  "end": len(sentence), "terms": ["Turkey", "Syria"]}])


def build(store: Store) -> None:
    matched = [
        (80011, "Turkey and Syria reopen a border crossing",
         "Turkey and Syria agreed on Monday to reopen the Kilis crossing. \"It's a start\", "
         "an official said."),
        (80012, "Ankara and Damascus talk trade",
         "Turkey and Syria will hold talks on trade — the first in years."),
        (RU + 12345, "Турция и Сирия открывают границу",
         "Турция и Сирия договорились открыть пункт пропуска Килис."),
    ]
    for article_id, headline, body in matched:
        language = "ru" if article_id >= RU else "en"
        url = (f"https://ru.themoscowtimes.com/2026/11/02/story-a{article_id - RU}"
               if article_id >= RU else "")
        store.store_evaluated(article(article_id, headline, body, language=language, url=url),
                              [match(article_id, body.split(".")[0] + ".")],
                              ["email", "webhook"], {TOPIC: "Syria and Turkey"})
    store.upsert_article(article(80013, "Weather in Moscow", "Snow is expected on Friday."))
    # discovered and failed twice: still queued
    store.discover_articles([Candidate(80014, "https://www.themoscowtimes.com/2026/11/02/a80014",
                                       T0)], source="feed", now=T0, policy=FrontierPolicy())
    store.article_failed(80014, state="discovered", error="HTTP 503", now=T0)
    store.record_soft_404(80020, "https://www.themoscowtimes.com/2026/11/01/gone-a80020", now=T0)
    store.record_soft_404(RU + 777, "https://ru.themoscowtimes.com/2026/11/01/gone-a777", now=T0)
    store.save_source(SourceState(url="https://www.themoscowtimes.com/rss/news", kind="feed",
                                  checked_at=T0, changed_at=T0, etag='W/"abc"',
                                  last_modified="Mon, 02 Nov 2026 09:00:00 GMT",
                                  newest_item=T0 - timedelta(hours=1)))
    store.save_source(SourceState(url="https://www.themoscowtimes.com/sitemap.xml",
                                  kind="sitemap_index", checked_at=T0, changed_at=T0,
                                  body="<sitemapindex/>", lastmod="2026-11-02"))
    # 80011's alerts went out on both channels; 80012's e-mail went, its webhook is pending;
    # the Russian article's are pending
    rows = {(r.payload["article_id"], r.channel): r for r in store.outbox_rows()}
    for sent in ((80011, "email"), (80011, "webhook"), (80012, "email")):
        row = rows[sent]
        assert store.claim_alert(row.id, now=T0, lease=timedelta(minutes=5))
        store.mark_sent(row.id, now=T0 + timedelta(seconds=2))
    # an edit of 80011 changed what its alert quoted: one "updated" alert per channel, sent
    store.upsert_article(article(80011, "Turkey and Syria reopen a border crossing",
                                 "Turkey and Syria reopened the Kilis crossing on Tuesday."))
    store.record_match(match(80011, "Turkey and Syria reopened the Kilis crossing on Tuesday."),
                       ["email", "webhook"], topic_name="Syria and Turkey")
    for row in store.outbox_rows(status="pending"):
        if row.kind == "update":  # due when queued (the wall clock)
            assert store.claim_alert(row.id, now=row.next_attempt_at,
                                     lease=timedelta(minutes=5))
            store.mark_sent(row.id, now=row.next_attempt_at)
    store.record_coverage({"coverage:feed": {"state": "tripped"}},
                          [NewAlert("email", "notice-coverage-1", "notice",
                                    {"subject": "feed coverage dropped"})], now=T0)
    run = store.start_run(trigger="schedule", now=T0 - timedelta(minutes=5))
    store.finish_run(run, now=T0, status="ok", reason="",
                     stats={"discovered": 6, "evaluated": 4})
    store.record_slot(trigger="schedule", now=T0 + timedelta(hours=1), status="skipped",
                      reason="crawl lock held")
    store.put_state("daemon", {"next_run": "2026-11-02T10:30:00+00:00"}, now=T0)
    store.set_label(80011, TOPIC, "relevant", note="border story", by="analyst", now=T0)
    store.set_label(RU + 12345, TOPIC, "relevant", by="analyst", now=T0)
    store.save_backfill(Backfill.start("since", date(2026, 9, 1), "--since 2026-09-01",
                                       today=date(2026, 11, 2), now=T0).walk("2026-11", T0))


def literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, bytes):
        raise TypeError("no binary columns in the store")
    return "'" + str(value).replace("'", "''") + "'"


def dump(db: Path) -> Iterator[str]:
    conn = sqlite3.connect(db)
    try:
        for table in TABLES:
            cols = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(cols)
            for row in conn.execute(f"SELECT {names} FROM {table} ORDER BY 1"):
                values = ", ".join(literal(v) for v in row)
                yield f"INSERT INTO {table} ({names}) VALUES ({values});"
    finally:
        conn.close()


def main() -> None:
    if head_revisions() != {"0010_merge"}:
        sys.exit(f"run this from a checkout at 0010_merge, not {sorted(head_revisions())}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "old.db"
        with Store(f"sqlite:///{db}") as store:
            build(store)
        header = ["-- mtwatch store rows at schema 0010_merge, written by "
                  "tests/data/stores/make_v0010.py with the code of that release.",
                  "-- Rows only: create the schema with the migrations up to 0010_merge first. "
                  "Timestamps are naive UTC."]
        OUT.write_text("\n".join([*header, *dump(db)]) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({json.dumps(sum(1 for _ in OUT.open()) - 2)} rows)")


if __name__ == "__main__":
    main()
