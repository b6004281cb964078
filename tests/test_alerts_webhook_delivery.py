"""Bar row E3: webhook 500 / timeout / 429 + Retry-After / 301 / 410 through the outbox relay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from pipelines.alerts import (
    DeliveryPlan,
    Notifier,
    RetryPolicy,
    deliver_due,
)
from pipelines.storage import Store
from tests.helpers.alerts import T0, add_match, email_channel, webhook_channel
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import Reply, WebhookReceiver

NO_JITTER = RetryPolicy(jitter=0)
OPERATOR = DeliveryPlan(operator=("email",))


def run_until_settled(store: Store, notifiers: dict[str, Notifier], *, passes: int = 10,
                      plan: DeliveryPlan | None = None) -> list[str]:
    """Relay passes at each pending alert's due time (a simulated clock); the errors seen."""
    now, errors = T0, []
    for _ in range(passes):
        report = deliver_due(store, notifiers, now=now, policy=NO_JITTER, plan=plan)
        errors += report.errors
        pending = [a for a in store.list_alerts(status="pending") if a.channel == "webhook"]
        if not pending:
            break
        now = min(a.next_attempt_at for a in pending)
    return errors


def test_500_is_retried_with_the_same_webhook_id(store: Store) -> None:
    add_match(store, 1, ("webhook",))
    with WebhookReceiver(replies=(500, 503, 502)) as receiver:
        errors = run_until_settled(store, {"webhook": webhook_channel(receiver)})
        deliveries = receiver.deliveries
        effects = receiver.effects
    assert [d.status for d in deliveries] == [500, 503, 502, 204]
    assert len({d.webhook_id for d in deliveries}) == 1
    assert len(effects) == 1
    assert all(d.verified for d in deliveries)
    assert len(errors) == 3
    [sent] = store.list_alerts(status="sent")
    assert sent.attempts == 4


def test_a_receiver_slower_than_the_timeout_is_retried(store: Store) -> None:
    """The first answer never comes in time (held until the receiver stops); the retry, due
    later, gets an immediate one (with a generous timeout, so a busy machine cannot miss it)."""
    add_match(store, 1, ("webhook",))
    with WebhookReceiver(replies=(Reply(delay=600),)) as receiver:
        first = deliver_due(store, {"webhook": webhook_channel(receiver, timeout=0.5)}, now=T0,
                            policy=NO_JITTER)
        [pending] = store.list_alerts(status="pending")
        retry = deliver_due(store, {"webhook": webhook_channel(receiver, timeout=60)},
                            now=pending.next_attempt_at, policy=NO_JITTER)
        deliveries = receiver.deliveries
    errors = first.errors + retry.errors
    assert len(errors) == 1
    assert "timed out after 0.5 s" in errors[0]
    assert len(deliveries) == 2
    assert deliveries[0].webhook_id == deliveries[1].webhook_id
    assert store.list_alerts(status="sent")


@pytest.mark.parametrize("header", ["120", "http-date"])
def test_429_waits_for_retry_after(store: Store, header: str) -> None:
    add_match(store, 1, ("webhook",))
    # an HTTP date counts from the receiver's real clock; the relay's clock is simulated
    value = "120" if header == "120" else format_datetime(
        datetime.now(UTC) + timedelta(seconds=121), usegmt=True)
    with WebhookReceiver(replies=(Reply(429, {"Retry-After": value}),)) as receiver:
        hook = webhook_channel(receiver)
        deliver_due(store, {"webhook": hook}, now=T0, policy=NO_JITTER)
        [pending] = store.list_alerts(status="pending")
        early = deliver_due(store, {"webhook": hook}, now=T0 + timedelta(seconds=118))
        on_time = deliver_due(store, {"webhook": hook}, now=pending.next_attempt_at)
        deliveries = receiver.deliveries
    waited = pending.next_attempt_at - T0
    assert timedelta(seconds=119) <= waited <= timedelta(seconds=121)  # not the 30 s backoff
    assert (early.sent, on_time.sent) == (0, 1)
    assert [d.status for d in deliveries] == [429, 204]
    assert deliveries[0].webhook_id == deliveries[1].webhook_id


def test_301_is_a_failure_never_followed_and_the_operator_hears_of_it(store: Store) -> None:
    add_match(store, 1, ("webhook",))
    with WebhookReceiver() as canary, WebhookReceiver() as receiver, SmtpServer() as smtp:
        receiver.set_default(Reply(301, {"Location": canary.url}))
        notifiers: dict[str, Notifier] = {"webhook": webhook_channel(receiver),
                                          "email": email_channel(smtp)}
        report = deliver_due(store, notifiers, now=T0, plan=OPERATOR)
        later = deliver_due(store, notifiers, now=T0 + timedelta(days=3), plan=OPERATOR)
        assert canary.deliveries == []
        assert len(receiver.deliveries) == 1
        [notice] = smtp.messages
    assert (report.dead, report.notices, later.sent, later.dead) == (1, 1, 0, 0)
    [dead] = store.list_alerts(status="dead")
    assert dead.last_error is not None
    assert "301" in dead.last_error
    assert "never followed" in dead.last_error
    assert "webhook alert" in str(notice.message["Subject"])
    body = notice.message.get_body(("plain",))
    assert body is not None
    assert "Turkey and Syria talk 1" in body.get_content()


def test_410_disables_the_endpoint_and_tells_the_operator_once(store: Store) -> None:
    for article_id in (1, 2, 3):
        add_match(store, article_id, ("webhook",))
    with WebhookReceiver(default=410) as receiver, SmtpServer() as smtp:
        notifiers: dict[str, Notifier] = {"webhook": webhook_channel(receiver),
                                          "email": email_channel(smtp)}
        first = deliver_due(store, notifiers, now=T0, plan=OPERATOR)
        held = deliver_due(store, notifiers, now=T0 + timedelta(hours=1), plan=OPERATOR)
        assert len(receiver.deliveries) == 1  # disabled: no more requests
        assert len(smtp.messages) == 1
        receiver.set_default(204)
        assert store.enable_channel("webhook")
        resumed = deliver_due(store, notifiers, now=T0 + timedelta(hours=2), plan=OPERATOR)
        deliveries = receiver.deliveries
        notice = smtp.messages[0].message
    assert (first.held, first.deferred, first.dead, first.notices) == (1, 2, 0, 1)
    assert held.held == 3
    assert any("disabled" in e and "mtwatch alerts enable webhook" in e for e in held.errors)
    assert "webhook channel disabled" in str(notice["Subject"])
    assert resumed.sent == 3
    assert [a.channel for a in store.list_alerts(status="sent")].count("webhook") == 3
    ids = [d.webhook_id for d in deliveries]
    assert ids[0] == ids[1]  # the alert that met the 410 went out later with the same id
    assert len(set(ids)) == 3


def test_a_recovered_channel_still_waits_out_retry_after(store: Store) -> None:
    add_match(store, 1, ("webhook",))
    with WebhookReceiver(replies=(Reply(429, {"Retry-After": "600"}),)) as receiver:
        hook = webhook_channel(receiver)
        deliver_due(store, {"webhook": hook}, now=T0)
        add_match(store, 2, ("webhook",))
        deliver_due(store, {"webhook": hook}, now=T0 + timedelta(seconds=60))
        assert len(receiver.deliveries) == 2  # alert 2 only: alert 1 waits its 600 s
        deliver_due(store, {"webhook": hook}, now=T0 + timedelta(seconds=600))
        assert len(receiver.effects) == 2
