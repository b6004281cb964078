"""A later report of a story on each channel: an e-mail reply threaded under the story's first
alert ("Re: …, also reported by <site>"), a webhook ``mtwatch.update`` event with the story id,
one short Apprise line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipelines.alerts.compose import compose
from pipelines.alerts.mail import EmailNotifier, message_id
from pipelines.alerts.webhook import envelope
from tests.helpers.alerts import KEY, plain_smtp, sample_payload

FIRST = "fedcba9876543210fedcba9876543210fedcba98"
FIRST_HEADLINE = "Turkey to send technical team to Damascus"


def story_update(**changes: Any) -> dict[str, Any]:
    """What ``pipelines.alerts.policy.story_payload`` makes of a wire copy on another site."""
    return sample_payload(**{
        "kind": "update", "refers_to": FIRST, "site": "capital-tribune",
        "headline": "Turkish team heads to Damascus | Capital Tribune",
        "url": "https://tribune.example/turkey-team", "also_reported_by": "capital-tribune",
        "story_id": "7",
        "story": {"id": "7", "site": "wire", "url": "https://wire.example/a1",
                  "headline": FIRST_HEADLINE, "published": "2024-05-14T06:00:00+00:00"},
        **changes})  # fmt: skip


def test_the_mail_is_a_reply_to_the_first_alert() -> None:
    message = EmailNotifier(plain_smtp(25)).build_message(story_update(), KEY)
    assert message["Message-ID"] == message_id(KEY)
    assert message["In-Reply-To"] == message_id(FIRST)
    assert message["References"] == message_id(FIRST)
    subject = str(message["Subject"])
    assert subject.startswith(f"Re: [mtwatch] wire · Syria–Turkey normalization: {FIRST_HEADLINE}")
    assert subject.endswith("— also reported by capital-tribune")
    text = message.get_body(("plain",))
    assert text is not None
    body = text.get_content()
    assert "ALSO REPORTED BY capital-tribune" in body
    assert "First report: https://wire.example/a1" in body
    assert "Story:      7" in body
    html = message.get_body(("html",))
    assert html is not None
    assert "Also reported by capital-tribune" in html.get_content()


def test_a_long_first_headline_keeps_the_also_reported_part() -> None:
    composed = compose(story_update(story={"id": "7", "site": "wire", "headline": "x " * 300}))
    assert composed.subject.endswith("— also reported by capital-tribune")
    assert len(composed.subject) <= 200


def test_an_edit_update_is_still_an_edit() -> None:
    composed = compose(sample_payload(kind="update", refers_to=FIRST))
    assert "also reported" not in composed.subject
    assert not composed.short
    assert "UPDATED: the article was edited" in composed.text


def test_the_webhook_event_is_an_update_with_the_story_id() -> None:
    document = json.loads(envelope(story_update(), KEY))
    assert document["type"] == "mtwatch.update"
    assert document["id"] == KEY
    assert document["data"]["story_id"] == "7"
    assert document["data"]["refers_to"] == FIRST
    assert document["data"]["also_reported_by"] == "capital-tribune"


def test_apprise_gets_one_short_line() -> None:
    pytest.importorskip("apprise")
    from pipelines.alerts.chat import AppriseNotifier
    from tests.helpers.webhook import WebhookReceiver

    with WebhookReceiver(verify=False) as receiver:
        AppriseNotifier([f"json://127.0.0.1:{receiver.port}/hook"]).send(
            story_update(), idempotency_key=KEY)
        [delivery] = receiver.deliveries
    message = delivery.json()["message"]
    first, *rest = message.strip().splitlines()
    assert first.startswith("Also reported by capital-tribune: Turkish team heads to Damascus")
    assert FIRST_HEADLINE in first
    assert rest[-1] == f"mtwatch id: {KEY}"
    assert "Evidence" not in message
