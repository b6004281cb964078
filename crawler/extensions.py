"""Run health: record each crawl in the `runs` table and hand its verdict to the caller."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals

from crawler.health import judge
from crawler.runtime import config_from_settings
from pipelines.storage import Store

logger = logging.getLogger(__name__)


class RunHealth:
    """Open a run row at spider start; at close, judge the run and write the verdict."""

    def __init__(self, store_url: str, trigger: str, verdict_file: str | None, stats: Any):
        self.store_url = store_url
        self.trigger = trigger
        self.verdict_file = Path(verdict_file) if verdict_file else None
        self.stats = stats
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunHealth:
        settings = crawler.settings
        ext = cls(
            config_from_settings(settings).store_url,
            settings.get("MTWATCH_TRIGGER", "scrapy"),
            settings.get("MTWATCH_VERDICT_FILE"),
            crawler.stats,
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        store = Store(self.store_url)
        try:
            self.run_id = store.start_run(trigger=self.trigger, now=datetime.now(UTC))
        finally:
            store.close()

    def spider_closed(self, spider: Any, reason: str) -> None:
        verdict = judge(self.stats.get_stats(), reason, getattr(spider, "source_errors", []))
        log = logger.info if verdict.status == "ok" else logger.error
        log("run %s: %s %s", self.run_id, verdict.status, verdict.reason)
        if self.run_id is not None:
            store = Store(self.store_url)
            try:
                store.finish_run(self.run_id, now=datetime.now(UTC), status=verdict.status,
                                 reason=verdict.reason, stats=verdict.counts)
            finally:
                store.close()
        if self.verdict_file is not None:
            payload = {"run_id": self.run_id, **verdict.as_dict()}
            self.verdict_file.write_text(json.dumps(payload), encoding="utf-8")
