"""Alert: at the end of a crawl, deliver the due outbox rows through the configured channels."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from crawler.config import Config, ConfigError
from crawler.runtime import config_from_settings
from pipelines.alerts import EmailNotifier, Notifier, SmtpSettings, deliver_due
from pipelines.storage import Store

logger = logging.getLogger(__name__)


def build_notifiers(config: Config) -> dict[str, Notifier]:
    """The configured channels; a listed channel without settings is skipped (rows stay queued)."""
    notifiers: dict[str, Notifier] = {}
    email = config.alerts.email
    if "email" in config.alerts.channels and email.configured:
        try:
            settings = SmtpSettings(
                host=email.host, port=email.port, sender=email.sender,
                recipients=tuple(email.recipients), user=email.user or None,
                password=email.password.get_secret_value() if email.password else None,
                security=email.security, timeout=email.timeout,
            )
        except ValueError as exc:
            raise ConfigError(f"email alerts: {exc}") from None
        notifiers["email"] = EmailNotifier(settings)
    return notifiers


def unconfigured_channels(config: Config) -> list[str]:
    """Channels that queue alerts but cannot send them yet."""
    return [name for name in config.alerts.channels
            if name == "email" and not config.alerts.email.configured]


class AlertPipeline:
    """Items pass through untouched; delivery happens once, when the spider closes."""

    def __init__(self, config: Config, stats: Any) -> None:
        self.config = config
        self.stats = stats
        self.notifiers = build_notifiers(config)

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertPipeline:
        return cls(config_from_settings(crawler.settings), crawler.stats)

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        for channel in unconfigured_channels(self.config):
            logger.warning("alert channel %r is not configured: alerts stay queued", channel)
        store = Store(self.config.store_url)
        try:
            report = deliver_due(store, self.notifiers, now=datetime.now(UTC))
        finally:
            store.close()
        self.stats.set_value("mtwatch/alerts/sent", report.sent)
        self.stats.set_value("mtwatch/alerts/failed", report.failed)
        self.stats.set_value("mtwatch/alerts/dead", report.dead)
        for error in report.errors:
            logger.warning("alert delivery: %s", error)
