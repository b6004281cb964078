"""Two sites side by side in one crawl: The Moscow Times in English and in Russian, each on its
own loopback host, through the real `mtwatch run`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.launch import (
    FAST_CONFIG,
    REPO,
    ReplicaProcess,
    mtwatch_env,
    run_cli,
    start_replica,
)
from tests.helpers.smtp import SmtpServer
from tests.replica.russian import POSITIVE_ID

pytestmark = pytest.mark.e2e

#: the Russian edition is served on a host of its own (127.0.0.0/8 is all loopback)
RU_HOST = "127.0.0.2"


@pytest.fixture
def russian(tmp_path: Path) -> Iterator[ReplicaProcess]:
    truth_file = tmp_path / "truth-ru.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.replica", "serve", "--ru", "--host", RU_HOST,
         "--port", "0", "--truth", str(truth_file)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    assert base_url.startswith(f"http://{RU_HOST}:"), base_url
    yield ReplicaProcess(base_url, json.loads(truth_file.read_text(encoding="utf-8")), proc)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def english(tmp_path: Path) -> Iterator[ReplicaProcess]:
    server = start_replica(tmp_path, articles=40, seed=7)
    yield server
    server.proc.terminate()
    server.proc.wait(timeout=10)


def two_sites(workdir: Path, english: str, russian: str) -> Path:
    config = workdir / "two-sites.toml"
    config.write_text(
        f'[sites.moscowtimes]\nurl = "{english}"\ncanaries = []\n\n'
        f'[sites.moscowtimes-ru]\nenabled = true\nurl = "{russian}"\n\n'
        + FAST_CONFIG + "fast_on_loopback = true\n", encoding="utf-8")
    return config


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def emails_about(smtp: SmtpServer, url: str) -> int:
    found = 0
    for envelope in smtp.messages:
        part = envelope.message.get_body(("plain",))
        assert part is not None
        found += url in part.get_content()
    return found


def test_two_sites_crawl_side_by_side_and_keep_their_own_articles(
        english: ReplicaProcess, russian: ReplicaProcess, smtp: SmtpServer,
        workdir: Path) -> None:
    env = mtwatch_env(workdir, smtp, MTWATCH_CONFIG=str(two_sites(
        workdir, english.base_url, russian.base_url)))
    done = run_cli(["run", "--since", "2023-01-01"], env, workdir)
    assert done.returncode == 0, done.stderr
    db = workdir / "mtwatch.db"
    urls = {str(r[0]) for r in rows(db, "SELECT url FROM articles")}
    assert any(u.startswith(english.base_url + "/") for u in urls)
    russian_only = {a["url"] for a in russian.truth["articles"] if a["id"] != POSITIVE_ID}
    assert {a["url"] for a in russian.truth["articles"]} & urls, "the Russian site was crawled"
    assert russian_only <= urls, russian_only - urls  # IDs that collide with no English one

    ru_positive = next(a["url"] for a in russian.truth["articles"] if a["id"] == POSITIVE_ID)
    en_positive = next(a["url"] for a in english.truth["articles"] if a["id"] == POSITIVE_ID)
    assert {ru_positive, en_positive} <= urls  # the same number on two sites: two articles
    site_of = {str(url): (site, key) for url, site, key in
               rows(db, "SELECT url, site, article_key FROM articles")}
    assert site_of[ru_positive] == ("moscowtimes-ru", str(POSITIVE_ID))
    assert site_of[en_positive] == ("moscowtimes", str(POSITIVE_ID))
    assert emails_about(smtp, ru_positive) == 1  # the Russian roadmap article alerts once
    assert emails_about(smtp, en_positive) == 1
    sent = len(smtp.messages)
    again = run_cli(["run"], env, workdir)
    assert again.returncode == 0, again.stderr
    assert len(smtp.messages) == sent, "a second run must not alert again"


def test_site_option_runs_one_site_by_name(
        english: ReplicaProcess, russian: ReplicaProcess, workdir: Path) -> None:
    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(two_sites(
        workdir, english.base_url, russian.base_url)))
    done = run_cli(["run", "--site", "moscowtimes-ru", "--no-alert"], env, workdir)
    assert done.returncode == 0, done.stderr
    urls = {str(r[0]) for r in rows(workdir / "mtwatch.db", "SELECT url FROM articles")}
    assert urls
    assert all(u.startswith(russian.base_url + "/") for u in urls), urls
