"""Stories in the store for tests: the labelled pairs of reports of one story
(``tests/data/syndicated_pairs.jsonl``) stored as two sites' articles, matched as a crawl
matches them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.storage import ArticleRecord, MatchRecord, Store
from pipelines.storage.store import Evaluated

PAIRS = Path(__file__).resolve().parents[1] / "data" / "syndicated_pairs.jsonl"
CHANNELS = ["email", "webhook"]
NOW = datetime(2024, 5, 14, 12, 0, tzinfo=UTC)
#: the sentence the matches quote (in no article's text: an edit has always changed it)
QUOTED = "A sentence the edit took out."


def pair(kind: str, index: int = 0) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``index``-th labelled pair of ``kind`` (tests/data/syndicated_pairs.jsonl)."""
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    found = [r for r in rows if r["kind"] == kind]
    return found[index]["a"], found[index]["b"]


def article_record(article: dict[str, Any], site: str, key: str) -> ArticleRecord:
    """One side of a pair as the article ``key`` of a generic ``site``."""
    published = datetime.fromisoformat(article["published"])
    return ArticleRecord(url=f"https://{site}.example/{key}", article_id=0,
                         headline=article["headline"], published=published,
                         language=article["language"], text=article["text"],
                         extraction="generic", fetched_at=published, site=site, key=key)


def quoted_match(rec: ArticleRecord, topic: str = "turkey-syria") -> MatchRecord:
    """A match of ``rec`` on ``topic`` quoting :data:`QUOTED`."""
    return MatchRecord(article_id=0, topic=topic, rule_version="1", rule="r", grade="mention",
                       evidence=[{"field": "text", "sentence": QUOTED, "terms": ["Syria"]}],
                       matched_at=NOW, site=rec.site, key=rec.article_key)


def put(store: Store, rec: ArticleRecord, topics: tuple[str, ...] = ("turkey-syria",),
        channels: list[str] = CHANNELS) -> tuple[str, int]:
    """``rec`` stored with a match on each of ``topics``, as the crawl stores an article."""
    return store.store_evaluated_many([Evaluated(rec, [quoted_match(rec, t) for t in topics])],
                                      channels)[0]  # fmt: skip
