"""`mtwatch run` leaves the store to its crawl child: its own process imports no SQLAlchemy
for an idle poll, a store that cannot be opened still fails the run in the words every command
uses, and the progress display opens the store only for a crawl that may be long."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.cli import progress
from pipelines.storage import Store
from pipelines.storage.articles import Candidate, FrontierPolicy
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.output import one_line_error

REPO = Path(__file__).resolve().parent.parent

PREFLIGHT = """
import sys
from crawler.cli import common, run
from crawler.config import load_config
common.check(load_config(None), store=False, remembered_topics=True)
heavy = ("sqlalchemy", "alembic", "pipelines.matcher", "pipelines.alerts.relay", "scrapy")
print(",".join(sorted(m for m in sys.modules if m in heavy)))
"""


def test_the_pre_flight_of_an_idle_poll_imports_no_store_and_no_rules_engine(
        tmp_path: Path) -> None:
    env = mtwatch_env(tmp_path, MTWATCH_DB_URL=f"sqlite:///{tmp_path / 'store.db'}")
    del env["MTWATCH_CONFIG"]

    def preflight() -> str:
        return subprocess.run([sys.executable, "-c", PREFLIGHT], cwd=REPO, env=env,
                              capture_output=True, text=True, check=True).stdout.strip()

    assert preflight() == "pipelines.matcher", "the first run compiles the topics"
    assert preflight() == "", "the next ones remember them and need no store"


def test_a_store_that_cannot_open_fails_the_run_naming_where_its_url_came_from(
        tmp_path: Path) -> None:
    env = mtwatch_env(tmp_path, MTWATCH_DB_URL="sqlite:////proc/mtwatch/nope.db")
    del env["MTWATCH_CONFIG"]
    done = run_cli(["run", "--site", "http://127.0.0.1:9"], env, tmp_path)
    assert done.returncode == 1
    line = one_line_error(done.stderr)
    assert "cannot open store" in line
    assert line.endswith("(store URL from MTWATCH_DB_URL)")


def _queue(url: str, count: int) -> None:
    with Store(url) as store:
        store.discover_articles([Candidate(i, f"https://x.test/a{i}") for i in range(count)],
                                source="sitemap", now=datetime.now(UTC),
                                policy=FrontierPolicy())


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_a_short_crawl_that_evaluated_nothing_never_opens_the_store(store_url: str) -> None:
    _queue(store_url, 150)
    out = io.StringIO()
    with progress.crawl_progress(store_url, 10, enabled=False, lines_every=3600,
                                 out=out) as watch:
        watch.ended({"evaluated": 0, "fetched": 0})
    assert watch.store is None
    assert out.getvalue() == ""


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_a_crawl_that_evaluated_articles_gets_its_last_line(store_url: str) -> None:
    _queue(store_url, 150)
    out = io.StringIO()
    with progress.crawl_progress(store_url, 10, enabled=False, lines_every=3600,
                                 out=out) as watch:
        watch.ended({"evaluated": 3})
    assert out.getvalue().startswith("mtwatch: progress: 0 of 150 articles evaluated (0 %)")
