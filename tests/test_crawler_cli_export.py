"""`mtwatch export`: matches and articles as JSON lines or CSV, --since, any store size."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipelines.storage import Store
from pipelines.storage.store import Evaluated
from tests.helpers.launch import mtwatch_env, run_cli_here
from tests.helpers.ops import sample_article, sample_match
from tests.helpers.pg import BACKENDS, backend_store_url

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def env(workdir: Path, store_url: str) -> dict[str, str]:
    """mtwatch's environment, on the shared store (each backend)."""
    return mtwatch_env(workdir, MTWATCH_DB_URL=store_url)


@pytest.fixture(scope="module", params=BACKENDS)
def filled_store(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """700 articles (more than one export page), 3 of them matched, on each backend: built
    once per module, since the export tests only read it. The articles go in as a crawl's
    group commit stores them, in one transaction (one by one, 700 commits took 15 s on SQLite
    and 25 s on PostgreSQL of a busy machine; the rows are the same)."""
    tmp = tmp_path_factory.mktemp("export")
    with backend_store_url(request.param, tmp) as url:
        with Store(url) as store:
            stored = store.store_evaluated_many(
                [Evaluated(sample_article(n, T0 + timedelta(hours=n)), []) for n in range(1, 701)],
                ["email"])
            assert [outcome for outcome, _ in stored] == ["inserted"] * 700
            for n in (5, 300, 650):
                store.record_match(sample_match(n, T0 + timedelta(hours=n)), ["email"])
        yield url


@pytest.fixture
def filled(workdir: Path, filled_store: str) -> tuple[Path, dict[str, str]]:
    """The filled store's working directory and environment."""
    return workdir, mtwatch_env(workdir, MTWATCH_DB_URL=filled_store)


def test_export_matches_as_json_lines(filled: tuple[Path, dict[str, str]]) -> None:
    cwd, env = filled
    done = run_cli_here(["export"], env, cwd)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["article_id"] for r in rows] == [5, 300, 650]
    assert rows[0]["evidence"][0]["sentence"] == "Ankara and Damascus agreed."
    assert rows[0]["published"] == (T0 + timedelta(hours=5)).isoformat()


def test_export_matches_since_as_csv(filled: tuple[Path, dict[str, str]]) -> None:
    cwd, env = filled
    since = (T0 + timedelta(hours=300)).date().isoformat()
    done = run_cli_here(["export", "--format", "csv", "--since", since], env,
                   cwd)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [int(r["article_id"]) for r in rows] == [300, 650]
    assert json.loads(rows[0]["evidence"])[0]["terms"] == ["Ankara", "Damascus"]


def test_export_every_article_in_pages(filled: tuple[Path, dict[str, str]]) -> None:
    cwd, env = filled
    done = run_cli_here(["export", "--what", "articles"], env, cwd)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["article_id"] for r in rows] == list(range(1, 701))
    assert rows[0]["text"] == "Some text."
    assert "html_sha256" not in rows[0]
    csv_done = run_cli_here(["export", "--what", "articles", "--format", "csv", "--since",
                        "2025-03-20"], env, cwd)
    csv_rows = list(csv.DictReader(io.StringIO(csv_done.stdout)))
    first = min(n for n in range(1, 701) if T0 + timedelta(hours=n) >= datetime(
        2025, 3, 20, tzinfo=UTC))
    assert int(csv_rows[0]["article_id"]) == first
    assert len(csv_rows) == 700 - first + 1
    assert json.loads(csv_rows[0]["tags"]) == ["syria", "turkey"]


def test_export_of_an_empty_store_prints_a_header_for_csv(workdir: Path,
                                                          env: dict[str, str]) -> None:
    done = run_cli_here(["export", "--format", "csv"], env, workdir)
    assert done.returncode == 0
    assert done.stdout.startswith("article_id,topic,grade")
