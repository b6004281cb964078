"""The RunHealth crawl extension: hold the crawl lock, record each crawl in `runs`, judge it
(``crawler.health.verdict``, ``crawler.health.coverage``) and hand its verdict to the caller."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from scrapy import signals

from crawler.config import Config
from crawler.context import CrawlContext, crawl_context
from crawler.health import coverage
from crawler.health.readings import RunFacts
from crawler.health.storeguard import note_store_error
from crawler.health.verdict import RunVerdict, judge, with_backfill, with_coverage
from crawler.lock import EXIT_LOCKED, CrawlLease, LockBusyError
from pipelines.storage import DEFAULT_SITE, Store, StoreError
from pipelines.storage.files import replace_private

logger = logging.getLogger(__name__)

#: test hook (reliability bar C7): if this file exists, the next crawl deletes it and blocks
#: the reactor (like a hang inside lxml) after as many items as the file says
HANG_ENV = "MTWATCH_TEST_HANG_FILE"
#: test hook: a header name; every request of the crawl then carries the run id in it, so a
#: test server can tell which crawl sent each request without comparing clocks
RUN_HEADER_ENV = "MTWATCH_TEST_RUN_HEADER"


class RunHealth:
    """Open a run row at spider start; at close, judge the run and write the verdict.

    One per crawler, so one run row per site; the store and the crawl lease are the crawl
    context's (crawler.context), shared by every crawler of the process."""

    def __init__(self, store_url: str, trigger: str, verdict_file: str | None, stats: Any,
                 lease: CrawlLease | None = None, config: Config | None = None,
                 context: CrawlContext | None = None):
        self.config = config
        self.context = context
        self.started = datetime.now(UTC)
        self.store_url = store_url
        self.trigger = trigger
        self.verdict_file = Path(verdict_file) if verdict_file else None
        self.stats = stats
        self.lease = lease
        self.run_id: int | None = None
        self.hang_after = _hang_hook()
        self.run_header = os.environ.get(RUN_HEADER_ENV, "")

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunHealth:
        settings = crawler.settings
        context = crawl_context(crawler)
        config = context.config
        trigger = settings.get("MTWATCH_TRIGGER", "scrapy")
        verdict_file = settings.get("MTWATCH_VERDICT_FILE")
        if len(context.sites) > 1 and verdict_file:  # one verdict per site; the launcher joins them
            verdict_file = f"{verdict_file}.{crawler.spidercls.name}-{len(context.health)}"
        fd = settings.get("MTWATCH_LOCK_FD")
        if context.lease is None:  # one lease for the process, whatever its crawler count
            try:
                context.lease = CrawlLease.take(config.data_dir, config.store_url, trigger,
                                                int(fd) if fd else None)
            except LockBusyError as exc:
                _exit_locked(str(exc), verdict_file)
        ext = cls(config.store_url, trigger, verdict_file, crawler.stats, context.lease, config,
                  context)
        context.health.append(ext)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        if ext.hang_after:
            crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        if ext.run_header:
            crawler.signals.connect(ext.tag_request, signal=signals.request_reached_downloader)
        return ext

    @contextmanager
    def _store(self) -> Iterator[Store]:
        """The crawl context's store (kept open), else one opened for this use."""
        if self.context is not None:
            yield self.context.store
            return
        with Store(self.store_url) as store:
            yield store

    def spider_opened(self, spider: Any) -> None:
        now = self.started = datetime.now(UTC)
        first = self.context is None or not self.context.runs_opened
        site = getattr(getattr(spider, "site", None), "name", DEFAULT_SITE)
        try:  # one transaction: an idle run's every commit counts
            with self._store() as store, store.together("start_run"):
                if first:  # we hold the crawl lock: a 'running' row belongs to a dead crawl
                    store.fail_open_runs(now=now, reason="interrupted: the crawl process died")
                run_id = store.start_run(trigger=self.trigger, now=now, sites=(site,))
            self.run_id = run_id
            if self.context is not None:
                self.context.runs_opened = True
        except StoreError as exc:  # the verdict still reaches the caller: failed, store
            note_store_error(self.stats, "recording the run", exc)
        # the parent reads this if we are killed before the end, to close our row
        self._write_verdict({"run_id": self.run_id, "status": "running", "reason": ""})

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.stats.get_stats()
        verdict = with_backfill(judge(stats, reason, getattr(spider, "source_errors", [])), stats)
        notices = 0
        if verdict.status != "failed" and self.run_id is not None and self.config is not None:
            verdict, notices = self._review(spider, verdict)
        try:
            if self.run_id is not None:
                with self._store() as store:
                    store.finish_run(self.run_id, now=datetime.now(UTC), status=verdict.status,
                                     reason=verdict.reason, stats=verdict.counts)
        except StoreError as exc:
            verdict = RunVerdict("failed", f"store: cannot record the run: {exc}", verdict.counts)
        finally:
            log = logger.info if verdict.status == "ok" else logger.error
            log("run %s: %s %s", self.run_id, verdict.status, verdict.reason)
            self._write_verdict({"run_id": self.run_id, **verdict.as_dict(),
                                 "site": getattr(getattr(spider, "site", None), "name", None)})
            if notices:
                self._send_notices()
            self._release_lease()

    def _release_lease(self) -> None:
        """The lease goes with the process's last crawler."""
        if self.context is not None:
            self.context.health.remove(self)
            if self.context.health:
                return
            self.context.lease = None
        if self.lease is not None:
            self.lease.release()

    def _review(self, spider: Any, verdict: RunVerdict) -> tuple[RunVerdict, int]:
        """The coverage monitors and canaries on this run (``crawler.health.coverage``): their
        reasons join the verdict; a review that fails degrades the run, never hides it."""
        assert self.config is not None
        facts = RunFacts(self.started, datetime.now(UTC), verdict.counts,
                         list(getattr(spider, "empty_sources", [])))
        site = getattr(getattr(spider, "site", None), "name", None)
        try:
            with self._store() as store:
                review = coverage.review(store, self.config, facts,
                                         list(getattr(spider, "canary_results", [])),
                                         list(getattr(spider, "given_up", [])), site=site)
        except Exception as exc:  # a monitor bug or a store error must not hide the run
            logger.exception("coverage review failed")
            return with_coverage(verdict, [f"coverage monitors not judged: {exc}"], []), 0
        return with_coverage(verdict, review.reasons, review.tripped), review.notices

    def _send_notices(self) -> None:
        """Coverage notices go out now, not with the next run's alerts."""
        from pipelines.wiring import deliver_configured

        assert self.config is not None
        try:
            with self._store() as store:
                report = deliver_configured(self.config, store, now=datetime.now(UTC))
        except Exception:  # they stay queued: the next run's delivery pass sends them
            logger.exception("coverage notices stay queued")
            return
        logger.info("coverage notices: %d sent", report.notices)

    def item_scraped(self, item: Any, spider: Any) -> None:
        self.hang_after -= 1
        if self.hang_after == 0:
            logger.warning("%s: hanging the crawl on purpose", HANG_ENV)
            time.sleep(3600)

    def tag_request(self, request: Any, spider: Any) -> None:
        if self.run_id is not None:
            request.headers[self.run_header] = str(self.run_id)

    def _write_verdict(self, payload: dict[str, Any]) -> None:
        if self.verdict_file is not None:
            write_verdict(self.verdict_file, payload)


def _hang_hook() -> int:
    path = os.environ.get(HANG_ENV)
    if not path:
        return 0
    try:
        items = int(Path(path).read_text(encoding="utf-8").strip() or 1)
        Path(path).unlink()
    except (OSError, ValueError):
        return 0
    return max(items, 1)


def write_verdict(path: Path, payload: dict[str, Any]) -> None:
    """Replace the verdict file atomically (a kill mid-write leaves the previous one), 0600,
    never through a symlink."""
    replace_private(path, json.dumps(payload).encode("utf-8"))


def _exit_locked(message: str, verdict_file: str | None) -> NoReturn:
    """Lost the race: one line (or a verdict for the parent, who prints it), exit status 75."""
    if verdict_file:
        payload = {"run_id": None, "status": "locked", "reason": message}
        write_verdict(Path(verdict_file), payload)
    else:
        print(f"mtwatch: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_LOCKED)
