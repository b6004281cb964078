"""Channel holds through the real command line: the reported case (an SMTP relay without
STARTTLS, security left at the default, 39 matches) and `mtwatch alerts retry --all`."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from pipelines.alerts import deliver_due
from pipelines.alerts.mail import message_id
from pipelines.alerts.policy import alert_key
from pipelines.storage import DEFAULT_SITE, Store
from tests.helpers.alerts import T0, add_match, email_channel
from tests.helpers.launch import mtwatch_env, run_cli, run_cli_here
from tests.helpers.output import one_line_error
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import WebhookReceiver
from tests.replica import Replica

TOPIC = "syria-turkey"


def email_rows(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status, attempts FROM alert_outbox WHERE channel = 'email' "
                            "AND kind = 'alert' ORDER BY id").fetchall()


def operator_config(workdir: Path) -> None:
    """Alerts by e-mail; operator notices to a webhook (the other channel)."""
    config = workdir / "fast.toml"
    text, line = config.read_text(), 'operator = ["webhook"]\n'
    text = text.replace("[alerts]\n", "[alerts]\n" + line) if "[alerts]\n" in text \
        else f"{text}\n[alerts]\n{line}"
    config.write_text(text + '[alerts.webhook]\nallow_internal = ["127.0.0.1"]\n')


@pytest.mark.e2e
def test_a_relay_without_starttls_holds_39_alerts_until_the_fix_then_sends_each_once(
    workdir: Path,
) -> None:
    """The reported case as it happened: 39 matches need the 490-article replica (the seed
    that plants 39 positives), crawled by four real runs (a backfill, held; plain runs: still
    held, fixed, quiet).
    About 15 s alone here; over 30 s when the full suite keeps both cores busy."""
    operator_config(workdir)
    with Replica(articles=490, seed=1) as replica, SmtpServer() as smtp, \
            WebhookReceiver() as operator:
        positives = set(replica.truth["positives"])
        assert len(positives) == 39
        env = mtwatch_env(workdir, smtp, MTWATCH_ALERT_CHANNELS="email",
                          MTWATCH_WEBHOOK_URL=operator.url,
                          MTWATCH_WEBHOOK_SECRET=operator.secret)
        del env["MTWATCH_SMTP_SECURITY"]  # left at the default: starttls
        args = ["run", "--site", replica.base_url]
        first = run_cli([*args, "--since", "2023-01-01"], env, workdir)
        after_first = email_rows(workdir / "mtwatch.db")
        # then the runs cron makes (a repeated --since would walk every month's sitemap again,
        # 0.8 s CPU each here, for nothing this test looks at)
        second = run_cli(args, env, workdir)  # still broken: nothing new to tell
        notices = list(operator.effects.values())
        assert smtp.envelopes == []
        fixed = run_cli(args, {**env, "MTWATCH_SMTP_SECURITY": "none"}, workdir)
        after_fix = len(smtp.messages)
        again = run_cli(args, {**env, "MTWATCH_SMTP_SECURITY": "none"}, workdir)
        delivered = Counter(str(m.message["Message-ID"]) for m in smtp.messages)
    for done in (first, second, fixed, again):
        assert done.returncode == 0, done.stderr
    assert after_first == [("pending", 0)] * 39  # held: attempts not burnt, none dead
    assert email_rows(workdir / "mtwatch.db") == [("sent", 1)] * 39
    for held in (first, second):
        assert "run degraded" in held.stderr
        assert "alert channel email held" in held.stderr
        assert "set MTWATCH_SMTP_SECURITY=none for a local relay without TLS" in held.stderr
        assert "39 alert(s) waiting" in held.stderr
    [notice] = notices  # the operator is told once
    [item] = notice["data"]["items"]
    assert (item["event"], item["channel"]) == ("held", "email")
    assert "MTWATCH_SMTP_SECURITY=none" in item["about"]
    assert "degraded" not in fixed.stderr + again.stderr
    assert after_fix == 39
    assert delivered == Counter({message_id(alert_key(DEFAULT_SITE, TOPIC, str(p))): 1
                                 for p in positives})
    status = run_cli_here(["status", "--json"], env, workdir)
    assert json.loads(status.stdout)["held_channels"] == []


def dead_alerts(env: dict[str, str], smtp: SmtpServer, count: int) -> None:
    """``count`` e-mail alerts that died on a 550, as before channel holds existed."""
    with Store(env["MTWATCH_DB_URL"]) as store:
        for article_id in range(1, count + 1):
            add_match(store, article_id, ("email", "webhook"))
        with SmtpServer(default_reply="550 5.7.1 Rejected") as rejecting:
            assert deliver_due(store, {"email": email_channel(rejecting)}, now=T0).dead == count


def test_retry_all_sends_every_dead_alert_once_with_its_id(workdir: Path, smtp: SmtpServer) -> None:
    env = mtwatch_env(workdir, smtp)
    dead_alerts(env, smtp, 5)
    wrong = run_cli_here(["alerts", "retry", "--all", "--channel", "email", "--status", "sent"],
                         env, workdir)
    retried = run_cli_here(["alerts", "retry", "--all", "--status", "dead", "--channel", "email"],
                           env, workdir)
    nothing = run_cli_here(["alerts", "retry", "--all", "--status", "dead"], env, workdir)
    listed = run_cli_here(["alerts", "list", "--json"], env, workdir)
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert wrong.returncode == 2
    assert retried.returncode == 0, retried.stderr
    assert "retried 5 alert(s): 5 sent, 0 still waiting, 0 dead" in retried.stdout
    assert nothing.returncode == 0
    assert "nothing to retry" in nothing.stdout
    assert sorted(str(m.message["Message-ID"]) for m in smtp.messages) == sorted(
        message_id(alert_key(DEFAULT_SITE, TOPIC, str(a))) for a in range(1, 6))
    assert {(r["channel"], r["status"]) for r in rows} == {("email", "sent"),
                                                          ("webhook", "pending")}


def test_retry_all_reports_what_still_fails(workdir: Path) -> None:
    with SmtpServer() as smtp:
        env = mtwatch_env(workdir, smtp)
        dead_alerts(env, smtp, 3)
    env["MTWATCH_SMTP_SECURITY"] = "starttls"  # and the relay offers none: a held channel
    with SmtpServer() as smtp:
        env["MTWATCH_SMTP_PORT"] = str(smtp.port)
        done = run_cli_here(["alerts", "retry", "--all", "--channel", "email"], env, workdir)
        assert smtp.envelopes == []
    assert done.returncode == 1
    assert "retried 3 alert(s): 0 sent, 3 still waiting, 0 dead" in done.stdout
    assert "MTWATCH_SMTP_SECURITY=none" in done.stderr


@pytest.mark.parametrize(("args", "needle"), [
    (["alerts", "retry"], "give an alert ID or --all"),
    (["alerts", "retry", "3", "--all"], "give an alert ID or --all"),
    (["alerts", "retry", "3", "--status", "dead"], "--status and --channel go with --all"),
])
def test_retry_usage_errors_are_one_line(workdir: Path, args: list[str], needle: str) -> None:
    done = run_cli_here(args, mtwatch_env(workdir), workdir)
    assert done.returncode == 2
    assert needle in one_line_error(done.stderr)


@pytest.mark.e2e
def test_an_apprise_url_apprise_cannot_read_holds_the_channel_not_the_run(
    workdir: Path,
) -> None:
    pytest.importorskip("apprise")
    with Replica(articles=40, seed=11) as replica, WebhookReceiver(verify=False) as chat:
        positives = set(replica.truth["positives"])
        env = mtwatch_env(workdir, MTWATCH_ALERT_CHANNELS="apprise",
                          MTWATCH_APPRISE_URLS="notaservice://what")
        args = ["run", "--site", replica.base_url, "--since", "2023-01-01"]
        checked = run_cli_here(["check-config"], env, workdir)
        broken = run_cli(args, env, workdir)
        good = {**env, "MTWATCH_APPRISE_URLS": f"json://127.0.0.1:{chat.port}/chat"}
        fixed = run_cli(args, good, workdir)
        again = run_cli(args, good, workdir)
        messages = [d.json()["message"] for d in chat.deliveries]
    assert checked.returncode == 2
    assert "Apprise URL #1" in one_line_error(checked.stderr)
    assert broken.returncode == 0, broken.stderr  # the crawl ran and stored its matches
    assert "alert channel 'apprise' cannot be used: Apprise URL #1" in broken.stderr
    assert "run degraded" in broken.stderr
    assert "alert channel apprise held" in broken.stderr
    assert "fix MTWATCH_APPRISE_URLS" in broken.stderr
    assert fixed.returncode == 0
    assert again.returncode == 0
    assert "degraded" not in fixed.stderr
    keys = Counter(m.rstrip().rsplit("mtwatch id: ", 1)[1] for m in messages)
    assert keys == Counter({alert_key(DEFAULT_SITE, TOPIC, str(p)): 1 for p in positives})
