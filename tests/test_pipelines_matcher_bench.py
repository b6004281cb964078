"""Tiny matcher benchmark: prints articles per second on synthetic 800-word articles."""

from __future__ import annotations

import random
import time
from pathlib import Path

from pipelines.matcher import Document, Matcher, load_topic

TOPIC_FILE = Path(__file__).resolve().parents[1] / "config" / "topics" / "syria-turkey.toml"
FILLER = " ".join([
    "the Kremlin said on Monday that officials in Moscow would continue talks with regional",
    "partners as prices rose and the ruble weakened while lawmakers debated a new budget",
    "amid sanctions and the war in Ukraine, according to sources cited by Interfax and TASS",
    "who spoke on condition of anonymity about plans for the coming year’s “difficult” winter",
]).split(" ")
TURKEY = ["Turkey’s central bank raised rates again.",
          "Erdogan met Putin in Sochi to discuss the grain deal."]
SYRIA = ["Russian jets struck targets in Syria’s Idlib province."]
BOTH = ["Ankara and Damascus held talks on normalizing ties, officials said.",
        "The earthquake killed thousands in Turkey and Syria."]


def article(rng: random.Random, mix: list[str]) -> Document:
    words = [rng.choice(FILLER) for _ in range(800)]
    sentences = [" ".join(words[i:i + 20]).capitalize() + "." for i in range(0, 800, 20)]
    for sentence in mix:
        sentences.insert(rng.randrange(len(sentences)), sentence)
    return Document(title="Russia Weighs New Budget", subtitle="", body="\n\n".join(sentences))


def corpus(size: int) -> list[Document]:
    """80% unrelated, 10% naming Turkey, 5% naming Syria, 5% naming both sides."""
    rng = random.Random(0)
    mixes: list[list[str]] = [[]] * 16 + [TURKEY, TURKEY, SYRIA, TURKEY + SYRIA + BOTH]
    return [article(rng, mixes[i % 20]) for i in range(size)]


def rate(matcher: Matcher, docs: list[Document]) -> float:
    started = time.perf_counter()
    for doc in docs:
        matcher.evaluate(doc)
    return len(docs) / (time.perf_counter() - started)


def test_benchmark_prints_articles_per_second() -> None:
    matcher = Matcher(load_topic(TOPIC_FILE))
    docs = corpus(2000)
    both = [article(random.Random(1), TURKEY + SYRIA + BOTH) for _ in range(200)]
    rate(matcher, docs[:100])
    print(f"\nmatcher: {rate(matcher, docs):,.0f} typical 800-word articles/s; "
          f"{rate(matcher, both):,.0f} articles/s when every article names both sides")
