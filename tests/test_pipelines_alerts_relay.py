"""Tests for deliver_due: outbox → SMTP with retries, dead-letter and no duplicate sends."""

from __future__ import annotations

import logging
import os
import random
from datetime import timedelta

import pytest

from pipelines.alerts import (
    DeliveryError,
    EmailNotifier,
    Notifier,
    RetryPolicy,
    SmtpSettings,
    deliver_due,
)
from pipelines.alerts.policy import alert_key
from pipelines.storage import DEFAULT_SITE, Store
from tests.helpers.alerts import T0, RecordingNotifier, add_match
from tests.helpers.smtp import SmtpServer

RECIPIENTS = ("desk@test.invalid", "analyst@test.invalid")
NO_JITTER = RetryPolicy(jitter=0)


def email_notifier(server: SmtpServer) -> dict[str, Notifier]:
    configured = SmtpSettings(host="127.0.0.1", port=server.port, sender="mtwatch@test.invalid",
                              recipients=RECIPIENTS, security="none", timeout=5)  # fmt: skip
    return {"email": EmailNotifier(configured)}


def test_due_alert_is_sent_once_with_its_key(store: Store) -> None:
    add_match(store)
    with SmtpServer() as server:
        first = deliver_due(store, email_notifier(server), now=T0)
        second = deliver_due(store, email_notifier(server), now=T0 + timedelta(hours=1))
        delivered = server.messages
    assert (first.sent, first.failed, first.dead, first.errors) == (1, 0, 0, [])
    assert second.sent == 0
    assert len(delivered) == 1
    key = alert_key(DEFAULT_SITE, "syria-turkey", "1")
    assert delivered[0].message["Message-ID"] == f"<{key}@mtwatch.local>"
    assert delivered[0].rcpt_tos == list(RECIPIENTS)
    [row] = store.list_alerts(status="sent")
    assert row.sent_at == T0


def test_451_is_retried_later_then_sent(store: Store) -> None:
    add_match(store)
    with SmtpServer(data_replies=["451 4.3.0 Try again later"]) as server:
        first = deliver_due(store, email_notifier(server), now=T0, policy=NO_JITTER)
        [pending] = store.list_alerts(status="pending")
        too_early = deliver_due(store, email_notifier(server), now=T0 + timedelta(seconds=29))
        retry = deliver_due(store, email_notifier(server), now=pending.next_attempt_at)
        assert len(server.envelopes) == 2
        assert len(server.messages) == 1
    assert (first.sent, first.failed, first.dead) == (0, 1, 0)
    assert pending.next_attempt_at == T0 + timedelta(seconds=30)
    assert pending.attempts == 1
    assert pending.last_error is not None
    assert "451" in pending.last_error
    assert too_early.sent == 0
    assert retry.sent == 1
    assert store.list_alerts(status="sent")[0].attempts == 2


def test_550_goes_straight_to_dead(store: Store) -> None:
    add_match(store)
    with SmtpServer(default_reply="550 5.7.1 Rejected") as server:
        report = deliver_due(store, email_notifier(server), now=T0)
        again = deliver_due(store, email_notifier(server), now=T0 + timedelta(days=3))
        assert len(server.envelopes) == 1
    assert (report.sent, report.failed, report.dead) == (0, 0, 1)
    assert "550" in report.errors[0]
    assert again.dead == 0
    [dead] = store.list_alerts(status="dead")
    assert dead.last_error is not None
    assert "550" in dead.last_error


def test_transient_failures_exhaust_into_dead(store: Store) -> None:
    add_match(store)
    policy = RetryPolicy(max_attempts=3, jitter=0)
    with SmtpServer(default_reply="421 4.7.0 Busy") as server:
        now = T0
        reports = []
        for _ in range(3):
            reports.append(deliver_due(store, email_notifier(server), now=now, policy=policy))
            pending = store.list_alerts(status="pending")
            now = pending[0].next_attempt_at if pending else now
    assert [(r.failed, r.dead) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    [dead] = store.list_alerts(status="dead")
    assert dead.attempts == 3


def test_channels_without_a_notifier_stay_pending_and_are_reported_once(store: Store) -> None:
    add_match(store, 1, ("email", "webhook"))
    add_match(store, 2, ("email", "webhook"))
    webhook = RecordingNotifier()
    report = deliver_due(store, {"webhook": webhook}, now=T0)
    assert report.sent == 2
    assert len(webhook.calls) == 2
    assert report.errors == ["no notifier for channel 'email': 2 alert(s) left pending"]
    assert [a.channel for a in store.list_alerts(status="pending")] == ["email", "email"]


def test_a_crashing_notifier_is_retried_not_fatal(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    add_match(store, 1, ("webhook",))
    caplog.set_level(logging.ERROR)
    report = deliver_due(store, {"webhook": RecordingNotifier(KeyError("bug"))}, now=T0)
    assert (report.sent, report.failed) == (0, 1)
    assert "crashed" in caplog.text


def test_claimed_alert_is_not_sent_by_a_second_relay(store: Store) -> None:
    add_match(store, 1, ("webhook",))
    [row] = store.due_alerts(now=T0)
    assert store.claim_alert(row.id, now=T0, lease=timedelta(minutes=5))
    webhook = RecordingNotifier()
    assert deliver_due(store, {"webhook": webhook}, now=T0 + timedelta(minutes=1)).sent == 0
    # the first relay died mid-send: after the lease the same key is redelivered once
    assert deliver_due(store, {"webhook": webhook}, now=T0 + timedelta(minutes=6)).sent == 1
    assert webhook.calls == [row.idempotency_key]


def test_permanent_delivery_error_from_any_channel_is_dead(store: Store) -> None:
    add_match(store, 1, ("webhook",))
    error = DeliveryError("410 Gone", transient=False)
    report = deliver_due(store, {"webhook": RecordingNotifier(error)}, now=T0)
    assert report.dead == 1
    assert store.list_alerts(status="dead")[0].last_error == "410 Gone"


def test_retry_policy_backs_off_exponentially_with_a_cap_and_jitter() -> None:
    delays = [NO_JITTER.delay(n) for n in range(1, 9)]
    assert delays[:3] == [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8)]
    assert delays[-1] == timedelta(hours=24)
    assert delays == sorted(delays)
    jittered = RetryPolicy()  # the default: ±20 %
    rng = random.Random(5)
    spreads = [jittered.delay(n, rng) / delays[n - 1] for n in range(1, 9) for _ in range(50)]
    assert all(0.8 <= s <= 1.2 for s in spreads)
    assert min(spreads) < 0.9  # jitter goes both ways
    assert max(spreads) > 1.1
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_the_password_never_reaches_logs_errors_or_the_store(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    password = "pw-must-stay-secret"
    add_match(store)
    caplog.set_level(logging.DEBUG)
    with SmtpServer(auth={"mt": password}, auth_require_tls=False) as server:
        configured = SmtpSettings(host="127.0.0.1", port=server.port, sender="m@test.invalid",
                                  recipients=RECIPIENTS, user="mt", password=password)  # fmt: skip
        notifiers: dict[str, Notifier] = {"email": EmailNotifier(configured)}
        report = deliver_due(store, notifiers, now=T0)
        assert server.auth_attempts == []
    # no STARTTLS: the channel is held (the alert waits), never a login in the clear
    assert (report.dead, report.held) == (0, 1)
    seen = [caplog.text, repr(report), repr(configured), repr(notifiers)]
    seen += [repr(h) for h in store.channel_holds().values()]
    seen += [repr(a) for a in store.list_alerts()]
    assert not [text for text in seen if password in text]


def test_a_claim_left_by_a_killed_relay_is_released_at_once(store: Store) -> None:
    import subprocess
    import sys

    from pipelines.storage.outbox import HOST
    from pipelines.storage.schema import alert_outbox
    from tests.helpers.rows import writing

    for article_id in (1, 2, 3):
        add_match(store, article_id, ("webhook",))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    claimers = [f"{HOST}:{dead}", f"{HOST}:{os.getpid()}", f"other-host:{dead}"]
    for row, claimer in zip(store.due_alerts(now=T0), claimers, strict=True):
        assert store.claim_alert(row.id, now=T0, lease=timedelta(minutes=5))
        with writing(store) as conn:
            conn.execute(alert_outbox.update().where(alert_outbox.c.id == row.id)
                         .values(claimed_by=claimer))
    webhook = RecordingNotifier()
    report = deliver_due(store, {"webhook": webhook}, now=T0 + timedelta(seconds=10))
    assert report.sent == 1  # only the dead local holder's claim; the others wait for the lease
    assert webhook.calls == [alert_key(DEFAULT_SITE, "syria-turkey", "1")]
    later = deliver_due(store, {"webhook": webhook}, now=T0 + timedelta(minutes=6))
    assert later.sent == 2


def test_when_a_channel_recovers_its_backed_off_alerts_go_at_once(store: Store) -> None:
    for article_id in (1, 2, 3):
        add_match(store, article_id)
    with SmtpServer(data_replies=["421 4.7.0 Down"]) as server:
        down = deliver_due(store, email_notifier(server), now=T0)
        assert (down.failed, down.deferred) == (1, 2)
        back = deliver_due(store, email_notifier(server), now=T0 + timedelta(seconds=5))
        assert len(server.messages) == 3
    assert back.sent == 3  # the two deferred ones, then the one still in its 30 s backoff
    assert {a.status for a in store.list_alerts()} == {"sent"}


def test_alerts_dying_together_make_one_operator_message(store: Store) -> None:
    from pipelines.alerts import DeliveryPlan

    for article_id in (1, 2, 3):
        add_match(store, article_id)
    operator = RecordingNotifier()
    with SmtpServer(default_reply="550 5.7.1 No") as server:
        notifiers: dict[str, Notifier] = {**email_notifier(server), "webhook": operator}
        report = deliver_due(store, notifiers, now=T0, plan=DeliveryPlan(operator=("webhook",)))
    assert (report.dead, report.notices) == (3, 3)
    assert len(operator.calls) == 1
    assert len(operator.payloads[0]["items"]) == 3
    assert {a.status for a in store.list_alerts() if a.channel == "webhook"} == {"sent"}


def test_a_notice_that_fails_never_makes_another_notice(store: Store) -> None:
    from pipelines.alerts import DeliveryPlan

    add_match(store)
    failing = RecordingNotifier(DeliveryError("403 Forbidden", transient=False))
    with SmtpServer(default_reply="550 5.7.1 No") as server:
        notifiers: dict[str, Notifier] = {**email_notifier(server), "webhook": failing}
        plan = DeliveryPlan(operator=("webhook", "email"))
        deliver_due(store, notifiers, now=T0, plan=plan)
        deliver_due(store, notifiers, now=T0 + timedelta(hours=1), plan=plan)
    kinds = sorted((a.kind, a.channel, a.status) for a in store.outbox_rows())
    assert kinds == [("alert", "email", "dead"), ("notice", "webhook", "dead")]
