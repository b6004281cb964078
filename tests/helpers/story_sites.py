"""The sites of the stories end-to-end tests: The Moscow Times replica with a labelled same-day
near miss and the English side of a translated story planted, its Russian edition (on a host of
its own) with the Russian side, and the three generic replicas; with the labelled pairs they
plant."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.helpers.generic_sites import GENERIC_SITES, serve_generic
from tests.helpers.launch import ReplicaProcess, launch_replica, replicas_running, start_replica
from tests.helpers.stories import PAIRS

ROADMAP = "Russia Says Roadmap in the Works to Mend Syria-Turkey Ties"
#: a labelled near miss: two different Turkey–Syria stories published the same morning
SAME_DAY = "p016"


#: a labelled story in Russian ("a") and its English edition ("b"), the same morning again
TRANSLATED = "p015"
#: the Russian edition of The Moscow Times on a host of its own
RU_HOST = "127.0.0.2"


def labelled(pair_id: str) -> dict[str, Any]:
    """The labelled pair ``pair_id`` of tests/data/syndicated_pairs.jsonl."""
    return next(json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()
                if json.loads(line)["id"] == pair_id)


def near_miss() -> dict[str, Any]:
    """Two different Turkey–Syria stories of one morning."""
    return labelled(SAME_DAY)


def corpus(path: Path, articles: list[tuple[int, dict[str, Any]]]) -> Path:
    """Extra articles of a replica (its --corpus file), as positives."""
    lines = [json.dumps({"id": key, "title": a["headline"], "text": a["text"],
                         "date": a["published"], "label": True}) for key, a in articles]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_russian(tmp: Path, extra: Path) -> ReplicaProcess:
    """The Russian edition of The Moscow Times on :data:`RU_HOST`, with ``extra`` planted."""
    return launch_replica(tmp / "truth-ru.json", ["tests.replica", "serve", "--ru", "--host",
                                                  RU_HOST, "--corpus", str(extra)], host=RU_HOST)


@contextmanager
def story_sites(tmp_path: Path) -> Iterator[dict[str, ReplicaProcess]]:
    """The Moscow Times with the same-day near miss and the English side of a translated
    story planted; its Russian edition with the Russian side; the three generic sites."""
    pair, translated = near_miss(), labelled(TRANSLATED)
    english = corpus(tmp_path / "english.jsonl", [(99001, pair["a"]), (99002, pair["b"]),
                                                  (99003, translated["b"])])
    russian = corpus(tmp_path / "russian.jsonl", [(99003, translated["a"])])
    with replicas_running() as started:
        started["moscowtimes"] = start_replica(tmp_path, articles=40, seed=7,
                                               extra=["--corpus", str(english)])
        started["moscowtimes-ru"] = start_russian(tmp_path, russian)
        for layout in GENERIC_SITES:
            started[layout] = serve_generic(layout, tmp_path)
        yield started

