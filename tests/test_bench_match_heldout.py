"""``bench/match.py --without-heldout``: a rule author measures the matcher's speed without the
matcher ever reading a held-out row (tests/data/README.md, the held-out rule)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def bench_match() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_match", ROOT / "bench" / "match.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def heldout_bodies() -> set[str]:
    bodies = set()
    for name in ("matcher_dev.jsonl", "corpus.jsonl", "dev_2026.jsonl", "heldout.jsonl"):
        for line in (DATA / name).read_text("utf-8").splitlines():
            row = json.loads(line)
            if row.get("split") == "heldout" or name == "heldout.jsonl":
                bodies.add(row["text"])
    return bodies


def test_without_heldout_the_labelled_set_holds_no_heldout_row() -> None:
    bench = bench_match()
    held = heldout_bodies()
    assert held, "the held-out split is not empty"
    blind = [doc.body for doc in bench.corpus(heldout=False)]
    everything = [doc.body for doc in bench.corpus()]
    assert not held & set(blind)
    assert held <= set(everything)
    assert len(everything) - len(blind) == sum(1 for body in everything if body in held)
