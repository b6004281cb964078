"""Benchmark detection: matcher throughput on stored text, and extraction time per article.

    .venv/bin/python bench/match.py [--articles 500] [--synthetic 2000] [--repeats 7]
                                    [--without-heldout]
                                    [--topics 50]

One process, one core. Matching: articles/s over the texts a store holds after a crawl
(replica articles, cleaned as the crawl cleans them), over synthetic 800-word articles in
the typical mix (80% unrelated, 10% naming Turkey, 5% Syria, 5% both; English, and Russian),
and over the labelled corpus (every row names the sides: the expensive case). Each figure is
the median of --repeats passes (target: >= 5,000 typical articles/s); with --topics,
"topics/art" is the topics evaluated per article. Extraction: ms per
article for the replica's body zones through pipelines.extraction.body.extract_text (median,
p95), and for one long page through the worker process.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.sites.moscowtimes.article import ArticlePage  # noqa: E402
from crawler.sites.moscowtimes.urls import SiteUrls  # noqa: E402
from pipelines.extraction.body import Thresholds, extract_text  # noqa: E402
from pipelines.extraction.worker import ExtractionWorker  # noqa: E402
from pipelines.matcher import Document, Matcher, load_topic  # noqa: E402
from pipelines.matcher.engine import article_index  # noqa: E402
from pipelines.matcher.topicset import TopicSet  # noqa: E402
from tests.replica import build_site  # noqa: E402
from tests.replica.routes import resolve  # noqa: E402

TOPIC = REPO / "config" / "topics" / "syria-turkey.toml"
BASE = "http://127.0.0.1:8000"
FILLER = {
    "en": ("the Kremlin said on Monday that officials in Moscow would continue talks with "
           "regional partners as prices rose and the ruble weakened while lawmakers debated "
           "a new budget amid sanctions and the war in Ukraine according to sources cited by "
           "Interfax and TASS who spoke on condition of anonymity"),
    "ru": ("в понедельник в Кремле заявили что чиновники продолжат переговоры с партнерами "
           "в регионе пока растут цены и слабеет рубль а депутаты обсуждают новый бюджет на "
           "фоне санкций и войны в Украине сообщили источники Интерфакса и ТАСС"),
}
MIX = {
    "en": (["Turkey's central bank raised rates again.",
            "Erdogan met Putin in Sochi to discuss the grain deal."],
           ["Russian jets struck targets in Syria's Idlib province."],
           ["Ankara and Damascus held talks on normalizing ties, officials said.",
            "The earthquake killed thousands in Turkey and Syria."]),
    "ru": (["Центробанк Турции снова повысил ставку.",
            "Эрдоган и Путин обсудили в Сочи зерновую сделку."],
           ["Российская авиация нанесла удары по провинции Идлиб в Сирии."],
           ["Анкара и Дамаск провели переговоры о нормализации отношений.",
            "Землетрясение унесло жизни тысяч людей в Турции и Сирии."]),
}


PAIRS = [("Armenia", "Yerevan"), ("Azerbaijan", "Baku"), ("Georgia", "Tbilisi"),
         ("Iran", "Tehran"), ("Israel", "Jerusalem"), ("Egypt", "Cairo"), ("Iraq", "Baghdad"),
         ("Lebanon", "Beirut"), ("Jordan", "Amman"), ("Serbia", "Belgrade"),
         ("Kosovo", "Pristina"), ("Kazakhstan", "Astana"), ("Uzbekistan", "Tashkent"),
         ("Kyrgyzstan", "Bishkek"), ("Tajikistan", "Dushanbe"), ("Moldova", "Chisinau"),
         ("Belarus", "Minsk"), ("Finland", "Helsinki"), ("Estonia", "Tallinn"),
         ("Latvia", "Riga"), ("Lithuania", "Vilnius"), ("Japan", "Tokyo"),
         ("India", "Delhi"), ("Pakistan", "Islamabad"), ("Afghanistan", "Kabul"),
         ("Venezuela", "Caracas"), ("Cuba", "Havana"), ("Libya", "Tripoli"),
         ("Sudan", "Khartoum"), ("Ethiopia", "Addis")]
RELATIONS = ["normaliz* OR rapprochement OR \"restore ties\"", "treat* OR accord OR pact",
             "border* NEAR/5 (clash* OR talks)", "sanction* OR embargo", "visit* OR summit"]
#: queries on words the filler holds: every article selects these (the expensive kind)
BROAD = ['Kremlin NEAR/10 (budget OR deficit) AND (cut* OR austerity) AND NOT sport*',
         'title:ruble* OR (ruble* NEAR/5 (record OR collapse*))',
         'sanctions AND (oil NEAR/8 (cap OR ban)) AND NOT "grain deal"',
         '(Interfax OR TASS) NEAR/3 (exclusive OR leak*)',
         'lawmakers NEAR/6 (ban* OR outlaw*) AND body:Duma']


def generated_topics(count: int, folder: Path) -> list[Path]:
    """The shipped topic and ``count - 1`` query topics written to ``folder``."""
    paths = [TOPIC]
    rng = random.Random(1)
    for number in range(count - 1):
        if number % 10 == 9:
            query = BROAD[(number // 10) % len(BROAD)]
        else:
            (one, one_city), (two, two_city) = rng.sample(PAIRS, 2)
            query = (f"({one} OR {one_city}) NEAR/{rng.choice((10, 15, 20))} ({two} OR "
                     f"{two_city}) AND ({rng.choice(RELATIONS)})")
        path = folder / f"generated-{number:02d}.toml"
        path.write_text(f'id = "generated-{number:02d}"\nname = "Generated {number}"\n'
                        f"version = \"1\"\nquery = '{query}'\n"
                        "development = 'met OR talks OR signed OR agreed'\n", "utf-8")
        paths.append(path)
    return paths


def synthetic(size: int, language: str) -> list[Document]:
    """800-word articles: 80% unrelated, 10% naming Turkey, 5% Syria, 5% both sides."""
    rng = random.Random(0)
    turkey, syria, both = MIX[language]
    mixes = [[]] * 16 + [turkey, turkey, syria, turkey + syria + both]
    docs = []
    vocabulary = FILLER[language].split()
    for i in range(size):
        words = [rng.choice(vocabulary) for _ in range(800)]
        sentences = [" ".join(words[j:j + 20]).capitalize() + "." for j in range(0, 800, 20)]
        for sentence in mixes[i % 20]:
            sentences.insert(rng.randrange(len(sentences)), sentence)
        docs.append(Document(title="Russia Weighs New Budget", body="\n\n".join(sentences),
                             language=language))
    return docs


def replica(articles: int) -> tuple[list[str], list[Document], list[float]]:
    """Body zones, the stored documents made from them, and ms per extraction."""
    site = build_site(articles, 1)
    urls = SiteUrls(BASE)
    bodies, docs, times = [], [], []
    for item in site.truth(BASE)["articles"]:
        response = resolve(site, urlsplit(item["url"]).path, BASE)
        fields = ArticlePage(item["url"], response.body.decode("utf-8"), urls).fields()
        if fields is None:
            continue
        started = time.perf_counter()
        text = extract_text(fields.body.zone_html).text
        times.append((time.perf_counter() - started) * 1000)
        bodies.append(fields.body.zone_html)
        docs.append(Document(title=fields.headline, subtitle=fields.subtitle, body=text,
                             language=fields.language, published=fields.published))
    return bodies, docs, times


def corpus(*, heldout: bool = True) -> list[Document]:
    """The labelled rows as documents; without ``heldout``, no row of the held-out split (a
    rule author measuring speed stays blind to it: the matcher never reads those rows)."""
    docs = []
    names = ("matcher_dev.jsonl", "corpus.jsonl", "dev_2026.jsonl",
             *(("heldout.jsonl",) if heldout else ()))
    for name in names:
        for line in (REPO / "tests" / "data" / name).read_text("utf-8").splitlines():
            row = json.loads(line)
            if not heldout and row.get("split") == "heldout":
                continue
            docs.append(Document(title=row["title"], subtitle=row.get("subtitle", ""),
                                 body=row["text"], language=row.get("language", "en")))
    return docs


def median_rate(run: Callable[[], object], count: int, repeats: int
                ) -> tuple[float, float, float]:
    """Median items/s by wall clock and by CPU time (this process, one core), and the
    worst wall-clock pass, over ``repeats`` passes. On a machine shared with other work
    the CPU-time rate is the figure to compare with the target."""
    wall, cpu = [], []
    for _ in range(repeats):
        started, used = time.perf_counter(), time.process_time()
        run()
        wall.append(count / (time.perf_counter() - started))
        cpu.append(count / max(1e-9, time.process_time() - used))
    return statistics.median(wall), statistics.median(cpu), min(wall)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--synthetic", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--topics", type=int, default=1,
                        help="enabled topics: the shipped one plus generated query topics")
    parser.add_argument("--without-heldout", action="store_true",
                        help="leave the held-out rows out of the labelled-corpus set, for rule "
                             "authors, who must never run the matcher on them")
    args = parser.parse_args()
    bodies, stored, extract_ms = replica(args.articles)
    sets = {"replica articles, as stored": stored,
            "typical 800-word, English": synthetic(args.synthetic, "en"),
            "typical 800-word, Russian": synthetic(args.synthetic // 4, "ru"),
            "labelled corpus (all name sides)": corpus(heldout=not args.without_heldout)}
    if args.topics > 1:
        with tempfile.TemporaryDirectory() as folder:
            topics = TopicSet([Matcher(load_topic(path))
                               for path in generated_topics(args.topics, Path(folder))])
        evaluate = topics.evaluate
        print(f"{args.topics} topics enabled (1 shipped rules topic, {args.topics - 1} "
              "generated query topics), one prefilter automaton")
    else:
        matcher = Matcher(load_topic(TOPIC))
        topics = None
        evaluate = matcher.evaluate
    print(f"{'matching (articles/s)':<36}{'docs':>7}{'wall med':>11}{'CPU med':>10}"
          f"{'wall min':>10}" + (f"{'topics/art':>11}" if topics else ""))
    for name, docs in sets.items():
        for doc in docs[:50]:
            evaluate(doc)  # warm caches (folding tables)
        wall, cpu, worst = median_rate(lambda d=docs: [evaluate(x) for x in d],
                                       len(docs), args.repeats)
        chosen = ""
        if topics is not None:
            picked = sum(len(topics.chosen(article_index(doc))) for doc in docs)
            chosen = f"{picked / len(docs):>11.1f}"
        print(f"{name:<36}{len(docs):>7}{wall:>11,.0f}{cpu:>10,.0f}{worst:>10,.0f}{chosen}")
    repeat_ms = []
    for _ in range(2):
        for body in bodies:
            started = time.perf_counter()
            extract_text(body)
            repeat_ms.append((time.perf_counter() - started) * 1000)
    all_ms = extract_ms + repeat_ms
    print(f"\n{'extraction (ms per article)':<36}{'docs':>7}{'median':>11}{'p95':>10}{'max':>9}")
    print(f"{'replica body zones, in-process':<36}{len(all_ms):>7}"
          f"{statistics.median(all_ms):>11.2f}{percentile(all_ms, 0.95):>10.2f}"
          f"{max(all_ms):>9.1f}")
    long_page = "<div>" + "".join(bodies[:60]) + "</div>"
    with ExtractionWorker() as worker:
        extract_text(long_page, worker=worker, thresholds=Thresholds(max_bytes=1))  # start it
        worker_ms = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            extract_text(long_page, worker=worker, thresholds=Thresholds(max_bytes=1))
            worker_ms.append((time.perf_counter() - started) * 1000)
        inproc_ms = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            extract_text(long_page)
            inproc_ms.append((time.perf_counter() - started) * 1000)
    size = f"{len(long_page) // 1024} KB page"
    print(f"{size + ', worker process':<36}{args.repeats:>7}{statistics.median(worker_ms):>11.2f}"
          f"{max(worker_ms):>10.2f}")
    print(f"{size + ', in-process':<36}{args.repeats:>7}{statistics.median(inproc_ms):>11.2f}"
          f"{max(inproc_ms):>10.2f}")


if __name__ == "__main__":
    main()
