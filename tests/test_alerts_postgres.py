"""The alert outbox's 0.2 features on PostgreSQL too: updates, digests, notices, channels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipelines.alerts import DeliveryError, DeliveryPlan, DigestSchedule, Notifier, deliver_due
from pipelines.storage import MatchRecord, Store
from tests.helpers.alerts import T0, RecordingNotifier, add_match
from tests.helpers.keys import default_key


def test_an_evidence_edit_queues_one_update_per_channel(store: Store) -> None:
    add_match(store, 1, ("email", "webhook"))
    article = store.get_article(1)
    assert article is not None
    from dataclasses import replace

    store.upsert_article(replace(article, text="Turkey and Syria signed a treaty.",
                                 html_sha256="h2"))
    edited = MatchRecord(article_id=1, topic="syria-turkey", rule_version="1", rule="core",
                         grade="development", matched_at=T0,
                         evidence=[{"field": "body", "sentence": "Turkey and Syria signed a "
                                    "treaty.", "terms": ["Turkey", "Syria"]}])
    for _ in range(3):
        assert store.record_match(edited, ("email", "webhook")) is False
    updates = [a for a in store.outbox_rows() if a.kind == "update"]
    assert sorted(a.channel for a in updates) == ["email", "webhook"]
    assert all(a.refers_to == default_key("syria-turkey", 1) for a in updates)


def test_digest_notice_and_disabled_channel(store: Store) -> None:
    for article_id in (1, 2):
        add_match(store, article_id, ("email", "webhook"))
    gone_error = DeliveryError("410 Gone", transient=False, disable=True)
    email, gone = RecordingNotifier(), RecordingNotifier(gone_error)
    daily = DigestSchedule.from_settings("daily", "00:00", "UTC")
    plan = DeliveryPlan(digests={"email": daily}, operator=("email",))
    notifiers: dict[str, Notifier] = {"email": email, "webhook": gone}
    # rows are stamped with the wall clock: the digest period must end after them
    deliver_due(store, notifiers, now=datetime.now(UTC) + timedelta(days=1), plan=plan)
    kinds = sorted(a.kind for a in store.outbox_rows(channel="email"))
    assert kinds == ["alert", "alert", "digest", "notice"]
    assert [p.get("kind") for p in email.payloads] == ["digest", "notice"]
    assert list(store.disabled_channels()) == ["webhook"]
    assert {a.status for a in store.outbox_rows(channel="email")} == {"sent"}
    assert store.enable_channel("webhook")


def test_claims_of_a_dead_local_relay_are_released(store: Store) -> None:
    add_match(store, 1, ("webhook",))
    [row] = store.due_alerts(now=T0)
    assert store.claim_alert(row.id, now=T0, lease=timedelta(minutes=5))
    assert store.release_dead_claims(now=T0) == 0  # we are alive
    assert store.retry_alert(row.id, now=T0) is False  # 'sending' is neither dead nor pending
