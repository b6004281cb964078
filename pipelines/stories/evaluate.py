"""Measure story grouping on labelled pairs (tests/data/syndicated_pairs.jsonl).

Two ways, both reported per split and per kind:

* **pairs** — each pair alone in a fresh index: does the second article join the first's
  story? The cleanest measure of the pairwise decision;
* **stream** — every distinct article of a split in one index, in published order, as a
  crawl would see them: a pair counts as grouped when both end in the same story. Chaining
  and competition between stories show up here.

Precision is over the pairs predicted "same"; recall over the pairs labelled "same".
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pipelines.stories.index import Article, StoryIndex, StoryParams


@dataclass
class Tally:
    """Confusion counts for one group of pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, row_id: str, same: bool, predicted: bool) -> None:
        if same and predicted:
            self.tp += 1
        elif same:
            self.fn += 1
            self.misses.append(row_id)
        elif predicted:
            self.fp += 1
            self.misses.append(row_id)
        else:
            self.tn += 1

    @property
    def pairs(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_pairs(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _article(article_id: str, side: dict[str, Any]) -> Article:
    return Article(
        id=article_id,
        site=side["site"],
        language=side["language"],
        published=datetime.fromisoformat(side["published"]),
        headline=side["headline"],
        text=side["text"],
    )


def _key(side: dict[str, Any]) -> str:
    return json.dumps(side, sort_keys=True, ensure_ascii=False)


def score_pairs(
    rows: Iterable[dict[str, Any]], params: StoryParams | None = None
) -> dict[str, Tally]:
    """Each pair in a fresh index; tallies by ``split``, ``split/kind`` and ``all``."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        index = StoryIndex(params)
        first = index.add(_article("a", row["a"]))
        second = index.add(_article("b", row["b"]))
        predicted = second.story_id == first.story_id
        same = row["label"] == "same"
        for key in ("all", row["split"], f"{row['split']}/{row['kind']}"):
            tallies[key].add(row["id"], same, predicted)
    return dict(tallies)


def score_stream(
    rows: list[dict[str, Any]], params: StoryParams | None = None
) -> dict[str, Tally]:
    """All distinct articles of each split in one index, in published order."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for split in sorted({r["split"] for r in rows}):
        mine = [r for r in rows if r["split"] == split]
        sides: dict[str, dict[str, Any]] = {}
        for row in mine:
            for name in ("a", "b"):
                sides.setdefault(_key(row[name]), row[name])
        ids = {key: f"{split}-{n}" for n, key in enumerate(sides)}
        order = sorted(sides, key=lambda k: (sides[k]["published"], ids[k]))
        index = StoryIndex(params)
        for key in order:
            index.add(_article(ids[key], sides[key]))
        for row in mine:
            a = index.story_of(ids[_key(row["a"])])
            b = index.story_of(ids[_key(row["b"])])
            predicted = a is not None and a == b
            same = row["label"] == "same"
            for tally_key in ("all", split, f"{split}/{row['kind']}"):
                tallies[tally_key].add(row["id"], same, predicted)
    return dict(tallies)
