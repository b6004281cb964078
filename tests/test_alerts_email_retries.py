"""Bar row E2: SMTP 4xx for two simulated hours, 5xx dead-letter with an operator notice, and
every outbox row settled (sent or dead) within 72 simulated hours."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from pipelines.alerts import (
    DeliveryPlan,
    Notifier,
    RetryPolicy,
    deliver_due,
)
from pipelines.alerts.mail import message_id
from pipelines.storage import Store
from tests.helpers.alerts import T0, add_match, email_channel, webhook_channel
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import WebhookReceiver


class ClockedSmtp(SmtpServer):
    """An SMTP server whose reply to each DATA depends on the simulated clock."""

    def __init__(self, reply: Callable[[datetime], str]) -> None:
        super().__init__()
        self.clock = T0
        self.reply = reply
        self.attempt_times: list[datetime] = []

    def _next_reply(self) -> str:
        self.attempt_times.append(self.clock)
        return self.reply(self.clock)


def busy_for_two_hours(now: datetime) -> str:
    if now < T0 + timedelta(hours=2):
        return "421 4.7.0 Try again later" if now.minute % 2 else "451 4.3.0 Busy"
    return "250 OK"


def relay_at_due_times(store: Store, server: ClockedSmtp, notifiers: dict[str, Notifier],
                       policy: RetryPolicy, until: datetime) -> None:
    """Relay passes at the next due time, as the daemon's retry job would."""
    now = T0
    while now <= until:
        server.clock = now
        deliver_due(store, notifiers, now=now, policy=policy)
        pending = store.list_alerts(status="pending")
        if not pending:
            return
        now = min(a.next_attempt_at for a in pending)


def test_transient_replies_for_two_hours_then_delivered_once_on_schedule(store: Store) -> None:
    add_match(store)
    policy = RetryPolicy()  # the shipped schedule, ±20 % jitter
    with ClockedSmtp(busy_for_two_hours) as server:
        relay_at_due_times(store, server, {"email": email_channel(server)}, policy,
                           T0 + timedelta(hours=72))
        accepted = server.messages
        tried = server.attempt_times
        ids = {e.message["Message-ID"] for e in server.envelopes}
    assert len(accepted) == 1
    assert len(ids) == 1  # every attempt carried the same Message-ID
    assert tried[-1] >= T0 + timedelta(hours=2)
    gaps = [b - a for a, b in itertools.pairwise(tried)]
    for failures, gap in enumerate(gaps, 1):
        nominal = policy.nominal(failures)
        assert 0.8 * nominal <= gap <= 1.2 * nominal, (failures, gap, nominal)
    [sent] = store.list_alerts(status="sent")
    assert sent.attempts == len(tried) == 6  # 0, 30 s, 2 min, 8 min, 32 min, ~2 h 8 min


def test_several_alerts_through_an_outage_each_arrive_once(store: Store) -> None:
    for article_id in range(1, 6):
        add_match(store, article_id)
    with ClockedSmtp(busy_for_two_hours) as server:
        relay_at_due_times(store, server, {"email": email_channel(server)}, RetryPolicy(),
                           T0 + timedelta(hours=72))
        accepted = [e.message["Message-ID"] for e in server.messages]
    assert len(accepted) == len(set(accepted)) == 5
    assert len(store.list_alerts(status="sent")) == 5


def test_550_is_dead_with_one_operator_notice_and_retry_keeps_the_message_id(
    store: Store,
) -> None:
    add_match(store)
    with SmtpServer(data_replies=["550 5.7.1 Rejected by policy"]) as smtp, \
            WebhookReceiver() as operator:
        notifiers: dict[str, Notifier] = {"email": email_channel(smtp),
                                          "webhook": webhook_channel(operator)}
        plan = DeliveryPlan(operator=("webhook",))
        report = deliver_due(store, notifiers, now=T0, plan=plan)
        again = deliver_due(store, notifiers, now=T0 + timedelta(days=2), plan=plan)
        [notice] = operator.effects.values()
        [dead] = store.list_alerts(status="dead")
        from pipelines.alerts.replay import replay

        replayed = replay(store, notifiers, dead.id, now=T0 + timedelta(days=3))
        first, second = smtp.envelopes
    assert (report.dead, report.notices, again.sent, again.notices) == (1, 1, 0, 0)
    assert notice["type"] == "mtwatch.notice"
    [item] = notice["data"]["items"]
    assert (item["event"], item["alert_id"], item["channel"]) == ("dead", dead.id, "email")
    assert "550" in item["error"]
    assert replayed.status == "sent"
    assert first.message["Message-ID"] == second.message["Message-ID"] == message_id(
        dead.idempotency_key)
    assert second.accepted


def test_transient_failures_exhaust_into_dead_after_max_attempts(store: Store) -> None:
    add_match(store)
    policy = RetryPolicy(max_attempts=4)
    with ClockedSmtp(lambda _now: "421 4.7.0 Down") as server, WebhookReceiver() as operator:
        notifiers: dict[str, Notifier] = {"email": email_channel(server),
                                          "webhook": webhook_channel(operator)}
        now = T0
        for _ in range(6):
            server.clock = now
            deliver_due(store, notifiers, now=now, policy=policy,
                        plan=DeliveryPlan(operator=("webhook",)))
            pending = [a for a in store.list_alerts(status="pending") if a.channel == "email"]
            now = pending[0].next_attempt_at if pending else now + timedelta(hours=1)
        notices = operator.effects
    [dead] = store.list_alerts(status="dead")
    assert dead.attempts == 4
    assert len(notices) == 1


def test_every_row_is_sent_or_dead_within_72_simulated_hours(store: Store) -> None:
    rng = random.Random(72)
    for article_id in range(1, 21):
        add_match(store, article_id)
    replies = ["250 OK", "421 4.7.0 Busy", "451 4.3.0 Later", "550 5.7.1 No", "452 4.2.2 Full"]
    weights = [3, 3, 2, 1, 1]
    with ClockedSmtp(lambda _now: rng.choices(replies, weights)[0]) as server:
        now = T0
        while now <= T0 + timedelta(hours=72):  # the daemon's retry job, every 30 minutes
            server.clock = now
            deliver_due(store, {"email": email_channel(server)}, now=now)
            now += timedelta(minutes=30)
        accepted = [e.message["Message-ID"] for e in server.messages]
    statuses = [a.status for a in store.list_alerts()]
    assert set(statuses) <= {"sent", "dead"}
    assert statuses.count("sent") == len(accepted) == len(set(accepted))
