"""The desk teaches the rules, through the real command line: `mtwatch label`, `mtwatch
explain`, `mtwatch match --labelled-store` and `mtwatch export --what labels`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.matcher.backtest import read_samples
from pipelines.storage import Store
from tests.helpers.desk import seed
from tests.helpers.launch import mtwatch_env, run_cli_here


@pytest.fixture
def desk_env(workdir: Path, migrated_store_url: str) -> dict[str, str]:
    seed(migrated_store_url)
    return mtwatch_env(workdir, MTWATCH_DB_URL=migrated_store_url)


def cli(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    done = run_cli_here(args, env, cwd, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_relabelling_replaces_the_label_and_keeps_the_history(
        desk_env: dict[str, str], workdir: Path, store_url: str) -> None:
    code, out, err = cli(["label", "81002", "relevant", "--note", "ambassadors: a relation",
                          "--by", "alice"], desk_env, workdir)
    assert code == 0, err
    assert "labelled relevant for syria-turkey by alice" in out
    assert "the current rules say no match" in out
    assert "a disagreement" in out
    code, out, _ = cli(["label", "81002", "not-relevant", "--by", "bob"], desk_env, workdir)
    assert code == 0
    assert "replaces relevant by alice" in out
    with Store(store_url) as store:
        current = store.current_labels(81002)["syria-turkey"]
        history = store.label_history(81002)
    assert (current.verdict, current.labelled_by) == ("not-relevant", "bob")
    assert [h.verdict for h in history] == ["not-relevant", "relevant"]
    assert history[1].superseded_at is not None
    assert history[1].note == "ambassadors: a relation"


def test_label_defaults_to_the_login_name(desk_env: dict[str, str], workdir: Path,
                                          store_url: str) -> None:
    code, _, err = cli(["label", "81001", "relevant"], desk_env, workdir)
    assert code == 0, err
    with Store(store_url) as store:
        assert store.current_labels(81001)["syria-turkey"].labelled_by not in ("", "desk")


@pytest.mark.parametrize(("args", "code", "says"), [
    (["label", "999", "relevant"], 1, "no stored article with id 999"),
    (["label", "81001", "maybe"], 2, "'maybe' is not one of"),
    (["label", "81001", "relevant", "--topic", "nope"], 2, "unknown topic 'nope'"),
    (["explain", "999"], 1, "no stored article with id 999"),
    (["match"], 2, "give FILE.jsonl or --labelled-store"),
])
def test_user_mistakes_get_one_line(desk_env: dict[str, str], workdir: Path, args: list[str],
                                    code: int, says: str) -> None:
    got, _, err = cli(args, desk_env, workdir)
    assert got == code
    assert says in err
    assert "Traceback" not in err


def test_explain_shows_the_rule_the_evidence_and_the_terms(
        desk_env: dict[str, str], workdir: Path) -> None:
    code, out, err = cli(["explain", "81001"], desk_env, workdir)
    assert code == 0, err
    assert "MATCH — development" in out
    assert "Turkey and Syria agreed on a roadmap to restore diplomatic ties" in out
    assert "terms:" in out
    assert "roadmap" in out
    assert "match stored" in out
    assert "unlabelled" in out


def test_explain_shows_why_not(desk_env: dict[str, str], workdir: Path) -> None:
    code, out, _ = cli(["explain", "81003", "--json"], desk_env, workdir)
    assert code == 0
    topic = json.loads(out)["topics"][0]
    assert topic["matched"] is False
    assert topic["stored"] is None
    assert topic["near_misses"], "a sentence naming both sides is a near-miss"
    assert topic["near_misses"][0]["reason"] == "both sides named but no relation cue"
    code, out, _ = cli(["explain", "81002"], desk_env, workdir)
    assert "NO MATCH" in out
    assert "no sentence names both sides" in out


def test_labelled_store_backtest_scores_and_lists_disagreements(
        desk_env: dict[str, str], workdir: Path) -> None:
    for args in (["81001", "relevant"], ["81002", "relevant", "--note", "missed"],
                 ["81004", "not-relevant"], ["81003", "not-relevant"]):
        assert cli(["label", *args], desk_env, workdir)[0] == 0
    code, out, err = cli(["match", "--labelled-store"], desk_env, workdir)
    assert code == 0, err
    rows = {row["article_id"]: row for row in map(json.loads, out.splitlines())}
    assert set(rows) == {81001, 81002, 81003, 81004}
    assert rows[81002]["label"] == "relevant"
    assert rows[81002]["match"] is False
    assert "precision=0.500 recall=0.500" in err
    assert "tp=1 fp=1 fn=1 tn=1" in err
    assert "false negative 81002" in err
    assert '"missed"' in err
    assert "false positive 81004" in err


def test_labelled_store_without_labels_says_so(desk_env: dict[str, str], workdir: Path) -> None:
    code, out, err = cli(["match", "--labelled-store"], desk_env, workdir)
    assert code == 0
    assert out == ""
    assert "no labelled articles for topic syria-turkey" in err


def test_exported_labels_are_a_corpus_the_backtest_reads(
        desk_env: dict[str, str], workdir: Path) -> None:
    assert cli(["label", "81002", "relevant", "--note", "the two neighbours"],
               desk_env, workdir)[0] == 0
    assert cli(["label", "81003", "not-relevant"], desk_env, workdir)[0] == 0
    code, out, err = cli(["export", "--what", "labels"], desk_env, workdir)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    missed = next(r for r in rows if r["id"] == "mt-81002")
    assert missed["label"] == "positive"
    assert missed["note"] == "the two neighbours"
    assert missed["published"] == "2024-05-03"
    assert missed["language"] == "en"
    assert missed["text"].startswith("Diplomats from several countries")
    assert missed["url"].endswith("-a81002")
    corpus = workdir / "desk.jsonl"
    corpus.write_text(out, encoding="utf-8")
    assert [s.label for s in read_samples(corpus)] == [True, False]
    code, _, err = cli(["match", str(corpus)], desk_env, workdir)
    assert code == 0
    assert "fn=1" in err
    assert "mt-81002" in err


def test_a_read_only_database_user_cannot_label(workdir: Path) -> None:
    """PostgreSQL: a role with SELECT only reads the store; a label fails with one clear line."""
    from tests.helpers.pg import pg_schema, read_only_role

    with pg_schema() as url, read_only_role(url) as ro_url:
        seed(url)
        env = mtwatch_env(workdir, MTWATCH_DB_URL=ro_url)
        code, out, _ = cli(["explain", "81001"], env, workdir)
        assert code == 0
        assert "MATCH" in out
        code, _, err = cli(["label", "81001", "relevant"], env, workdir)
        assert code == 1
        assert "read-only for this database user" in err
        assert "Traceback" not in err


