"""Extraction under a redesign: recall and precision of the whole page path, per layout.

    .venv/bin/python bench/redesign.py [--articles 300] [--seed 1] [--layouts classic,redesign-a]
                                       [--through-run]

In one process, without HTTP: every replica article page, rendered in each layout, goes
through the page object, ``pipelines.extraction.body.extract_article`` and the matcher, exactly
as the crawl does. Prints per layout: the extraction paths taken, recall on the planted positives,
the traps that matched (false positives), the median body length, and ms per page (median).
``--through-run`` instead serves each layout on a loopback replica and runs the real
``mtwatch run --since 2023-01-01`` on a fresh store (recall, traps matched, the run's status
and reason); ``tests/test_crawler_health_monitors_redesign.py`` asserts the same with 200 articles.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.sites.moscowtimes.article import ArticlePage  # noqa: E402
from crawler.sites.moscowtimes.urls import SiteUrls  # noqa: E402
from pipelines.extraction.body import extract_article  # noqa: E402
from pipelines.matcher import Document, Matcher, load_topic  # noqa: E402
from tests.replica import LAYOUTS, build_site  # noqa: E402
from tests.replica.routes import resolve  # noqa: E402

TOPIC = REPO / "config" / "topics" / "syria-turkey.toml"
BASE = "http://127.0.0.1:8000"


def evaluate(layout: str, articles: int, seed: int, matcher: Matcher) -> dict[str, object]:
    site = build_site(articles, seed, layout=layout)
    urls = SiteUrls(BASE)
    paths: Counter[str] = Counter()
    matched: set[int] = set()
    lengths: list[int] = []
    times: list[float] = []
    for a in site.articles:
        html = resolve(site, a.path, BASE).body.decode()
        started = time.perf_counter()
        page = ArticlePage(BASE + a.path, html, urls)
        fields = page.fields()
        if fields is None:
            paths["not_article"] += 1
            continue
        extraction = extract_article(fields.body)
        times.append(time.perf_counter() - started)
        paths[extraction.status] += 1
        lengths.append(len(extraction.text))
        doc = Document(title=fields.headline, subtitle=fields.subtitle, body=extraction.text,
                       language=fields.language, published=fields.published)
        if matcher.evaluate(doc).matched:
            matched.add(a.id)
    positives = {a.id for a in site.articles if a.positive}
    traps = {a.id for a in site.articles if a.kind in TRAP_KINDS}
    return {
        "layout": layout, "paths": dict(paths),
        "recall": len(positives & matched) / len(positives),
        "missed": sorted(positives - matched), "traps_matched": sorted(traps & matched),
        "other_false": sorted(matched - positives - traps),
        "median_body": statistics.median(lengths) if lengths else 0,
        "ms_per_page": 1000 * statistics.median(times) if times else 0.0,
    }


TRAP_KINDS = {"syria_only", "turkey_only", "earthquake", "kurds", "refugees",
              "other_normalization", "aside_trap", "caption_trap"}


def through_run(layout: str, articles: int, seed: int) -> str:
    """One real ``mtwatch run`` on a fresh store against the replica in ``layout``."""
    import tempfile

    from tests.replica import Replica
    from tests.replica.harness import matched_ids, mtwatch_run

    with tempfile.TemporaryDirectory(prefix="mtwatch-redesign-") as tmp, \
            Replica(articles=articles, seed=seed, layout=layout) as replica:
        crawl = mtwatch_run(Path(tmp), replica.base_url, "--since", "2023-01-01")
        matched = matched_ids(Path(tmp))
        truth = replica.truth
    positives, traps = set(truth["positives"]), set(truth["traps"])
    return (f"{layout:15} recall={len(positives & matched) / len(positives):.3f} "
            f"({len(positives & matched)}/{len(positives)}) traps_matched="
            f"{len(traps & matched)}/{len(traps)} status={crawl.status} "
            f"reason={crawl.summary.get('reason')!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--through-run", action="store_true",
                        help="serve each layout and run the real `mtwatch run` against it")
    args = parser.parse_args()
    if args.through_run:
        for layout in args.layouts.split(","):
            print(through_run(layout, args.articles, args.seed), flush=True)
        return
    matcher = Matcher(load_topic(TOPIC))
    for layout in args.layouts.split(","):
        row = evaluate(layout, args.articles, args.seed, matcher)
        print(f"{row['layout']:15} recall={row['recall']:.3f} traps_matched="
              f"{len(row['traps_matched'])} other_false={len(row['other_false'])} "  # type: ignore[arg-type]
              f"median_body={row['median_body']:.0f} ms/page={row['ms_per_page']:.1f} "
              f"paths={row['paths']} missed={row['missed']} traps={row['traps_matched']}")


if __name__ == "__main__":
    main()
