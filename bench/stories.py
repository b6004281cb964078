"""Benchmark story grouping: precision/recall on the labelled pairs, and throughput.

    .venv/bin/python bench/stories.py [--pairs tests/data/syndicated_pairs.jsonl]
        [--articles 3000] [--repeats 5] [--misses]

Quality: precision and recall per split (dev: tuned on; heldout: never tuned on) and per
kind, two ways (see pipelines/stories/evaluate.py): each pair alone in a fresh index, and
every article of a split streamed through one index in published order. For near-miss
kinds only false groupings can happen, so their line shows how many of their pairs were
wrongly grouped.

Throughput: articles/s through StoryIndex.add for a stream of --articles synthetic articles
(sentences of the labelled set recombined, 40 per day, both languages, 5% exact copies),
the median of --repeats passes, pruning what is older than two windows every 200 articles as
a store would. One process, one core: on a loaded machine the figure drops with the load.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipelines.stories import Article, StoryIndex  # noqa: E402
from pipelines.stories.evaluate import Tally, load_pairs, score_pairs, score_stream  # noqa: E402

PAIRS = REPO / "tests" / "data" / "syndicated_pairs.jsonl"


def show(title: str, tallies: dict[str, Tally], verbose: bool) -> None:
    print(f"\n{title}")
    print(f"  {'group':34} {'pairs':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6}")
    for key in sorted(tallies, key=lambda k: (k.count("/"), k)):
        t = tallies[key]
        print(f"  {key:34} {t.pairs:5d} {t.tp:4d} {t.fp:4d} {t.fn:4d} "
              f"{t.precision:6.3f} {t.recall:6.3f}")  # fmt: skip
        if verbose and "/" in key and t.misses:
            print(f"  {'':34} wrong: {' '.join(t.misses)}")


def synthetic_stream(rows: list[dict[str, object]], size: int) -> list[Article]:
    rng = random.Random(7)
    sentences: dict[str, list[str]] = {"en": [], "ru": []}
    for row in rows:
        for name in ("a", "b"):
            side = row[name]
            assert isinstance(side, dict)
            for s in str(side["text"]).replace("\n\n", " ").split(". "):
                sentences[str(side["language"])].append(s)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    out: list[Article] = []
    for n in range(size):
        lang = "ru" if n % 3 == 0 else "en"
        when = start + timedelta(minutes=36 * n)  # 40 a day
        if out and rng.random() < 0.05:
            src = out[rng.randrange(max(0, len(out) - 30), len(out))]
            out.append(Article(f"s{n}", "copy", src.language, when, src.headline, src.text))
            continue
        body = ". ".join(rng.sample(sentences[lang], 12))
        out.append(Article(f"s{n}", "site", lang, when, body[:80], body))
    return out


def throughput(stream: list[Article], repeats: int) -> float:
    rates = []
    for _ in range(repeats):
        index = StoryIndex()
        window = timedelta(seconds=index.params.window)
        began = time.perf_counter()
        for n, article in enumerate(stream, 1):
            index.add(article)
            if n % 200 == 0:  # as a store would: keep only what can still be matched
                index.prune(article.published - 2 * window)
        rates.append(len(stream) / (time.perf_counter() - began))
    return statistics.median(rates)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="list wrongly decided pair ids")
    args = parser.parse_args()
    rows = load_pairs(args.pairs)
    show("Pairs (each pair alone in a fresh index)", score_pairs(rows), args.misses)
    show("Stream (each split's articles in one index, by published time)",
         score_stream(rows), args.misses)  # fmt: skip
    stream = synthetic_stream(rows, args.articles)
    rate = throughput(stream, args.repeats)
    print(f"\nThroughput: {rate:,.0f} articles/s (median of {args.repeats} passes over "
          f"{len(stream)} articles, one core)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
