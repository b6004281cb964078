"""Hostile articles from the replica, through the real crawl and the real command line:
spreadsheet formulas, terminal escapes, Rich markup and bidi overrides in what the site serves."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.safecsv import FORMULA_PREFIXES
from tests.conftest import mtwatch_env, run_cli
from tests.replica import FaultPlan, Replica
from tests.replica.harness import Crawl, mtwatch_run

pytestmark = pytest.mark.e2e

FORMULA = '=HYPERLINK("http://evil.example/x","Turkey and Syria restore ties")'
#: each article matches the topic, so its headline and evidence reach every output
CORPUS = [
    {"title": FORMULA, "date": "2026-06-20",
     "text": "-Turkey and Syria agreed on Tuesday to restore diplomatic ties, the two foreign "
             "ministries said.\n\nThe talks were held in Moscow."},
    {"title": "+Officials meet in Baghdad", "date": "2026-06-19",
     "text": "@SUM(1+1) Ankara and Damascus agreed a roadmap to normalize relations.\n\n"
             "Officials met in Baghdad."},
]


@dataclass
class Hostile:
    """One crawl of the hostile replica: its work directory, environment and outcome."""

    workdir: Path
    env: dict[str, str]
    crawl: Crawl

    def cli(self, *args: str) -> str:
        done = run_cli(list(args), self.env, self.workdir)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    workdir = tmp_path_factory.mktemp("hostile")
    with Replica(articles=0, seed=5, corpus=CORPUS, faults=FaultPlan([])) as replica:
        crawl = mtwatch_run(workdir, replica.base_url, "--since", "2023-01-01")
    assert crawl.returncode == 0, crawl.stderr
    assert crawl.counts.get("matched") == len(CORPUS), crawl.summary
    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(workdir / "crawl.toml"), COLUMNS="400")
    return Hostile(workdir, env, crawl)


def csv_cells(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


@pytest.mark.parametrize("args", [
    ("matches", "--format", "csv"),
    ("export", "--format", "csv"),
    ("export", "--what", "articles", "--format", "csv"),
])
def test_no_csv_cell_is_a_spreadsheet_formula(hostile: Hostile, args: tuple[str, ...]) -> None:
    header, rows = csv_cells(hostile.cli(*args))
    assert len(rows) == len(CORPUS)
    for row in rows:
        for name, cell in zip(header, row, strict=True):
            assert not cell.startswith(FORMULA_PREFIXES), (name, cell)
    headlines = {row[header.index("headline")] for row in rows}
    assert "'" + FORMULA in headlines  # kept whole, shown as text
    assert "'+Officials meet in Baghdad" in headlines


def test_csv_evidence_starting_with_a_formula_sign_is_text(hostile: Hostile) -> None:
    header, rows = csv_cells(hostile.cli("matches", "--format", "csv"))
    evidence = {row[header.index("evidence")] for row in rows}
    assert "'@SUM(1+1) Ankara and Damascus agreed a roadmap to normalize relations." in evidence


def test_json_output_keeps_the_text_exactly(hostile: Hostile) -> None:
    out = hostile.cli("matches", "--format", "json")
    assert '"headline": ' + '"=HYPERLINK(\\"http://evil.example/x\\"' in out
