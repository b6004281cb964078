"""Build tests/data/syndicated_pairs.jsonl from the story families in this folder.

    .venv/bin/python -m tests.data.syndicated.build [--check]

Each ``*.toml`` here holds clusters of three story families written for this set: stories
about the same actors on the same day that are *different events* (so every pair across
families of one cluster is a near miss). A family is one wire story in English with, written
by hand, a second headline, a rewritten lead, and a Russian edition. The mechanical edits
outlets make to wire copy are applied here, the same way every time:

* ``trimmed`` — the outlet keeps the first two paragraphs, adds its own headline suffix and
  a "Read more" line;
* ``reordered`` — the lead stays, the rest is moved (last paragraph up) and one is dropped;
* ``reheadlined`` — the second headline, the dateline dropped, the body as it was;
* ``paraphrased_lead`` — the second headline and the rewritten lead, the last paragraph cut;
* ``translated`` — the Russian edition against the English story (either may come first).

Near-miss pairs (``label = "different"``): for each two families of a cluster, the two wire
stories, the first's trimmed copy against the second's wire story, and each one's Russian
edition against the other's English story. Clusters marked ``split = "heldout"`` were written
before any threshold was tuned and are only reported, never tuned on.

``--check`` rebuilds in memory and fails when the committed JSONL differs.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "syndicated_pairs.jsonl"
OUTLETS = ("dailywire-example", "capital-tribune", "eurasia-desk", "bosphorus-post")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.strip().split("\n\n") if p.strip()]


def side(site: str, language: str, published: datetime, headline: str, body: list[str]) -> dict[
    str, Any
]:
    return {
        "site": site,
        "language": language,
        "published": published.isoformat(),
        "headline": headline,
        "text": "\n\n".join(body),
    }


def undated(paragraph: str) -> str:
    """Drop a wire dateline ("ANKARA, May 14 (Wire) — ")."""
    head, sep, rest = paragraph.partition(" — ")
    return rest if sep and head.endswith("(Wire)") and len(head) < 60 else paragraph


def variants(fam: dict[str, Any], when: datetime, n: int) -> dict[str, dict[str, Any]]:
    body = paragraphs(fam["body"])
    outlet = OUTLETS[n % len(OUTLETS)]
    later = when + timedelta(hours=1 + n % 5, minutes=7 * (n % 8))
    wire = side("wire", "en", when, fam["headline"], body)
    trimmed = side(outlet, "en", later, f"{fam['headline']} | {outlet.replace('-', ' ').title()}",
                   [*body[:2], f"Read more: {fam['more']}"])  # fmt: skip
    rest = body[1:]
    moved = [rest[-1], *rest[:-1]]
    reordered = side(outlet, "en", later, fam["headline"], [body[0], *moved[:-1]])
    reheadlined = side(outlet, "en", later, fam["alt_headline"], [undated(body[0]), *body[1:]])
    paraphrased = side(outlet, "en", later, fam["alt_headline"], [fam["lead"].strip(), *body[1:-1]])
    russian = side("ru-edition", "ru", when + timedelta(minutes=40), fam["ru_headline"],
                   paragraphs(fam["ru_body"]))  # fmt: skip
    return {
        "wire": wire, "trimmed": trimmed, "reordered": reordered, "reheadlined": reheadlined,
        "paraphrased_lead": paraphrased, "russian": russian,
    }  # fmt: skip


def build(sources: list[Path]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    n = 0
    for path in sources:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for cluster in data["cluster"]:
            day = datetime.fromisoformat(cluster["day"])
            built = {}
            for i, fam in enumerate(cluster["family"]):
                n += 1
                when = day + timedelta(hours=6 + 3 * i, minutes=11 * i)
                built[fam["id"]] = v = variants(fam, when, n)
                for kind in ("trimmed", "reordered", "reheadlined", "paraphrased_lead"):
                    rows.append(row(cluster, kind, "same", fam["id"], v["wire"], v[kind]))
                pair = (v["russian"], v["wire"]) if n % 2 else (v["wire"], v["russian"])
                rows.append(row(cluster, "translated", "same", fam["id"], *pair))
            for one, two in combinations(cluster["family"], 2):
                a, b = built[one["id"]], built[two["id"]]
                ids = f"{one['id']}~{two['id']}"
                rows.append(row(cluster, "near_miss", "different", ids, a["wire"], b["wire"]))
                rows.append(row(cluster, "near_miss", "different", ids, a["trimmed"], b["wire"]))
                rows.append(row(cluster, "near_miss_translated", "different", ids,
                                a["russian"], b["wire"]))  # fmt: skip
                rows.append(row(cluster, "near_miss_translated", "different", ids,
                                a["wire"], b["russian"]))  # fmt: skip
    for i, r in enumerate(rows, 1):
        r["id"] = f"p{i:03d}"
    return rows


def row(cluster: dict[str, Any], kind: str, label: str, family: str, a: dict[str, Any],
        b: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    return {"id": "", "split": cluster["split"], "cluster": cluster["id"], "family": family,
            "kind": kind, "label": label, "a": a, "b": b}  # fmt: skip


def render(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the JSONL is stale")
    args = parser.parse_args(argv)
    text = render(build(sorted(HERE.glob("*.toml"))))
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is stale: run python -m tests.data.syndicated.build", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} pairs to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
