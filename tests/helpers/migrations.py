"""Stores from before today's schema, for migration tests: an empty database to migrate step by
step, and a store as release 0.1 wrote it (revision 0001) with the fingerprint of its data."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from pipelines.storage.migrate import alembic_config

#: the time every row of the 0001 store carries, as release 0.1 wrote times
T = "2025-03-01 12:00:00.000000"
MATCH_COLUMNS = "id, article_id, topic, rule_version, rule, grade, evidence, matched_at"
OUTBOX_COLUMNS = ("id, match_id, channel, idempotency_key, status, attempts, next_attempt_at,"
                  " payload, created_at, sent_at")


def empty_store(url: str) -> Engine:
    """An engine on ``url`` with nothing in it yet (an SQLite file's folder made)."""
    if url.startswith("sqlite"):
        Path(make_url(url).database or "").parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url)


def build_0001(db: Path, *, articles: int = 50, runs: int = 20) -> None:
    """A store made by release 0.1 (revision 0001) with sample data in every table."""
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO articles (article_id, url, headline, subtitle, authors, published,"
            " modified, section, tags, language, html_sha256, text, extraction, state,"
            " failures, fetched_at, created_at, updated_at) VALUES"
            " (?, ?, ?, '', '[]', ?, NULL, 'news', '[\"syria\"]', 'en', ?, ?, 'ok',"
            " 'evaluated', 0, ?, ?, ?)",
            [(i, f"https://www.themoscowtimes.com/a{i}", f"Headline {i}", T,
              f"{i:064x}", f"text {i} " * 20, T, T, T) for i in range(1, articles + 1)])
        conn.executemany(
            "INSERT INTO matches (id, article_id, topic, rule_version, rule, grade, evidence,"
            " matched_at, updated_at) VALUES (?, ?, 'syria-turkey', '1', 'r', 'development',"
            " ?, ?, ?)",
            [(i, i, json.dumps([{"sentence": f"s{i}"}]), T, T)
             for i in range(1, articles + 1, 2)])
        conn.executemany(
            "INSERT INTO alert_outbox (match_id, channel, idempotency_key, status, attempts,"
            " next_attempt_at, payload, created_at, sent_at) VALUES (?, 'email', ?, ?, ?, ?,"
            " ?, ?, ?)",
            [(i, f"{i:040x}", "sent" if i % 4 == 1 else "pending", i % 3, T,
              json.dumps({"headline": f"Headline {i}"}), T, T if i % 4 == 1 else None)
             for i in range(1, articles + 1, 2)])
        conn.executemany(
            "INSERT INTO runs (trigger, started_at, finished_at, status, reason, stats)"
            " VALUES ('cron', ?, ?, ?, '', '{}')",
            [(T, T, ("ok", "failed", "degraded")[i % 3]) for i in range(runs)])


def fingerprint(db: Path) -> dict[str, object]:
    """Row counts of every 0001 table and checksums of the matches and the outbox."""
    with sqlite3.connect(db) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "matches", "alert_outbox", "runs")}
        sums = {}
        for table, cols in (("matches", MATCH_COLUMNS), ("alert_outbox", OUTBOX_COLUMNS)):
            rows = conn.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()
            sums[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return {"counts": counts, "sums": sums}



def migrate_to(url: str, revision: str, table: str, *, down: bool = False) -> list[str]:
    """Upgrade (or with ``down`` downgrade) the store at ``url`` to ``revision``; the columns
    of ``table`` after."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            (command.downgrade if down else command.upgrade)(alembic_config(conn), revision)
        with engine.connect() as conn:
            return list(conn.execute(text(f"SELECT * FROM {table}")).keys())
    finally:
        engine.dispose()
