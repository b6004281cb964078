"""`mtwatch alerts`: list, retry with the same id, test every channel (loudly), enable."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from pipelines.alerts import deliver_due
from pipelines.alerts.mail import message_id
from pipelines.storage import Store
from tests.helpers.alerts import T0, add_match, email_channel
from tests.helpers.launch import mtwatch_env, run_cli_here, with_webhook
from tests.helpers.output import one_line_error
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import WebhookReceiver


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_a_dead_alert_is_listed_and_retried_with_the_same_message_id(workdir: Path,
                                                                   store_url: str) -> None:
    with SmtpServer(data_replies=["550 5.7.1 Rejected"]) as smtp:
        env = mtwatch_env(workdir, smtp, MTWATCH_DB_URL=store_url)
        with Store(env["MTWATCH_DB_URL"]) as store:
            add_match(store)
            assert deliver_due(store, {"email": email_channel(smtp)}, now=T0).dead == 1
        listed = run_cli_here(["alerts", "list", "--status", "dead", "--json"], env, workdir)
        [row] = [json.loads(line) for line in listed.stdout.splitlines()]
        retried = run_cli_here(["alerts", "retry", str(row["id"])], env, workdir)
        again = run_cli_here(["alerts", "retry", str(row["id"])], env, workdir)
        table = run_cli_here(["alerts", "list"], {**env, "COLUMNS": "200"}, workdir)
        first, second = smtp.envelopes
    assert listed.returncode == 0, listed.stderr
    assert (row["status"], row["channel"], row["attempts"]) == ("dead", "email", 1)
    assert "550" in row["last_error"]
    assert retried.returncode == 0, retried.stderr
    assert message_id(row["key"]) in retried.stdout
    assert first.message["Message-ID"] == second.message["Message-ID"] == message_id(row["key"])
    assert second.accepted
    assert again.returncode == 1
    assert "already sent" in one_line_error(again.stderr)
    assert "sent" in table.stdout
    assert "Turkey and Syria talk 1" in table.stdout


def test_retry_of_an_unknown_alert_is_one_line(workdir: Path) -> None:
    done = run_cli_here(["alerts", "retry", "999"], mtwatch_env(workdir), workdir)
    assert done.returncode == 1
    assert "no alert with id 999" in one_line_error(done.stderr)


def test_alerts_test_reaches_every_channel(workdir: Path, smtp: SmtpServer) -> None:
    with WebhookReceiver() as receiver:
        env = with_webhook(workdir, receiver, mtwatch_env(workdir, smtp))
        done = run_cli_here(["alerts", "test"], env, workdir)
        [delivery] = receiver.deliveries
    assert done.returncode == 0, done.stderr
    assert "email: test message delivered" in done.stdout
    assert "webhook: test message delivered" in done.stdout
    [mail] = smtp.messages
    assert "test alert" in str(mail.message["Subject"])
    assert delivery.verified
    assert delivery.json()["type"] == "mtwatch.test"


def test_alerts_test_fails_loudly(workdir: Path) -> None:
    env = mtwatch_env(workdir, MTWATCH_SMTP_HOST="127.0.0.1", MTWATCH_SMTP_SECURITY="none",
                      MTWATCH_SMTP_PORT=str(closed_port()), MTWATCH_EMAIL_FROM="a@test.invalid",
                      MTWATCH_EMAIL_TO="b@test.invalid")
    down = run_cli_here(["alerts", "test"], env, workdir)
    assert down.returncode == 1
    assert ("email: test message NOT delivered: SMTP connection failed"
            in one_line_error(down.stderr))
    unknown = run_cli_here(["alerts", "test", "--channel", "webhook"], env, workdir)
    assert unknown.returncode == 2
    assert "'webhook' is not configured" in one_line_error(unknown.stderr)
    nothing = run_cli_here(["alerts", "test"], mtwatch_env(workdir), workdir)
    assert nothing.returncode == 2


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_enable_resumes_a_disabled_channel(workdir: Path, store_url: str) -> None:
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    with Store(env["MTWATCH_DB_URL"]) as store:
        store.disable_channel("webhook", now=T0, reason="410 Gone")
    first = run_cli_here(["alerts", "enable", "webhook"], env, workdir)
    second = run_cli_here(["alerts", "enable", "webhook"], env, workdir)
    assert (first.returncode, second.returncode) == (0, 0)
    assert "enabled" in first.stdout
    assert "was not disabled" in second.stdout


def test_new_secret_prints_a_usable_secret(workdir: Path) -> None:
    done = run_cli_here(["alerts", "new-secret"], mtwatch_env(workdir), workdir)
    secret = done.stdout.strip()
    from pipelines.alerts.signing import parse_secrets

    assert parse_secrets(secret) == (secret,)
