"""Secrets in URLs never reach the screen, and a malformed store URL is one configuration error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crawler import launcher
from crawler.launcher import CrawlOptions, crawl_command, run_crawl
from pipelines.alerts.signing import new_secret
from pipelines.storage.database import redact_url
from tests.helpers.launch import mtwatch_env, run_cli_auto, run_cli_here

PG = "postgresql+psycopg://mtwatch:s3cret-canary@127.0.0.1:5432/test"


def test_check_config_redacts_the_store_and_webhook_passwords(workdir: Path) -> None:
    config = workdir / "fast.toml"
    config.write_text(config.read_text() + '\n[alerts.webhook]\nallow_internal = ["127.0.0.1"]\n')
    env = mtwatch_env(workdir, MTWATCH_DB_URL=PG, MTWATCH_ALERT_CHANNELS="webhook",
                      MTWATCH_WEBHOOK_URL="http://hook:hook-canary@127.0.0.1:9/in",
                      MTWATCH_WEBHOOK_SECRET=new_secret())
    done = run_cli_here(["check-config", "--no-store"], env, workdir)
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert "s3cret-canary" not in out
    assert "hook-canary" not in out
    assert '"url": "postgresql+psycopg://mtwatch:***@127.0.0.1:5432/test"' in done.stdout
    assert '"effective_url": "postgresql+psycopg://mtwatch:***@127.0.0.1:5432/test"' in done.stdout
    assert "http://hook:***@127.0.0.1:9/in" in done.stdout


def test_a_password_with_at_signs_and_slashes_is_hidden_whole(workdir: Path) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL="postgresql+psycopg://u:p@ss/w0rd@127.0.0.1/db")
    done = run_cli_here(["check-config", "--no-store"], env, workdir)
    assert done.returncode == 0, done.stderr
    assert "ss/w0rd" not in done.stdout + done.stderr
    assert "postgresql+psycopg://u:***@127.0.0.1/db" in done.stdout


@pytest.mark.parametrize(("url", "shown"), [
    (PG, "postgresql+psycopg://mtwatch:***@127.0.0.1:5432/test"),
    ("postgresql://u:a/b@c@h:1/d?x=1", "postgresql://u:***@h:1/d?x=1"),
    ("postgresql+psycopg://user@h/db", "postgresql+psycopg://user@h/db"),
    ("sqlite:////var/lib/mtwatch/mtwatch.db", "sqlite:////var/lib/mtwatch/mtwatch.db"),
    ("https://hook:tok@hooks.example.org/x", "https://hook:***@hooks.example.org/x"),
])
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


BAD_URLS = [
    "postgresql+psycopg://mtwatch:s3cret-canary@127.0.0.1:abc/test",  # port not a number
    "postgresql+psycopg://mtwatch:s3cret-canary:5432/test",  # no @: the password as a port
    "postgresql+psycopg://mtwatch:s3cret-canary@127.0.0.1:99999/test",  # port out of range
    "nosuchdb://mtwatch:s3cret-canary@127.0.0.1/test",  # no such database kind
    "s3cret-canary",  # not a URL
]
COMMANDS = [["check-config"], ["status"], ["matches"], ["export"], ["alerts", "list"],
            ["db", "current"], ["run", "--site", "http://127.0.0.1:9"]]


CASES = [*((command, BAD_URLS[0]) for command in COMMANDS),
         *((["check-config"], url) for url in BAD_URLS[1:])]


@pytest.mark.parametrize(("command", "url"), CASES)
def test_a_malformed_store_url_is_one_configuration_error(workdir: Path, command: list[str],
                                                          url: str) -> None:
    done = run_cli_auto(command, mtwatch_env(workdir, MTWATCH_DB_URL=url), workdir)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("mtwatch: config error: MTWATCH_DB_URL: "), line  # where it came from
    assert "s3cret-canary" not in done.stdout + done.stderr


def test_a_malformed_db_option_is_one_configuration_error(workdir: Path) -> None:
    done = run_cli_here(["matches", "--db", BAD_URLS[0]], mtwatch_env(workdir), workdir)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith("mtwatch: config error: --db: "), line  # where it came from
    assert "port" in line
    assert "s3cret-canary" not in line


def test_the_crawl_child_gets_the_store_url_outside_its_argv(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started: list[tuple[list[str], dict[str, str]]] = []

    class Child:
        pid, returncode = 0, 1

        def __init__(self, args: list[str], *, env: dict[str, str], **_: Any) -> None:
            started.append((args, env))

        def wait(self, timeout: float | None = None) -> int:
            return self.returncode

    monkeypatch.setattr(launcher.subprocess, "Popen", Child)
    options = CrawlOptions(db_url=PG, log_file=tmp_path / "crawl.log", timeout=5)
    assert "s3cret-canary" not in " ".join(crawl_command(options, tmp_path / "verdict.json"))
    run_crawl(options)
    [(args, env)] = started
    assert "s3cret-canary" not in " ".join(args)  # what `ps` shows every user of the host
    assert env["MTWATCH_DB_URL"] == PG
