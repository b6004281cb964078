"""Hostile articles from the replica, through the real crawl and the real command line:
spreadsheet formulas, terminal escapes, Rich markup and bidi overrides in what the site serves."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.logsafe import INDENT
from crawler.safecsv import FORMULA_PREFIXES
from tests.helpers.launch import mtwatch_env, run_cli_here
from tests.helpers.output import unsafe
from tests.replica import FaultPlan, Replica
from tests.replica.harness import Crawl, crawl_log, mtwatch_run

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
    # terminal escapes the site's escaping would never emit: the replica's `replace` fault
    # puts them in as character references, which the HTML parser decodes
    {"title": "Turkey and Syria restore ties XCLEARX", "date": "2026-06-18",
     "text": "Turkey and Syria agreed to restore diplomatic ties XOSCX on Monday.\n\n"
             "The ministers met in Moscow XTITLEX."},
    # raw C1 CSI, DEL and a bidi override in the page, and Rich markup
    {"title": "[link=http://evil.example/]Ankara and Damascus hold normalization talks[/link] "
              "\u202eXBIDIX \u009b31m \u007f[bold red]now[/]", "date": "2026-06-17",
     "text": "Ankara and Damascus held normalization talks \u009b2J in Baghdad [blink]today[/].\n\n"
             "Officials \u202ewill meet again."},
]
#: what the `replace` fault writes into the article pages for each placeholder
ESCAPES = {
    # erase the line, move up, and forge a log line in its place
    "XCLEARX": "&#27;[2K&#27;[1A2026-06-23 12:00:00 [crawler] INFO: run 1: ok &#7;",
    "XOSCX": "&#x1b;]8;;http://evil.example/&#x7;click here&#x1b;]8;;&#x7;",  # OSC 8 link
    "XTITLEX": "&#27;]0;window title&#7;&#127;",
    "XBIDIX": "&#x202E;&#x2066;reversed&#x2069;&#x200f;",
}


@dataclass
class Hostile:
    """One crawl of the hostile replica: its work directory, environment and outcome."""

    workdir: Path
    env: dict[str, str]
    crawl: Crawl

    def cli(self, *args: str) -> str:
        done = run_cli_here(list(args), self.env, self.workdir)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    workdir = tmp_path_factory.mktemp("hostile")
    plan = FaultPlan([{"match": r"-a\d+$", "fault": "replace", "replace": ESCAPES}])
    with Replica(articles=0, seed=5, corpus=CORPUS, faults=plan) as replica:
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


def test_stored_fields_hold_no_control_characters(hostile: Hostile) -> None:
    with sqlite3.connect(hostile.workdir / "mtwatch.db") as conn:
        rows = conn.execute("SELECT headline, subtitle, authors, text FROM articles").fetchall()
        evidence = [r[0] for r in conn.execute("SELECT evidence FROM matches")]
    assert len(rows) == len(CORPUS)
    for headline, subtitle, authors, text in rows:
        assert unsafe(headline + subtitle + authors) == [], headline
        assert unsafe(text, newlines=True) == [], text
    assert unsafe("".join(evidence)) == []
    headlines = [r[0] for r in rows]
    assert "Turkey and Syria restore ties [2K[1A2026-06-23 12:00:00 [crawler] INFO: run 1: ok" \
        in headlines  # the escape sequences lose their ESC and BEL: visible, inert text


def test_matches_table_shows_text_not_escapes_or_markup(hostile: Hostile) -> None:
    out = hostile.cli("matches")
    assert unsafe(out, newlines=True) == []
    assert "[link=http://evil.example/]Ankara and Damascus hold normalization talks[/link]" in out
    assert "[bold red]now[/]" in out
    assert "Turkey and Syria restore ties [2K[1A2026-06-23" in out


def test_alerts_list_shows_text_not_escapes_or_markup(hostile: Hostile) -> None:
    out = hostile.cli("alerts", "list")
    alerts = [line for line in out.splitlines() if "│ alert " in line and "pending" in line]
    assert len(alerts) == len(CORPUS)  # (the replica has no canary article: notices too)
    assert unsafe(out, newlines=True) == []
    assert "[link=http://evil.example/]Ankara" in out


def test_json_and_the_run_log_carry_no_control_characters(hostile: Hostile) -> None:
    for line in hostile.cli("matches", "--format", "jsonl").splitlines():
        row = json.loads(line)
        assert unsafe(row["headline"] + json.dumps(row["evidence"], ensure_ascii=False)) == []
    log = crawl_log(hostile.workdir)
    assert "match " in log  # the log names each match with its headline
    assert unsafe(log, newlines=True) == []
    # the crawl process writes its records through crawler.logsafe: continuations indented
    assert "Dumping Scrapy stats:\n" + INDENT + "{" in log
