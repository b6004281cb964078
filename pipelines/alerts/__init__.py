"""Alert channels and the outbox relay: e-mail, signed webhooks, Apprise, digests, retries.

The names below load their modules on first use: a process that only checks the alert
settings (``mtwatch run``'s pre-flight) imports neither the relay nor the store behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.lazy import lazy_names

if TYPE_CHECKING:
    from pipelines.alerts.base import DeliveryError, Notifier
    from pipelines.alerts.digest import DigestSchedule
    from pipelines.alerts.mail import EmailNotifier
    from pipelines.alerts.payload import build_payload
    from pipelines.alerts.relay import DeliveryPlan, DeliveryReport, RetryPolicy, deliver_due
    from pipelines.alerts.settings import SmtpSettings
    from pipelines.alerts.webhook import WebhookNotifier, WebhookSettings

_HOMES = {
    "DeliveryError": "pipelines.alerts.base",
    "Notifier": "pipelines.alerts.base",
    "DigestSchedule": "pipelines.alerts.digest",
    "EmailNotifier": "pipelines.alerts.mail",
    "build_payload": "pipelines.alerts.payload",
    "DeliveryPlan": "pipelines.alerts.relay",
    "DeliveryReport": "pipelines.alerts.relay",
    "RetryPolicy": "pipelines.alerts.relay",
    "deliver_due": "pipelines.alerts.relay",
    "SmtpSettings": "pipelines.alerts.settings",
    "WebhookNotifier": "pipelines.alerts.webhook",
    "WebhookSettings": "pipelines.alerts.webhook",
}


__getattr__ = lazy_names(__name__, _HOMES, globals())


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
