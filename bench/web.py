"""Benchmark: the desk's pages on a store of 100,000 articles (synthetic rows inserted directly).

    .venv/bin/python bench/web.py [--articles 100000] [--match-rate 0.05] [--repeat 15]
                                  [--db URL] [--keep]

Builds the store (SQLite in a temporary folder unless --db), then renders each page --repeat
times in process (Starlette's test client: the full stack but the socket) and prints the
median and 90th percentile per page. The Trends figures are kept 30 s for the charts the page
shows; "not cached" asks for a new window each time. Target: every median under 300 ms.
A benchmark, not a test: run it on a quiet machine and compare medians.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.config import load_config  # noqa: E402
from crawler.web.app import build  # noqa: E402
from crawler.web.settings import WebSettings  # noqa: E402
from pipelines.alerts.policy import alert_key  # noqa: E402
from pipelines.storage import DEFAULT_SITE, Store  # noqa: E402
from pipelines.storage.schema import alert_outbox, articles, labels, matches, runs  # noqa: E402
from pipelines.wiring import load_matchers  # noqa: E402

ANCHOR = datetime(2026, 6, 23, 9, tzinfo=UTC)
FILLER = ("The ministry said the figures would be published next month. Analysts expect the "
          "central bank to hold rates as inflation slows. Regional officials reported that "
          "repairs to the bridge would take another year. ")  # fmt: skip
EVIDENCE = "Turkey and Syria agreed on a roadmap to restore diplomatic ties, officials said."
TERMS = ["Turkey", "Syria", "roadmap", "restore", "diplomatic ties"]
BATCH = 5000


def article_row(n: int, rng: random.Random) -> dict[str, object]:
    published = ANCHOR - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
    body = FILLER * 10 + (EVIDENCE if n % 20 == 0 else "")
    return {"article_id": 10_000 + n, "url": f"https://www.themoscowtimes.com/a{10_000 + n}",
            "headline": f"Story number {n} about the economy", "subtitle": "", "authors": [],
            "published": published, "modified": None, "section": "news", "tags": [],
            "language": "en", "html_sha256": f"{n:064d}", "text": body, "extraction": "ok",
            "state": "evaluated", "failures": 0, "last_error": None, "fetched_at": published,
            "created_at": published, "updated_at": published, "source": "feed",
            "retry_at": None}  # fmt: skip


def build_store(url: str, count: int, rate: float, seed: int = 1) -> None:
    """Articles, ``rate`` of them matched (one alert each), 1 in 10 matches labelled, and
    half a year of runs every 15 minutes."""
    Store(url).close()  # the schema, by the migrations
    rng = random.Random(seed)
    engine = create_engine(url)
    every = max(1, round(1 / rate))
    with engine.begin() as conn:
        for start in range(0, count, BATCH):
            rows = [article_row(n, rng) for n in range(start, min(count, start + BATCH))]
            conn.execute(insert(articles), rows)
            chosen = [r for r in rows if (int(str(r["article_id"])) - 10_000) % every == 0]
            _matches(conn, chosen, rng)
        _runs(conn, rng)
    engine.dispose()


def _matches(conn: object, chosen: list[dict[str, object]], rng: random.Random) -> None:
    evidence = [{"field": "body", "start": 0, "end": len(EVIDENCE), "sentence": EVIDENCE,
                 "rule": "relation-linked", "terms": TERMS, "reason": ""}]
    found = [{"article_id": r["article_id"], "topic": "syria-turkey", "rule_version": "1:bench",
              "rule": "relation-linked", "grade": rng.choice(["development", "mention"]),
              "evidence": evidence, "matched_at": r["published"], "updated_at": r["published"]}
             for r in chosen]  # fmt: skip
    if not found:
        return
    ids = conn.execute(insert(matches).returning(matches.c.id, matches.c.article_id),  # type: ignore[attr-defined]
                       found).all()
    when = {r["article_id"]: r["published"] for r in chosen}
    conn.execute(insert(alert_outbox), [  # type: ignore[attr-defined]
        {"match_id": mid, "channel": "email", "idempotency_key":
         alert_key(DEFAULT_SITE, "syria-turkey", str(aid)), "status": "sent", "attempts": 1,
         "next_attempt_at": when[aid], "payload": {}, "created_at": when[aid],
         "sent_at": when[aid], "kind": "alert"} for mid, aid in ids])  # fmt: skip
    conn.execute(insert(labels), [  # type: ignore[attr-defined]
        {"article_id": aid, "topic": "syria-turkey", "verdict": rng.choice(
            ["relevant", "not-relevant"]), "note": "", "labelled_by": "bench",
         "labelled_at": when[aid]} for _, aid in ids[::10]])  # fmt: skip


def _runs(conn: object, rng: random.Random) -> None:
    stats = {"discovered": 40, "new": 2, "fetched": 2, "extracted": 2, "evaluated": 2,
             "matched": 0, "documents/feed/unchanged": 3, "documents/sitemap/ok": 1}
    start = ANCHOR - timedelta(weeks=26)
    rows = []
    for n in range(26 * 7 * 96):
        begun = start + timedelta(minutes=15 * n)
        status = "ok" if rng.random() > 0.02 else "failed"
        rows.append({"trigger": "daemon", "started_at": begun, "status": status,
                     "finished_at": begun + timedelta(seconds=40), "reason": "", "stats": stats})
    for first in range(0, len(rows), BATCH):
        conn.execute(insert(runs), rows[first:first + BATCH])  # type: ignore[attr-defined]


def pages(sample: int) -> dict[str, str]:
    until = "until=2026-06-23&weeks=26"
    return {
        "matches (first page)": "/matches",
        "matches (text filter)": "/matches?q=roadmap",
        "matches (grade+label+dates)": "/matches?grade=development&label=unlabelled"
                                       "&from=2025-01-01&to=2025-12-31",
        "matches (page 40, keyset)": "__deep__",
        "article": f"/articles/{sample}",
        "trends (figures not cached)": "__trends__",
        "trends (figures cached)": f"/trends?{until}",
        "chart topics.svg": f"/charts/topics.svg?{until}",
        "chart coverage.svg": f"/charts/coverage.svg?{until}",
        "health": "/health",
        "feed syria-turkey.atom": "/feeds/syria-turkey.atom",
    }  # fmt: skip


def deep_page(client: object, hops: int) -> str:
    """The URL of page ``hops + 1`` of the match list (or the last), followed link by link."""
    import re

    url = "/matches"
    for _ in range(hops):
        html = client.get(url).text  # type: ignore[attr-defined]
        older = re.search(r'rel="next" href="([^"]+)"', html)
        if older is None:
            break
        url = older.group(1).replace("&amp;", "&")
    return url


def measure(url: str, count: int, rate: float, repeat: int) -> None:
    from starlette.testclient import TestClient

    config = load_config(env={"MTWATCH_DB_URL": url, "MTWATCH_DATA_DIR": "/nonexistent"})
    with Store(url) as store:
        app = build(store, config, WebSettings(), load_matchers(config.topics_dir,
                                                               config.topics.enabled))
        client = TestClient(app, base_url="http://127.0.0.1:8080")
        sample = 10_000 + round(1 / rate) * 7
        print(f"store: {count:,} articles, {store.count_articles():,} stored; page size 50")
        print(f"{'page':<30} {'median ms':>10} {'p90 ms':>8}  status")
        for name, path in pages(sample).items():
            if path == "__deep__":
                path = deep_page(client, 39)
            times, status = [], 0
            for n in range(repeat):
                url = path if path != "__trends__" else \
                    f"/trends?until=2026-06-{n + 1:02d}&weeks=26"  # a new window each time
                began = time.perf_counter()
                status = client.get(url).status_code
                times.append((time.perf_counter() - began) * 1000)
            times.sort()
            p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
            flag = "" if statistics.median(times) < 300 else "  ← over 300 ms"
            print(f"{name:<30} {statistics.median(times):>10.1f} {p90:>8.1f}  {status}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--match-rate", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--db", help="store URL (default: SQLite in a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mtwatch-bench-web-"))
    url = args.db or f"sqlite:///{folder / 'bench.db'}"
    began = time.perf_counter()
    build_store(url, args.articles, args.match_rate)
    print(f"built in {time.perf_counter() - began:.0f} s: {url}")
    measure(url, args.articles, args.match_rate, args.repeat)
    if not args.keep and not args.db:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
