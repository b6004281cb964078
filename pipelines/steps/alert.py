"""Alert: at the end of a crawl, deliver the due outbox rows through the configured channels."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from crawler.config import Config
from crawler.context import config_from_settings, crawl_context
from crawler.health.storeguard import note_store_error
from pipelines.alerts import DeliveryReport
from pipelines.steps.groupcommit import flush_now
from pipelines.storage import Store, StoreError
from pipelines.wiring import build_notifiers, deliver_configured, unconfigured_channels

logger = logging.getLogger(__name__)


class AlertPipeline:
    """Items pass through untouched; delivery happens once, when the spider closes.

    ``-s MTWATCH_NO_ALERT=1`` (`mtwatch run --no-alert`): nothing is sent by this crawl."""

    def __init__(self, config: Config, stats: Any, *, enabled: bool = True,
                 signals: Any = None) -> None:
        self.config = config
        self.stats = stats
        self.enabled = enabled
        self.signals = signals
        self.notifiers = build_notifiers(config, strict=False) if enabled else {}
        #: the crawl's store (from_crawler); None: open one for the delivery
        self.shared_store: Callable[[], Store] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> AlertPipeline:
        enabled = not crawler.settings.getbool("MTWATCH_NO_ALERT")
        pipeline = cls(config_from_settings(crawler.settings), crawler.stats, enabled=enabled,
                       signals=crawler.signals)
        context = crawl_context(crawler)
        pipeline.shared_store = lambda: context.store  # the crawl's one store
        return pipeline

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        if self.signals is not None:  # the store's open batch first: only stored rows are sent
            self.signals.send_catch_log(signal=flush_now)
        if not self.enabled:
            logger.info("--no-alert: this crawl sends no alerts")
            return
        for channel in unconfigured_channels(self.config):
            logger.warning("alert channel %r is not configured: alerts stay queued", channel)
        try:
            report = self._deliver()
        except StoreError as exc:  # the alerts stay queued; the run failed on its store
            note_store_error(self.stats, "delivering alerts", exc)
            return
        except Exception:  # a relay bug: the alerts stay queued, and the run is not `ok`
            logger.exception("alert delivery failed: due alerts stay queued for the next run")
            self.stats.inc_value("mtwatch/alerts/failed")
            return
        self.stats.set_value("mtwatch/alerts/sent", report.sent)
        # not tried because the channel was down, or held by a disabled channel: not delivered
        self.stats.set_value("mtwatch/alerts/failed", report.failed + report.deferred + report.held)
        self.stats.set_value("mtwatch/alerts/dead", report.dead)
        self.stats.set_value("mtwatch/alerts/notices", report.notices)
        if report.holds:  # the run is degraded while a channel is held (crawler/health/verdict.py)
            self.stats.set_value("mtwatch/alerts/held_reason", "; ".join(report.holds))
        for error in report.errors:
            logger.warning("alert delivery: %s", error)

    def _deliver(self) -> DeliveryReport:
        if self.shared_store is not None:
            return deliver_configured(self.config, self.shared_store(), now=datetime.now(UTC),
                                      notifiers=self.notifiers, end_of_crawl=True)  # fmt: skip
        with Store(self.config.store_url) as store:
            return deliver_configured(self.config, store, now=datetime.now(UTC),
                                      notifiers=self.notifiers, end_of_crawl=True)  # fmt: skip
