"""Alert channels and the outbox relay: e-mail, signed webhooks, Apprise, digests, retries."""

from __future__ import annotations

from pipelines.alerts.base import DeliveryError, Notifier
from pipelines.alerts.digest import DigestSchedule
from pipelines.alerts.mail import EmailNotifier
from pipelines.alerts.payload import build_payload
from pipelines.alerts.relay import DeliveryPlan, DeliveryReport, RetryPolicy, deliver_due
from pipelines.alerts.settings import SmtpSettings
from pipelines.alerts.webhook import WebhookNotifier, WebhookSettings

__all__ = [
    "DeliveryError",
    "DeliveryPlan",
    "DeliveryReport",
    "DigestSchedule",
    "EmailNotifier",
    "Notifier",
    "RetryPolicy",
    "SmtpSettings",
    "WebhookNotifier",
    "WebhookSettings",
    "build_payload",
    "deliver_due",
]
