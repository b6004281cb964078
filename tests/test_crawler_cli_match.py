"""`mtwatch match` (backtesting a JSON Lines file) and `mtwatch rematch` (re-running the rules
over the store), through the real command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pipelines.storage import ArticleRecord, MatchRecord, Store
from tests.helpers.launch import invoke_cli, mtwatch_env, run_cli, run_cli_here
from tests.helpers.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[1]
TOPIC_FILE = ROOT / "config" / "topics" / "syria-turkey.toml"
WHEN = datetime(2024, 7, 1, 9, 0, tzinfo=UTC)

ROWS = [
    {"id": "tp", "title": "Ankara and Damascus Agree a Roadmap", "text": "They will meet.",
     "label": "positive"},
    {"id": "tn", "title": "Ruble Falls", "text": "Turkey's lira fell too.", "label": False},
    {"id": "fn", "title": "Weather", "text": "It rained in Moscow.", "label": True},
    {"id": "fp", "title": "Erdogan Met Assad", "text": "They met in Moscow.",
     "label": "negative", "published": "2023-05-01"},
    {"id": "ru", "title": "Эрдоган встретился с Асадом", "text": "Встреча прошла в Москве.",
     "language": "ru", "label": "positive"},
]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_match_prints_one_line_per_input_and_scores_on_stderr(workdir: Path) -> None:
    corpus = write_jsonl(workdir / "rows.jsonl", ROWS)
    result = run_cli_here(["match", str(corpus)], mtwatch_env(workdir), workdir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [row["id"] for row in ROWS]
    assert {"id", "match", "grade", "evidence"} <= set(lines[0])
    assert [line["match"] for line in lines] == [True, False, False, True, True]
    assert lines[0]["grade"] in {"development", "mention"}
    assert lines[0]["evidence"][0]["field"] == "title"
    assert lines[1]["grade"] is None
    assert "precision=0.667 recall=0.667 f1=0.667" in result.stderr
    assert "false positives (1): fp" in result.stderr
    assert "false negatives (1): fn" in result.stderr


def test_match_without_labels_prints_no_scores(workdir: Path) -> None:
    rows = [{k: v for k, v in row.items() if k != "label"} for row in ROWS]
    corpus = write_jsonl(workdir / "rows.jsonl", rows)
    result = run_cli_here(["match", str(corpus), "--topic", str(TOPIC_FILE)], mtwatch_env(workdir),
                     workdir)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(rows)
    assert result.stderr == ""


def invoke(args: list[str], workdir: Path) -> Result:
    """The command in-process (fast), with the environment a user's shell would give it."""
    return invoke_cli(args, mtwatch_env(workdir))


@pytest.mark.parametrize(("lines", "where", "problem"), [
    (['{"id": 1, "title": "x", "text": "y"}', "", "{not json"], ":3:", "not JSON"),
    (['{"id": 1, "text": "y"}'], ":1:", "'title' is missing"),
    (['{"id": 1, "title": "x", "text": 5}'], ":1:", "'text' is not a string"),
    (['{"id": 1, "title": "x", "text": "y", "label": "maybe"}'], ":1:", "'label'"),
    (['{"id": 1, "title": "x", "text": "y", "published": "soon"}'], ":1:", "'published'"),
    (['{"id": [1], "title": "x", "text": "y"}'], ":1:", "'id'"),
    (['["a list"]'], ":1:", "expected a JSON object"),
    (['{"id": 1, "title": "x", "text": "y"}', "\udcff"], ":2:", "not UTF-8"),
])
def test_match_rejects_bad_input_with_one_line_naming_file_and_line(
        workdir: Path, lines: list[str], where: str, problem: str) -> None:
    corpus = workdir / "bad.jsonl"
    corpus.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape") + b"\n")
    result = invoke(["match", str(corpus)], workdir)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"bad.jsonl{where}" in result.stderr
    assert problem in result.stderr


@pytest.mark.parametrize(("args", "problem"), [
    (["match", "{dir}/missing.jsonl"], "missing.jsonl: cannot read"),
    (["match", "{dir}"], "cannot read"),
    (["match", "{dir}/rows.jsonl", "--topic", "no-such-topic"], "unknown topic 'no-such-topic'"),
    (["match", "{dir}/rows.jsonl", "--topic", "{dir}/broken.toml"], "broken.toml"),
    (["rematch", "--topic", "nope"], "unknown topic 'nope'"),
])
def test_unreadable_files_and_unknown_topics_fail_in_one_line(workdir: Path, args: list[str],
                                                              problem: str) -> None:
    write_jsonl(workdir / "rows.jsonl", ROWS)
    (workdir / "broken.toml").write_text("id = \n", "utf-8")
    result = invoke([arg.format(dir=workdir) for arg in args], workdir)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert problem in result.stderr


def test_a_bad_file_through_the_installed_command(workdir: Path) -> None:
    corpus = workdir / "bad.jsonl"
    corpus.write_text('{"id": 1, "title": "x", "text": "y"}\n{oops\n', "utf-8")
    result = run_cli(["match", str(corpus)], mtwatch_env(workdir), workdir)
    assert result.returncode == 2
    assert result.stderr.startswith("mtwatch: ")
    assert "bad.jsonl:2: not JSON" in result.stderr
    assert "Traceback" not in result.stderr


# --- rematch ---------------------------------------------------------------------------

TEXTS = {
    1: ("Ankara and Damascus agreed a roadmap to restore ties.", "en"),  # gained
    2: ("Turkey's central bank raised rates. Syria's war goes on.", "en"),  # lost (kept)
    3: ("Erdogan met Assad in Moscow on Monday.", "en"),  # updated (old rule version)
    4: ("Nothing about either country.", "en"),  # nothing
    5: ("Эрдоган встретился с Асадом в Москве.", "ru"),  # gained
}


def seed_store(url: str) -> None:
    with Store(url) as store:
        for article_id, (text, language) in TEXTS.items():
            store.upsert_article(ArticleRecord(
                article_id=article_id, url=f"https://example.test/a{article_id}",
                headline=f"Headline {article_id}", subtitle="", authors=[], published=WHEN,
                modified=None, section="news", tags=[], language=language, html_sha256="x",
                text=text, extraction="ok", fetched_at=WHEN))
        for article_id in (2, 3):
            store.record_match(MatchRecord(
                article_id=article_id, topic="syria-turkey", rule_version="0:old",
                rule="contact-paired", grade="mention",
                evidence=[{"field": "body", "sentence": "old"}], matched_at=WHEN), [])


def store_state(url: str) -> tuple[dict[int, str], int]:
    with Store(url) as store:
        versions = {m.article_id: m.rule_version for m in store.list_matches()}
        return versions, len(store.outbox_rows())


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_rematch_reports_gained_and_lost_and_sends_nothing(workdir: Path, store_url: str) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    seed_store(env["MTWATCH_DB_URL"])
    result = run_cli_here(["rematch"], env, workdir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sorted(line.split()[:2] for line in lines[:-2]) == [
        ["gained", "1"], ["gained", "5"], ["lost", "2"]]
    assert "5 articles re-evaluated; 2 gained, 1 lost (kept), 1 updated, 0 unchanged" in lines[-2]
    assert "none queued" in lines[-1]
    versions, outbox = store_state(env["MTWATCH_DB_URL"])
    assert outbox == 0
    assert versions[2] == "0:old"  # a lost match is kept, untouched
    assert versions[1] == versions[3] == versions[5] != "0:old"
    again = run_cli_here(["rematch", "--json"], env, workdir)
    report = json.loads(again.stdout)
    assert (len(report["gained"]), report["updated"], report["unchanged"]) == (0, 0, 3)
    assert [c["article_id"] for c in report["lost"]] == [2]


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_rematch_dry_run_writes_nothing(workdir: Path, store_url: str) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    seed_store(env["MTWATCH_DB_URL"])
    before = store_state(env["MTWATCH_DB_URL"])
    result = run_cli_here(["rematch", "--dry-run", "--json"], env, workdir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["dry_run"] is True
    assert sorted(c["article_id"] for c in report["gained"]) == [1, 5]
    assert {c["site"] for c in report["gained"]} == {"moscowtimes"}
    assert store_state(env["MTWATCH_DB_URL"]) == before


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_rematch_alert_queues_and_sends_gained_matches_once(workdir: Path, smtp: SmtpServer,
                                                            store_url: str) -> None:
    env = mtwatch_env(workdir, smtp, MTWATCH_DB_URL=store_url)
    seed_store(env["MTWATCH_DB_URL"])
    result = run_cli_here(["rematch", "--alert", "--json"], env, workdir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["alerts_queued"], report["alerts_sent"]) == (2, 2)
    assert len(smtp.messages) == 2
    assert store_state(env["MTWATCH_DB_URL"])[1] == 2  # only the gained matches' rows
    again = run_cli_here(["rematch", "--alert", "--json"], env, workdir)
    assert json.loads(again.stdout)["alerts_queued"] == 0
    assert len(smtp.messages) == 2


def test_rematch_with_an_unusable_store_fails_in_one_line(workdir: Path) -> None:
    (workdir / "file").write_text("not a directory", "utf-8")
    result = invoke(["rematch", "--db", f"sqlite:///{workdir}/file/x.db"], workdir)
    assert (result.exit_code, result.stderr.count("\n")) == (1, 1)
    assert "cannot open store" in result.stderr


# --- standard input and empty input ------------------------------------------------------


def test_match_dash_reads_standard_input(workdir: Path) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS)
    result = invoke_cli(["match", "-"], mtwatch_env(workdir), input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == \
        [r["id"] for r in ROWS]
    assert "precision" in result.stderr
    bad = invoke_cli(["match", "-"], mtwatch_env(workdir), input=b'{"id": 1}\n')
    assert bad.exit_code == 2
    assert "<stdin>:1: 'title' is missing" in bad.stderr


def test_empty_input_says_no_records_and_exits_0(workdir: Path) -> None:
    empty = workdir / "empty.jsonl"
    empty.write_text("\n  \n", "utf-8")
    from_file = run_cli_here(["match", str(empty)], mtwatch_env(workdir), workdir)
    assert from_file.returncode == 0
    assert from_file.stdout == ""
    assert from_file.stderr == f"mtwatch: no records in {empty}: nothing to evaluate\n"
    from_stdin = invoke_cli(["match", "-"], mtwatch_env(workdir), input=b"")
    assert from_stdin.exit_code == 0
    assert from_stdin.stdout == ""
    assert "no records in <stdin>" in from_stdin.stderr
