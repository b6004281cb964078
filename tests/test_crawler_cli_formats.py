"""Output formats that match their names, the same in every command: --format json is one
JSON array (``json.load`` reads it), --format jsonl is JSON Lines; tables show times with zone."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipelines.storage import Store
from tests.helpers.launch import mtwatch_env, run_cli_here
from tests.helpers.ops import sample_article, sample_match

T0 = datetime(2024, 3, 5, 14, 2, tzinfo=UTC)


def filled(workdir: Path, store_url: str) -> dict[str, str]:
    """Three matched articles (two topics), their alerts queued, and one finished run, in the
    shared store (each backend)."""
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    with Store(env["MTWATCH_DB_URL"]) as store:
        for n, article_id in enumerate((81001, 81002, 81003)):
            store.upsert_article(sample_article(article_id, T0 + timedelta(days=n)))
            match = sample_match(article_id, T0 + timedelta(days=n, hours=1))
            if article_id == 81003:
                match = replace(match, topic="other-topic")
            store.record_match(match, ["email"])
        run_id = store.start_run(trigger="cli", now=T0)
        store.finish_run(run_id, now=T0 + timedelta(seconds=5), status="ok", reason="",
                         stats={"evaluated": 3, "matched": 3})
    return env


def out(args: list[str], env: dict[str, str], workdir: Path) -> str:
    done = run_cli_here(args, env, workdir)
    assert done.returncode in (0, 1), done.stderr  # status may be stale: exit 1
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
@pytest.mark.parametrize(("args", "count"), [
    (["matches"], 3),
    (["export"], 3),
    (["export", "--what", "articles"], 3),
    (["alerts", "list"], 3),
])
def test_json_is_one_array_and_jsonl_one_object_a_line(workdir: Path, store_url: str,
                                                       args: list[str], count: int) -> None:
    env = filled(workdir, store_url)
    array = json.loads(out([*args, "--format", "json"], env, workdir))
    assert isinstance(array, list)
    assert len(array) == count
    lines = out([*args, "--format", "jsonl"], env, workdir).splitlines()
    assert [json.loads(line) for line in lines] == array


def test_empty_results_are_an_empty_array_or_nothing(workdir: Path, store_url: str) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    for args in (["matches"], ["export"], ["alerts", "list"]):
        assert json.loads(out([*args, "--format", "json"], env, workdir)) == [], args
        assert out([*args, "--format", "jsonl"], env, workdir) == "", args


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_status_json_is_one_object_and_jsonl_the_same_on_one_line(workdir: Path,
                                                                   store_url: str) -> None:
    env = filled(workdir, store_url)
    pretty = out(["status", "--format", "json"], env, workdir)
    one = out(["status", "--format", "jsonl"], env, workdir)
    assert len(one.splitlines()) == 1
    assert len(pretty.splitlines()) > 1
    a, b = json.loads(pretty), json.loads(one)
    assert a["runs"] == b["runs"]
    assert a["runs"][0]["status"] == "ok"
    assert json.loads(out(["status", "--json"], env, workdir))["runs"] == a["runs"]


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_the_old_alerts_json_flag_still_prints_json_lines(workdir: Path, store_url: str) -> None:
    env = filled(workdir, store_url)
    lines = out(["alerts", "list", "--json"], env, workdir).splitlines()
    assert len(lines) == 3
    assert {json.loads(line)["channel"] for line in lines} == {"email"}


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_times_in_tables_carry_their_zone(workdir: Path, store_url: str) -> None:
    env = filled(workdir, store_url)
    env["COLUMNS"] = "200"
    assert "2024-03-07 14:02 UTC" in out(["matches"], env, workdir)
    assert "03-05 14:02:00 UTC" in out(["status"], env, workdir)
    alerts = out(["alerts", "list"], env, workdir)
    assert alerts.count(" UTC ") >= 3  # each pending alert's next attempt
