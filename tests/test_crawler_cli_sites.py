"""The command line names the site: `matches --site` and its site column, `export` site
fields and corpus ids, `status` per-site lines, `alerts list` sites."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result

from pipelines.storage import DEFAULT_SITE, Store
from pipelines.storage.backfills import Backfill
from pipelines.storage.store import Evaluated
from tests.helpers.launch import invoke_cli, mtwatch_env
from tests.helpers.ops import sample_article, sample_match

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
RU = "moscowtimes-ru"


def invoke(args: list[str], workdir: Path) -> Result:
    env = {**mtwatch_env(workdir), "COLUMNS": "240"}  # tables unfolded
    return invoke_cli(args, env)


@pytest.fixture
def two_sites(workdir: Path) -> Path:
    """Article key 81001 on both sites, each matched; a backfill and a run of the English one."""
    with Store(mtwatch_env(workdir)["MTWATCH_DB_URL"]) as store:
        for n, site in enumerate((DEFAULT_SITE, RU)):
            when = T0 + timedelta(days=n)
            rec = replace(sample_article(81001, when), site=site,
                          headline=f"Headline of site {n}")
            store.store_evaluated_many(
                [Evaluated(rec, [replace(sample_match(81001, when), site=site)])], ["email"])
        store.save_backfill(Backfill.start("since", date(2024, 1, 1), "--since 2024-01-01",
                                           today=date(2025, 3, 1), now=T0))
        run = store.start_run(trigger="manual", now=T0, sites=[DEFAULT_SITE, RU])
        store.finish_run(run, now=T0, status="ok", reason="", stats={})
    return workdir


def test_matches_lists_both_sites_and_filters_by_one(two_sites: Path) -> None:
    every = json.loads(invoke(["matches", "--format", "json"], two_sites).stdout)
    assert sorted((r["site"], r["article_key"]) for r in every) == [
        (DEFAULT_SITE, "81001"), (RU, "81001")]
    only = json.loads(invoke(["matches", "--site", RU, "--format", "json"], two_sites).stdout)
    assert [(r["site"], r["headline"]) for r in only] == [(RU, "Headline of site 1")]
    table = invoke(["matches", "--site", RU], two_sites).stdout
    assert "site" in table
    assert RU in table
    assert "Headline of site 0" not in table


def test_export_names_the_site_in_json_and_csv(two_sites: Path) -> None:
    rows = [json.loads(line) for line in invoke(["export"], two_sites).stdout.splitlines()]
    assert sorted(r["site"] for r in rows) == [DEFAULT_SITE, RU]
    csv_rows = list(csv.DictReader(io.StringIO(invoke(["export", "--format", "csv"],
                                                      two_sites).stdout)))
    assert sorted((r["site"], r["article_key"]) for r in csv_rows) == [
        (DEFAULT_SITE, "81001"), (RU, "81001")]
    articles = [json.loads(line) for line in
                invoke(["export", "--what", "articles"], two_sites).stdout.splitlines()]
    assert sorted((r["site"], r["article_key"]) for r in articles) == [
        (DEFAULT_SITE, "81001"), (RU, "81001")]


def test_corpus_ids_stay_mt_key_for_the_moscow_times_and_name_other_sites(two_sites: Path
                                                                         ) -> None:
    with Store(mtwatch_env(two_sites)["MTWATCH_DB_URL"]) as store:
        english, russian = store.find_article("81001"), store.find_article("81001", site=RU)
        assert english is not None
        assert russian is not None
        for rec in (english, russian):
            store.set_label(rec.article_id, "syria-turkey", "relevant", by="t", now=T0)
    rows = [json.loads(line) for line in
            invoke(["export", "--what", "labels"], two_sites).stdout.splitlines()]
    assert sorted((r["id"], r["site"]) for r in rows) == [
        ("moscowtimes-ru-81001", RU), ("mt-81001", DEFAULT_SITE)]


def test_status_has_a_line_per_site(two_sites: Path) -> None:
    out = invoke(["status"], two_sites).stdout
    lines = [line for line in out.splitlines() if line.startswith("site:")]
    assert len(lines) == 2
    assert f"{DEFAULT_SITE}: 1 article(s), 1 evaluated" in lines[0]
    assert "horizon 2024-01-01" in lines[0]  # its backfill reaches back further than its rows
    assert f"{RU}: 1 article(s), 1 evaluated, last article 2025-03-02 12:00 UTC" in lines[1]
    assert "horizon 2025-03-02" in lines[1]
    data = json.loads(invoke(["status", "--format", "json"], two_sites).stdout)
    assert [(s["site"], s["last_run"]["status"]) for s in data["sites"]] == [
        (DEFAULT_SITE, "ok"), (RU, "ok")]


def test_alerts_list_names_the_site(two_sites: Path) -> None:
    rows = json.loads(invoke(["alerts", "list", "--format", "json"], two_sites).stdout)
    assert sorted(r["site"] for r in rows) == [DEFAULT_SITE, RU]
    assert RU in invoke(["alerts", "list"], two_sites).stdout


def test_show_finds_an_article_by_its_site_and_key(two_sites: Path) -> None:
    with Store(mtwatch_env(two_sites)["MTWATCH_DB_URL"]) as store:
        russian = store.find_article("81001", site=RU)
        assert russian is not None
    by_key = json.loads(invoke(["show", "81001", "--site", RU, "--format", "json"],
                               two_sites).stdout)
    assert by_key["article"]["article_id"] == russian.article_id
    assert (by_key["article"]["site"], by_key["article"]["article_key"]) == (RU, "81001")
    by_id = json.loads(invoke(["show", "81001", "--format", "json"], two_sites).stdout)
    assert by_id["article"]["site"] == DEFAULT_SITE  # the store's id: the English article
    assert f"{RU} (its id 81001)" in invoke(["show", "81001", "--site", RU], two_sites).stdout
