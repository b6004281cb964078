"""The command line: clear one-line errors for user mistakes, helpful --help, exit codes."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from crawler import __version__
from tests.helpers.launch import mtwatch_env, run_cli, run_cli_auto, run_cli_here
from tests.helpers.output import one_line_error


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_version_and_help(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    assert __version__ in run_cli_here(["--version"], env, workdir).stdout
    for command in ([], ["run"], ["matches"], ["check-config"]):
        done = run_cli_here([*command, "--help"], env, workdir)
        assert done.returncode == 0
        assert "Usage:" in done.stdout
    assert "--since" in run_cli_here(["run", "--help"], env, workdir).stdout


def test_unreachable_site_fails_the_run(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    done = run_cli(["run", "--site", f"http://127.0.0.1:{closed_port()}"], env, workdir)
    assert done.returncode == 1
    line = one_line_error(done.stderr)
    assert "run failed: site unreachable" in line


def test_invalid_config_file_is_exit_2(workdir: Path) -> None:
    bad = workdir / "bad.toml"
    bad.write_text("[crawl]\ndownload_delay = 'soon'\n")
    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(bad))
    for command in (["run"], ["check-config"]):
        done = run_cli_auto(command, env, workdir)
        assert done.returncode == 2
        assert "crawl.download_delay" in one_line_error(done.stderr)


def test_unwritable_store_is_exit_1(workdir: Path) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL="sqlite:////proc/mtwatch/nope.db")
    done = run_cli(["run", "--site", "http://127.0.0.1:9"], env, workdir)
    assert done.returncode == 1
    assert "/proc/mtwatch/nope.db" in one_line_error(done.stderr)


def test_bad_since_is_a_usage_error(workdir: Path) -> None:
    done = run_cli_here(["run", "--since", "yesterday"], mtwatch_env(workdir), workdir)
    assert done.returncode == 2
    assert "2023-01-31" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_matches_on_an_empty_store(workdir: Path, fmt: str) -> None:
    done = run_cli_here(["matches", "--format", fmt], mtwatch_env(workdir), workdir)
    assert done.returncode == 0, done.stderr


def test_check_config_redacts_the_password(workdir: Path) -> None:
    env = mtwatch_env(workdir, MTWATCH_SMTP_HOST="127.0.0.1", MTWATCH_SMTP_PASSWORD="canary-pw-42",
                      MTWATCH_SMTP_USER="u", MTWATCH_EMAIL_FROM="a@test.invalid",
                      MTWATCH_EMAIL_TO="b@test.invalid")
    done = run_cli_here(["check-config"], env, workdir)
    assert done.returncode == 0, done.stderr
    assert "canary-pw-42" not in done.stdout + done.stderr
    assert "configuration OK" in done.stdout


def test_incomplete_email_settings_are_a_config_error(workdir: Path) -> None:
    env = mtwatch_env(workdir, MTWATCH_SMTP_HOST="127.0.0.1")  # no sender, no recipients
    done = run_cli_here(["check-config"], env, workdir)
    assert done.returncode == 2
    assert "MTWATCH_EMAIL" in one_line_error(done.stderr)
