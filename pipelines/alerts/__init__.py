"""Alert channels and the outbox relay: e-mail via smtplib + Jinja2, retries, dead-letter."""

from __future__ import annotations

from pipelines.alerts.base import DeliveryError, Notifier
from pipelines.alerts.mail import EmailNotifier
from pipelines.alerts.payload import build_payload
from pipelines.alerts.relay import DeliveryReport, RetryPolicy, deliver_due
from pipelines.alerts.settings import SmtpSettings

__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "EmailNotifier",
    "Notifier",
    "RetryPolicy",
    "SmtpSettings",
    "build_payload",
    "deliver_due",
]
