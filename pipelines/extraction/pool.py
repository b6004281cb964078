"""Extraction on every core, for backfills: whole articles extracted by several killable
workers at once.

Each worker is an :class:`~pipelines.extraction.worker.ExtractionWorker` with the crawl's
:class:`~pipelines.extraction.worker.Limits` (wall time and resident memory per article; a
worker past them is killed and restarted), driven from its own thread so the crawl's reactor
never waits on it. A worker runs the same ``pipelines.extraction.body.extract_article`` as the crawl
does in-process, every step inside the worker (it is the bound), so the text and the
extraction status are the same. A job is an article's
:class:`~pipelines.extraction.article.ArticleBody`, sent to the worker as JSON (the body's HTML
only, never the article's metadata). A job whose worker was killed or failed gets the raw text
of its zone (or page) and ``extraction_failed:<timeout|memory|crashed|error>``, as an
in-process extraction whose worker was killed does.
"""

from __future__ import annotations

import json
import queue
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol

from pipelines.extraction import paths
from pipelines.extraction.article import ArticleBody
from pipelines.extraction.rawtext import raw_text
from pipelines.extraction.worker import ExtractionWorker, Limits
from pipelines.untrusted import clean_text

if TYPE_CHECKING:
    from pipelines.extraction.body import Thresholds

class Job(Protocol):
    """A page job, made a payload only when a worker takes it
    (``crawler.sites.offload.PageJob``)."""

    def to_payload(self) -> bytes: ...


#: (text, status): what ``pipelines.extraction.body.Extraction`` holds
Found = tuple[str, str]


def inside_thresholds() -> Thresholds:
    """In the worker, every page is extracted right there: it is the bound."""
    from pipelines.extraction.body import Thresholds

    return Thresholds(max_bytes=sys.maxsize, max_tags=sys.maxsize)


def run_job(payload: str) -> str:
    """In the worker: extract one article, every step in this (killable) process."""
    from pipelines.extraction.body import extract_article

    found = extract_article(ArticleBody.from_json(payload), thresholds=inside_thresholds())
    return json.dumps([found.text, found.status], ensure_ascii=False)


def fallback(body: ArticleBody, failure: str) -> Found:
    """The article's text when its worker was killed or failed: the raw text of its zone (or
    of the page without one), flagged."""
    raw = raw_text(body.zone_html if body.has_zone else body.page_html)
    return clean_text(raw), f"{paths.FAILED}:{failure}"


class ExtractionPool:
    """``size`` workers, each used by one thread at a time; started at once, so they load
    trafilatura while the crawl goes on."""

    def __init__(self, size: int, limits: Limits | None = None) -> None:
        self.size = size
        self.workers = [ExtractionWorker(limits) for _ in range(size)]
        self._idle: queue.SimpleQueue[ExtractionWorker] = queue.SimpleQueue()
        for worker in self.workers:
            worker.start()
            self._idle.put(worker)
        self._threads = ThreadPoolExecutor(size, thread_name_prefix="mtwatch-extraction")

    @property
    def pids(self) -> list[int]:
        return [w.pid for w in self.workers if w.pid is not None]

    def submit(self, body: ArticleBody) -> Future[Found]:
        """Extract ``body`` on the next free worker."""
        return self._threads.submit(self.extract, body)

    def extract(self, body: ArticleBody) -> Found:
        """Extract ``body`` now, on a free worker (blocks until one is)."""
        worker = self._idle.get()
        try:
            outcome = worker.article(body.to_json())
        finally:
            self._idle.put(worker)
        if outcome.text is None:
            return fallback(body, outcome.failure)
        text, status = json.loads(outcome.text)
        return str(text), str(status)

    def submit_page(self, job: Job) -> Future[str | None]:
        """Read an article page on the next free worker (``crawler.sites.offload``): the
        worker's answer, or None when it was killed or failed (the crawl then reads the page
        itself, as without a pool)."""
        return self._threads.submit(self.read_page, job)

    def read_page(self, job: Job) -> str | None:
        """Read a page now, on a free worker (blocks until one is)."""
        worker = self._idle.get()
        try:
            return worker.page(job.to_payload()).text
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        """Finish what was submitted, then stop every worker."""
        self._threads.shutdown(wait=True)
        for worker in self.workers:
            worker.close()
