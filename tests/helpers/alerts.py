"""Alert tests' common parts: a stored match with its outbox rows, notifiers aimed at the
loopback SMTP server and webhook receiver, a notifier that only records, and a sample alert
payload with plain SMTP settings for rendering checks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pipelines.alerts import EmailNotifier, SmtpSettings, WebhookNotifier, WebhookSettings
from pipelines.storage import ArticleRecord, MatchRecord, Store
from tests.helpers.ops import distinct_text
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import WebhookReceiver

#: the moment the sample matches are found (alert tests run on a simulated clock from here)
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
#: the idempotency key of payloads sent by hand
KEY = "0123456789abcdef0123456789abcdef01234567"


def add_match(store: Store, article_id: int = 1, channels: tuple[str, ...] = ("email",)) -> None:
    """Article ``article_id`` stored and matched at :data:`T0`, one outbox row per channel."""
    store.upsert_article(
        ArticleRecord(
            article_id=article_id, url=f"https://www.themoscowtimes.com/a{article_id}",
            headline=f"Turkey and Syria talk {article_id}", subtitle="", authors=["A"],
            published=T0, modified=None, section="news", tags=[], language="en",
            html_sha256="h", text=distinct_text(article_id, "Turkey and Syria restore ties."),
            extraction="ok",
            fetched_at=T0,
        )
    )  # fmt: skip
    store.record_match(
        MatchRecord(
            article_id=article_id, topic="syria-turkey", rule_version="1", rule="core",
            grade="strong", matched_at=T0,
            evidence=[{"field": "text", "sentence": "Turkey and Syria restore ties.",
                       "start": 0, "end": 30, "terms": ["Turkey", "Syria"]}],
        ),
        channels,
        topic_name="Syria–Turkey normalization",
    )  # fmt: skip


def email_channel(server: SmtpServer) -> EmailNotifier:
    """The e-mail channel, sending to ``server`` in plain SMTP."""
    return EmailNotifier(SmtpSettings(host="127.0.0.1", port=server.port, security="none",
                                      sender="mtwatch@test.invalid",
                                      recipients=("ops@test.invalid",), timeout=5))


def webhook_channel(receiver: WebhookReceiver, timeout: float = 5.0) -> WebhookNotifier:
    """The webhook channel, posting to ``receiver`` with its secret (loopback allowed)."""
    settings = WebhookSettings(url=receiver.url, secrets=(receiver.secret,), timeout=timeout,
                               allow_internal=("127.0.0.1",))
    return WebhookNotifier(settings)


class RecordingNotifier:
    """A webhook channel that keeps what it is given; raises ``error`` after recording."""

    channel = "webhook"

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[str] = []
        self.payloads: list[Mapping[str, Any]] = []
        self.error = error

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        self.calls.append(idempotency_key)
        self.payloads.append(payload)
        if self.error is not None:
            raise self.error


SENDER = "mtwatch@test.invalid"
RECIPIENTS = ("desk@test.invalid", "analyst@test.invalid")


def sample_payload(**changes: Any) -> dict[str, Any]:
    """An alert payload as the store builds one, with ``changes`` applied."""
    base: dict[str, Any] = {
        "article_id": 42,
        "url": "https://www.themoscowtimes.com/2025/03/01/ankara-damascus-a42",
        "headline": "Ankara and Damascus Move Toward Normalization",
        "subtitle": "Moscow brokers talks",
        "published": "2025-03-01T09:30:00+00:00",
        "authors": ["Anna Author"],
        "section": "news",
        "topic": "syria-turkey",
        "topic_name": "Syria–Turkey normalization",
        "grade": "strong",
        "rule": "normalization-core",
        "rule_version": "2025.1",
        "evidence": [
            {"field": "text", "sentence": "Turkey and Syria <b>agreed</b> to restore ties.",
             "start": 10, "end": 55, "terms": ["Turkey", "Syria", "restore ties"]},
        ],
    }  # fmt: skip
    base.update(changes)
    return base


def plain_smtp(port: int, **changes: Any) -> SmtpSettings:
    """SMTP settings without TLS to the loopback port ``port``, with ``changes`` applied."""
    return SmtpSettings(**{"host": "127.0.0.1", "port": port, "sender": SENDER,
                           "recipients": RECIPIENTS, "security": "none", **changes})  # fmt: skip
