"""The tour is fast and honest: politeness lifted only for a loopback site, and visibly; a long
crawl off a terminal prints a progress line every N seconds and one at its end."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.cli import progress
from crawler.context import config_from_settings
from crawler.health.funnel import STAGES
from crawler.launcher import RunOutcome
from crawler.output import print_outcome
from tests.helpers.launch import ReplicaProcess, mtwatch_env, run_cli, run_cli_here, start_replica

#: the shipped politeness (1 s per request, AutoThrottle): only the replica's dates differ
POLITE = '[alerts]\nbackfill_age = "0"\n'


@pytest.fixture(scope="module")
def small_replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaProcess]:
    server = start_replica(tmp_path_factory.mktemp("tour"), articles=120, seed=5)
    yield server
    server.proc.terminate()
    server.proc.wait(timeout=10)


def test_fast_is_refused_for_a_public_host(workdir: Path) -> None:
    done = run_cli(["run", "--fast", "--site", "https://www.themoscowtimes.com"],
                   mtwatch_env(workdir), workdir)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "mtwatch: --fast only applies to a site on this machine (a loopback address such as "
        "http://127.0.0.1:8000), not https://www.themoscowtimes.com")


@pytest.mark.parametrize(("site", "delay", "warned"), [
    ("http://127.0.0.1:8000", 0.0, False),
    ("http://localhost:8000", 0.0, False),
    ("http://[::1]:8000", 0.0, False),
    ("https://www.themoscowtimes.com", 1.0, True),
    ("http://127.0.0.1.example.org", 1.0, True),
])
def test_the_setting_lifts_politeness_for_loopback_sites_only(
        workdir: Path, site: str, delay: float, warned: bool) -> None:
    polite = workdir / "polite.toml"
    polite.write_text(POLITE, "utf-8")
    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(polite), MTWATCH_SITE=site,
                      MTWATCH_FAST_ON_LOOPBACK="1")
    done = run_cli_here(["check-config", "--no-store"], env, workdir)
    assert done.returncode == 0, done.stderr
    dump = done.stdout.split("\n", 1)[1].removesuffix("configuration OK\n")
    crawl = json.loads(dump)["crawl"]
    assert crawl["download_delay"] == delay
    assert crawl["autothrottle"] is warned
    assert ("crawl.fast_on_loopback is ignored" in done.stderr) is warned


def test_the_crawl_child_reads_the_same_lifted_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MTWATCH_FAST_ON_LOOPBACK", "1")
    for site, delay in (("http://127.0.0.1:8000", 0.0), ("https://www.themoscowtimes.com", 1.0)):
        config = config_from_settings(Settings({"MTWATCH_SITE": site}))
        assert config.crawl.download_delay == delay


def test_progress_lines_come_every_n_seconds_once_a_crawl_is_long() -> None:
    now = [0.0]
    out = io.StringIO()
    lines = progress._Lines(10, out, lambda: now[0])
    for t, done, waiting in ((2, 5, 50), (11, 10, 50),  # short so far: quiet
                             (12, 20, 100), (15, 40, 80), (22, 60, 60), (33, 119, 1)):
        now[0] = t
        lines.update(done, waiting)
    now[0] = 34
    lines.update(120, 0, final=True)
    lines.update(120, 0, final=True)  # the same counts again: no repeat
    assert out.getvalue().splitlines() == [
        "mtwatch: progress: 20 of 120 articles evaluated (16 %), 12 s",
        "mtwatch: progress: 60 of 120 articles evaluated (50 %), 22 s",
        "mtwatch: progress: 119 of 120 articles evaluated (99 %), 33 s",
        "mtwatch: progress: 120 of 120 articles evaluated (100 %), 34 s",
    ]


def test_the_funnel_shows_zeros_not_blank_cells(capsys: pytest.CaptureFixture[str]) -> None:
    counts = {"discovered": 4, "discovered/feed": 4, "new": 0, "fetched": 0}
    print_outcome(RunOutcome("ok", "", counts, 1, 1.0), as_json=False)
    rows = [line for line in capsys.readouterr().out.splitlines()
            if line.startswith("│") and line.split("│")[1].strip() in STAGES]
    assert len(rows) == len(STAGES)
    for row in rows:
        assert all(part.strip() for part in row.split("│")[1:-1]), row
    new = next(row for row in rows if row.split("│")[1].strip() == "new")
    assert [part.strip() for part in new.split("│")[1:-1]] == ["new", "0", "0"]


def test_a_long_crawl_off_a_terminal_prints_progress_and_the_lift(
        workdir: Path, small_replica: ReplicaProcess) -> None:
    polite = workdir / "polite.toml"
    polite.write_text(POLITE, "utf-8")
    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(polite))
    done = run_cli(["run", "--fast", "--site", small_replica.base_url, "--since", "2020-01-01",
                    "--progress-every", "1"], env, workdir)
    assert done.returncode == 0, done.stderr
    assert (f"mtwatch: politeness lifted for the loopback site {small_replica.base_url}"
            in done.stderr)
    progress_lines = [line for line in done.stdout.splitlines()
                      if line.startswith("mtwatch: progress: ")]
    assert progress_lines, done.stdout
    assert " articles evaluated (100 %), " in progress_lines[-1]
    assert done.stdout.index(progress_lines[-1]) < done.stdout.index("mtwatch run")
