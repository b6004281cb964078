"""Options where people type them: --config after the command as well as before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.launch import mtwatch_env, run_cli_here


@pytest.mark.parametrize("args", [
    ["--config", "{file}", "check-config", "--no-store"],
    ["check-config", "--config", "{file}", "--no-store"],
    ["check-config", "--no-store", "--config={file}"],
])
def test_config_is_read_before_or_after_the_command(workdir: Path, args: list[str]) -> None:
    mine = workdir / "mine.toml"
    mine.write_text('[sites.moscowtimes]\nurl = "http://127.0.0.1:8765"\n', encoding="utf-8")
    env = mtwatch_env(workdir)
    del env["MTWATCH_CONFIG"]
    done = run_cli_here([a.format(file=mine) for a in args], env, workdir)
    assert done.returncode == 0, done.stderr
    assert '"url": "http://127.0.0.1:8765"' in done.stdout
    assert "# read from: " in done.stdout
    assert str(mine) in done.stdout


def test_config_after_the_command_wins_and_reaches_nested_commands(workdir: Path) -> None:
    bad = workdir / "bad.toml"
    bad.write_text("[crawl]\ndownload_delay = 'soon'\n", encoding="utf-8")
    env = mtwatch_env(workdir)
    # the file after the command is the one read: its error names it
    done = run_cli_here(["--config", env["MTWATCH_CONFIG"], "alerts", "list", "--config", str(bad)],
                   env, workdir)
    assert done.returncode == 2
    assert f"crawl.download_delay in {bad}" in done.stderr
    assert "Traceback" not in done.stderr
    helped = run_cli_here(["db", "current", "--help"], env, workdir)
    assert "--config FILE" in helped.stdout
