"""kill -9 of the crawl at random points, then a clean run: every planted positive is alerted
exactly once per channel (a redelivery of the same key only for a kill inside the send window);
and an SMTP outage for a whole run loses nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from crawler.launcher import CrawlOptions, crawl_command
from pipelines.alerts.mail import message_id
from pipelines.alerts.policy import alert_key
from pipelines.alerts.trace import KILL_ENV, TRACE_ENV
from pipelines.storage.records import DEFAULT_SITE
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.ops import NOTICE_SUBJECT
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import WebhookReceiver
from tests.replica import ANCHOR, Replica

pytestmark = pytest.mark.e2e
TOPIC = "syria-turkey"
HOOK_POINTS = ("claimed", "sent", "marked")


@dataclass
class Outcome:
    """What the trials did, for the assertions and the closing figures."""

    kills: int = 0
    by_hook: int = 0
    #: kills inside the send window (claimed or sent, not yet marked), per channel
    in_window: Counter[str] = field(default_factory=Counter)
    integrity: list[str] = field(default_factory=list)


def channels_config(workdir: Path) -> None:
    config = workdir / "fast.toml"
    config.write_text(config.read_text() +
                      '\n[alerts.webhook]\nallow_internal = ["127.0.0.1"]\ntimeout = 5\n')


def trial_env(workdir: Path, smtp: SmtpServer, receiver: WebhookReceiver) -> dict[str, str]:
    channels_config(workdir)
    return mtwatch_env(workdir, smtp, MTWATCH_ALERT_CHANNELS="email,webhook",
                       MTWATCH_WEBHOOK_URL=receiver.url,
                       MTWATCH_WEBHOOK_SECRET=receiver.secret,
                       **{TRACE_ENV: str(workdir / "relay.trace")})


def crawl(env: dict[str, str], site: str, workdir: Path, *, kill_at: str | None = None,
          kill_after: float | None = None) -> tuple[bool, float]:
    """One crawl child, exactly as `mtwatch run` starts it: (died by SIGKILL, seconds)."""
    options = CrawlOptions(site=site, db_url=env["MTWATCH_DB_URL"], since=date(2023, 1, 1),
                           log_file=workdir / "crawl.log", trigger="crash-test")
    child_env = {**env, KILL_ENV: kill_at} if kill_at else env
    started = time.monotonic()
    proc = subprocess.Popen(crawl_command(options, workdir / "verdict.json"), env=child_env,
                            cwd=workdir, start_new_session=True, stdin=subprocess.DEVNULL)
    try:
        proc.wait(timeout=kill_after if kill_after is not None else 300)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    return proc.returncode == -signal.SIGKILL, time.monotonic() - started


def window_kills(trace: Path, lines_before: int) -> Counter[str]:
    """Channels with an attempt in flight when the run was killed: claimed (the request may
    already have reached the receiver) or sent, but never marked."""
    lines = trace.read_text().splitlines()[lines_before:] if trace.exists() else []
    in_flight: dict[tuple[str, str], str] = {}
    for line in lines:
        _pid, event, channel, key = line.split()
        if event in ("claimed", "sent"):
            in_flight[(channel, key)] = event
        else:  # marked or failed: the outcome is recorded
            in_flight.pop((channel, key), None)
    return Counter(channel for channel, _key in in_flight)


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def schedule(replica: Replica, trials: int) -> list[datetime]:
    """Site clocks that reveal the planted positives a few at a time, one clock per trial."""
    positives = sorted(a.published for a in replica.site.all_articles if a.positive)
    cuts = [positives[min(len(positives) - 1, (i + 1) * len(positives) // trials)]
            for i in range(trials - 1)]
    return [*(c - timedelta(minutes=1) for c in cuts), ANCHOR]


def run_trials(replica: Replica, env: dict[str, str], workdir: Path, trials: int,
               seed: int) -> Outcome:  # fmt: skip
    rng = random.Random(seed)
    outcome = Outcome()
    trace = workdir / "relay.trace"
    full_runs = [4.0]  # how long an unkilled crawl takes here, learnt as the trials go
    for index, clock in enumerate(schedule(replica, trials)):
        replica.site.set_now(clock)
        replica.server.invalidate()
        before = len(trace.read_text().splitlines()) if trace.exists() else 0
        # alternate: a relay step chosen at random, or a uniformly random time in the run
        hooked = index % 2 == 0
        point = f"{rng.choice(HOOK_POINTS)}:{rng.randint(1, 2)}" if hooked else None
        after = None if hooked else rng.uniform(0.05, 1.0) * statistics.median(full_runs)
        killed, seconds = crawl(env, replica.base_url, workdir, kill_at=point, kill_after=after)
        if killed:
            outcome.kills += 1
            outcome.by_hook += hooked
            outcome.in_window += window_kills(trace, before)
        else:
            full_runs.append(seconds)
        outcome.integrity.append(integrity(workdir / "mtwatch.db"))
    replica.site.set_now(ANCHOR)
    replica.server.invalidate()
    assert not crawl(env, replica.base_url, workdir)[0], "the clean run must finish"
    return outcome


def check_exactly_once(replica: Replica, smtp: SmtpServer, receiver: WebhookReceiver,
                       workdir: Path, outcome: Outcome) -> dict[str, object]:  # fmt: skip
    positives = {a.id for a in replica.site.all_articles if a.positive}
    with sqlite3.connect(workdir / "mtwatch.db") as conn:
        matched = {row[0] for row in conn.execute("SELECT article_id FROM matches")}
    assert matched == positives, f"lost: {positives - matched}, extra: {matched - positives}"
    keys = {alert_key(DEFAULT_SITE, TOPIC, str(p)) for p in positives}
    mails = Counter(str(m.message["Message-ID"]) for m in smtp.messages  # alerts, not notices
                    if not str(m.message["Subject"]).startswith(NOTICE_SUBJECT))
    assert set(mails) == {message_id(k) for k in keys}  # one event per positive, no other
    hooks = Counter(str(d.webhook_id) for d in receiver.deliveries if d.accepted)
    assert set(hooks) == keys
    assert set(receiver.effects) == keys  # the deduping receiver acted once per positive
    mail_again, hook_again = sum(mails.values()) - len(mails), sum(hooks.values()) - len(hooks)
    assert mail_again <= outcome.in_window["email"]
    assert hook_again <= outcome.in_window["webhook"]
    assert set(outcome.integrity) == {"ok"}
    return {"positives": len(positives), "kills": outcome.kills, "hook kills": outcome.by_hook,
            "send-window kills": dict(outcome.in_window), "email redeliveries": mail_again,
            "webhook redeliveries": hook_again}


@pytest.fixture
def harness(workdir: Path) -> Iterator[tuple[SmtpServer, WebhookReceiver, dict[str, str]]]:
    with SmtpServer() as smtp, WebhookReceiver() as receiver:
        yield smtp, receiver, trial_env(workdir, smtp, receiver)


def trials_figures(request: pytest.FixtureRequest, figures: dict[str, object]) -> None:
    print(f"\n{request.node.name}: {json.dumps(figures)}")


def test_three_kills_then_a_clean_run_alert_each_positive_once(
    harness: tuple[SmtpServer, WebhookReceiver, dict[str, str]], workdir: Path,
    request: pytest.FixtureRequest,
) -> None:
    """Three crawl children (two killed at a relay step, one at a random moment) and a clean
    run: 20-55 s here."""
    smtp, receiver, env = harness
    with Replica(articles=60, seed=11) as replica:
        outcome = run_trials(replica, env, workdir, trials=3, seed=3)
        figures = check_exactly_once(replica, smtp, receiver, workdir, outcome)
    assert outcome.kills >= 2  # both relay-step kills fire: each trial has alerts to send
    trials_figures(request, figures)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_twelve_kills_then_a_clean_run_alert_each_positive_once(
    harness: tuple[SmtpServer, WebhookReceiver, dict[str, str]], workdir: Path,
    request: pytest.FixtureRequest, seed: int,
) -> None:
    smtp, receiver, env = harness
    with Replica(articles=150, seed=20 + seed) as replica:
        outcome = run_trials(replica, env, workdir, trials=12, seed=seed)
        figures = check_exactly_once(replica, smtp, receiver, workdir, outcome)
    assert outcome.kills >= 8
    trials_figures(request, figures)


CANARY = "canary-smtp-Pw-4242"


def test_smtp_down_for_a_whole_run_stores_everything_and_the_next_run_delivers(
    workdir: Path,
) -> None:
    """Two full runs of 60 articles (one with the SMTP port refusing): 20-65 s here."""
    with Replica(articles=60, seed=11) as replica:
        positives = set(replica.truth["positives"])
        with SmtpServer(tls="starttls", auth={"mt": CANARY}) as smtp:
            port = smtp.port
            assert smtp.ca is not None
            (workdir / "ca.pem").write_text(smtp.ca.ca_pem)
        env = mtwatch_env(workdir, MTWATCH_SMTP_HOST="localhost", MTWATCH_SMTP_PORT=str(port),
                          MTWATCH_SMTP_USER="mt", MTWATCH_SMTP_PASSWORD=CANARY,
                          MTWATCH_EMAIL_FROM="mtwatch@test.invalid",
                          MTWATCH_EMAIL_TO="desk@test.invalid",
                          SSL_CERT_FILE=str(workdir / "ca.pem"))
        args = ["run", "--site", replica.base_url, "--since", "2023-01-01"]
        with socket.socket() as held:  # the port stays ours, bound but not listening: refused
            held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            held.bind(("127.0.0.1", port))
            down = run_cli(args, env, workdir)
        with sqlite3.connect(workdir / "mtwatch.db") as conn:
            stored = {row[0] for row in conn.execute("SELECT article_id FROM matches")}
        with SmtpServer(tls="starttls", auth={"mt": CANARY}) as smtp:
            (workdir / "ca.pem").write_text(smtp.ca.ca_pem if smtp.ca else "")
            back = run_cli(args, {**env, "MTWATCH_SMTP_PORT": str(smtp.port)}, workdir)
            delivered = Counter(str(m.message["Message-ID"]) for m in smtp.messages)
    assert down.returncode == 0, down.stderr
    assert f"degraded: {len(positives)} alert(s) not delivered" in down.stderr
    assert stored == positives
    assert back.returncode == 0, back.stderr
    assert "degraded" not in back.stderr
    assert delivered == Counter({message_id(alert_key(DEFAULT_SITE, TOPIC, str(p))): 1
                                 for p in positives})
    logs = [p.read_text(errors="replace") for p in (workdir / "data").rglob("*.log")]
    assert logs, "the runs write their log under the data directory"
    for text in [*logs, down.stdout, down.stderr, back.stdout, back.stderr]:
        assert CANARY not in text
