"""Clear words through the real command line: an unreachable site, a bad store URL, a bad
--site, an unknown config key — each one line saying what is wrong and where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.launch import mtwatch_env, run_cli, run_cli_auto, run_cli_here
from tests.helpers.output import one_line_error

BAD_STORE = "only sqlite:// and postgresql+psycopg:// URLs are supported"


def test_no_network_says_dns_failed_never_disallow_all(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    done = run_cli(["run", "--site", "https://www.mtwatch-test.invalid"], env, workdir)
    assert done.returncode == 1
    line = one_line_error(done.stderr)
    assert line.startswith("mtwatch: run failed: site unreachable: DNS lookup failed for "
                           "www.mtwatch-test.invalid (no network?)")
    assert "disallow" not in done.stdout + done.stderr
    status = run_cli_here(["status"], env, workdir)
    assert "DNS lookup failed for www.mtwatch-test.invalid (no network?)" in status.stdout


@pytest.mark.parametrize(("where", "source"), [
    ("option", "--db"),
    ("env", "MTWATCH_DB_URL"),
    ("file", "store.url in "),
])
def test_a_bad_store_url_is_a_config_error_naming_its_source(
    workdir: Path, where: str, source: str
) -> None:
    url = "mysql://mt:hunter2@db.example.org/mtwatch"
    env = mtwatch_env(workdir)
    commands = [["run", "--site", "http://127.0.0.1:9"], ["status"], ["check-config"]]
    if where == "option":
        commands = [[*commands[0], "--db", url], ["status", "--db", url]]
    elif where == "env":
        env["MTWATCH_DB_URL"] = url
    else:
        del env["MTWATCH_DB_URL"]
        mine = workdir / "mine.toml"
        mine.write_text(f'[store]\nurl = "{url}"\n')
        env["MTWATCH_CONFIG"] = str(mine)
        source += str(mine)
    for command in commands:
        done = run_cli_auto(command, env, workdir)
        assert done.returncode == 2, done.stderr
        line = one_line_error(done.stderr)
        assert f"config error: {source}: {BAD_STORE}" in line
        assert "hunter2" not in done.stdout + done.stderr


def test_a_bad_site_names_the_option_or_variable(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    flag = run_cli(["run", "--site", "www.themoscowtimes.com"], env, workdir)
    var = run_cli(["run"], {**env, "MTWATCH_SITE": "ftp://example.org"}, workdir)
    assert (flag.returncode, var.returncode) == (2, 2)
    assert "config error: --site: must be an http(s) URL" in one_line_error(flag.stderr)
    assert "config error: MTWATCH_SITE: must be an http(s) URL" in one_line_error(var.stderr)


def test_an_unknown_key_suggests_the_nearest_one_and_names_the_file(workdir: Path) -> None:
    mine = workdir / "mine.toml"
    mine.write_text("[crawl]\ndowload_delay = 2\n")
    done = run_cli_here(["check-config"], mtwatch_env(workdir, MTWATCH_CONFIG=str(mine)), workdir)
    assert done.returncode == 2
    assert one_line_error(done.stderr) == (
        f"mtwatch: config error: unknown key 'crawl.dowload_delay' in {mine}; "
        "did you mean 'download_delay'?")


def test_a_store_that_cannot_open_says_where_its_url_came_from(workdir: Path) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL="sqlite:////proc/mtwatch/nope.db")
    by_env = run_cli_here(["status"], env, workdir)
    by_flag = run_cli_here(["matches", "--db", "sqlite:////proc/mtwatch/other.db"], env, workdir)
    assert (by_env.returncode, by_flag.returncode) == (1, 1)
    assert "(store URL from MTWATCH_DB_URL)" in one_line_error(by_env.stderr)
    assert "(store URL from --db)" in one_line_error(by_flag.stderr)


def test_backfill_age_is_validated(workdir: Path) -> None:
    mine = workdir / "mine.toml"
    mine.write_text('[alerts]\nbackfill_age = "soon"\n')
    done = run_cli_here(["check-config"], mtwatch_env(workdir, MTWATCH_CONFIG=str(mine)), workdir)
    assert done.returncode == 2
    assert f"alerts.backfill_age in {mine}: expected a duration like 2d" in one_line_error(
        done.stderr)
