"""Extraction on every core, for backfills: whole articles extracted by several killable
workers at once.

Each worker is an :class:`~pipelines.extraction.worker.ExtractionWorker` with the crawl's
:class:`~pipelines.extraction.worker.Limits` (wall time and resident memory per article; a
worker past them is killed and restarted), driven from its own thread so the crawl's reactor
never waits on it. That thread keeps the worker ``DEPTH`` jobs deep: the next job already
waits in the worker's pipe while it reads one, so the worker goes from one page to the next
without waiting for the crawl's process (whose thread needs the interpreter's lock, held by
the crawl's main thread most of the time, to read an answer and write the next job). The
limits are the same: a job's time starts when the worker can start it (the job before it
answered), and a job sent to a worker killed for another one's sake is sent again to its
successor. A worker runs the same ``pipelines.extraction.body.extract_article`` as the crawl
does in-process, every step inside the worker (it is the bound), so the text and the
extraction status are the same. A job is an article's
:class:`~pipelines.extraction.article.ArticleBody`, sent to the worker as JSON (the body's HTML
only, never the article's metadata). A job whose worker was killed or failed gets the raw text
of its zone (or page) and ``extraction_failed:<timeout|memory|crashed|error>``, as an
in-process extraction whose worker was killed does.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from pipelines.extraction import paths
from pipelines.extraction.article import ArticleBody
from pipelines.extraction.rawtext import raw_text
from pipelines.extraction.worker import POLL, ExtractionWorker, Limits, Outcome, frame, unframe
from pipelines.untrusted import clean_text

if TYPE_CHECKING:
    from pipelines.extraction.body import Thresholds

class Job(Protocol):
    """A page job, made a payload only when a worker takes it
    (``crawler.sites.offload.PageJob``)."""

    def to_payload(self) -> bytes: ...


logger = logging.getLogger(__name__)

#: (text, status): what ``pipelines.extraction.body.Extraction`` holds
Found = tuple[str, str]
#: jobs a worker holds at once: the one it reads, and the next one waiting in its pipe
DEPTH = 2
#: bytes the pipe to a worker holds (Linux lets any process ask for up to 1 MB)
_PIPE_SIZE = 1 << 20


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


@dataclass(eq=False)
class _Task:
    """One job for a worker: its kind and payload (made when a worker takes it), what its
    outcome becomes, and the future that gets that."""

    kind: bytes
    payload: Callable[[], bytes]
    finish: Callable[[Outcome], Any]
    future: Future[Any] = field(default_factory=Future)
    #: when the worker could start it (sent in full, and the job before it answered)
    started: float = 0.0

    def resolve(self, outcome: Outcome) -> None:
        try:
            self.future.set_result(self.finish(outcome))
        except Exception as exc:  # handed to whoever waits for the job
            self.future.set_exception(exc)


class _Lane:
    """One worker and the thread that drives it, ``DEPTH`` jobs deep, answers in order."""

    def __init__(self, worker: ExtractionWorker, tasks: queue.SimpleQueue[_Task | None],
                 name: str) -> None:
        self.worker = worker
        self.tasks = tasks
        #: taken and not yet sent in full to the running worker (first: the one being sent)
        self.waiting: deque[_Task] = deque()
        #: sent in full, answers awaited, in order
        self.sent: deque[_Task] = deque()
        self._out = memoryview(b"")
        self._answers = bytearray()
        self._stopping = False
        #: the worker's process while it runs (None: ask the worker, which starts one)
        self._proc: subprocess.Popen[bytes] | None = None
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self._take():
            try:
                self._step()
            except Exception as exc:  # a bug here must not leave the crawl waiting forever
                logger.exception("extraction pool: the thread driving worker %s failed",
                                 self.worker.pid)
                self._drop(exc)

    def _drop(self, exc: Exception) -> None:
        """Give up the jobs the worker holds (their callers hear ``exc``) and the worker."""
        for task in [*self.sent, *self.waiting]:
            if not task.future.done():
                task.future.set_exception(exc)
        self.waiting.clear()
        self._reset()
        self.worker.close()

    def _reset(self) -> None:
        """Forget the worker's process and what was on its way to it or from it."""
        self.sent.clear()
        self._out = memoryview(b"")
        self._answers.clear()
        self._proc = None

    def _take(self) -> bool:
        """Take jobs up to ``DEPTH`` (waiting for one only when idle); False once stopped
        with nothing left."""
        while not self._stopping and len(self.sent) + len(self.waiting) < DEPTH:
            idle = not self.sent and not self.waiting
            try:
                task = self.tasks.get(block=idle)
            except queue.Empty:
                break
            if task is None:
                self._stopping = True
            else:
                self.waiting.append(task)
        return bool(self.sent or self.waiting)

    def _step(self) -> None:
        """Send what can be sent, read what has come, check the job the worker is on."""
        proc = self._proc
        if proc is None or not (self.sent or self._out):  # a worker that died idle is replaced
            proc = self.worker.process()
            if proc is not self._proc:
                assert proc.stdin is not None
                _widen(proc.stdin.fileno())
                os.set_blocking(proc.stdin.fileno(), False)  # a job goes as the pipe takes it
                self._proc = proc
        assert proc.stdin is not None
        assert proc.stdout is not None
        stdin, stdout = proc.stdin.fileno(), proc.stdout.fileno()
        if not self._out and self.waiting:
            task = self.waiting[0]
            try:
                self._out = memoryview(frame(task.kind, task.payload()))
            except Exception as exc:  # a job that cannot be made: its caller hears why
                self.waiting.popleft().future.set_exception(exc)
                return
        readable, writable, _ = select.select([stdout] if self.sent else [],
                                              [stdin] if self._out else [], [], POLL)
        if writable and not self._send(stdin):
            return
        if readable and not self._receive(stdout):
            return
        if self.sent and not (readable or writable):  # nothing moved: is the worker all right?
            limit = self.worker.limits.max_rss_mb * 1024 * 1024
            head = self.sent[0]
            reason = self.worker.overrun(proc, limit, head.started + self.worker.limits.timeout)
            if reason is not None:
                self._failed(reason)

    def _send(self, stdin: int) -> bool:
        try:
            written = os.write(stdin, self._out)
        except BlockingIOError:
            return True
        except OSError:  # the worker is gone
            self._failed("crashed")
            return False
        self._out = self._out[written:]
        if not self._out:
            task = self.waiting.popleft()
            task.started = time.monotonic()
            self.sent.append(task)
        return True

    def _receive(self, stdout: int) -> bool:
        chunk = os.read(stdout, 1 << 20)
        if not chunk:
            self._failed("crashed")
            return False
        self._answers += chunk
        while self.sent and (answer := unframe(self._answers)) is not None:
            status, payload, used = answer
            del self._answers[:used]
            task = self.sent.popleft()
            if self.sent:  # the worker starts the next job now
                self.sent[0].started = max(self.sent[0].started, time.monotonic())
            if status == b"m":  # the worker ran out of memory and is gone
                self._failed("memory", task)
                return False
            task.resolve(self.worker.outcome(status, payload))
        return True

    def _failed(self, reason: str, task: _Task | None = None) -> None:
        """The job the worker was on failed: the worker is killed (started again for the next
        job), and every other job it held is sent again to its successor."""
        failed = task or (self.sent.popleft() if self.sent else self.waiting.popleft())
        self.waiting = deque([*self.sent, *self.waiting])
        self._reset()
        failed.resolve(self.worker.fail(reason))


def _widen(fd: int) -> None:
    """Let the pipe to a worker hold the job it reads and the next one (an article page of
    65 KB is more than a pipe's 64 KB): the next job is then written at once, not its last
    bytes after the worker started reading it. Where that cannot be done, the job is written
    as the pipe takes it."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


class ExtractionPool:
    """``size`` workers, each driven by its own thread (``DEPTH`` jobs deep); started at once,
    so they load trafilatura while the crawl goes on."""

    def __init__(self, size: int, limits: Limits | None = None) -> None:
        self.size = size
        self.workers = [ExtractionWorker(limits) for _ in range(size)]
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._closed = False
        for worker in self.workers:
            worker.start()
        self._lanes = [_Lane(worker, self._tasks, f"mtwatch-extraction-{n}")
                       for n, worker in enumerate(self.workers)]

    @property
    def pids(self) -> list[int]:
        return [w.pid for w in self.workers if w.pid is not None]

    def _submit(self, kind: bytes, payload: Callable[[], bytes],
                finish: Callable[[Outcome], Any]) -> Future[Any]:
        if self._closed:
            raise RuntimeError("the extraction pool is closed")
        task = _Task(kind, payload, finish)
        self._tasks.put(task)
        return task.future

    def submit(self, body: ArticleBody) -> Future[Found]:
        """Extract ``body`` on the next free worker."""
        return self._submit(b"a", lambda: body.to_json().encode("utf-8", "surrogatepass"),
                            lambda outcome: _found(body, outcome))

    def extract(self, body: ArticleBody) -> Found:
        """Extract ``body`` now, on a free worker (blocks until it is done)."""
        found: Found = self.submit(body).result()
        return found

    def submit_page(self, job: Job) -> Future[str | None]:
        """Read an article page on the next free worker (``crawler.sites.offload``): the
        worker's answer, or None when it was killed or failed (the crawl then reads the page
        itself, as without a pool)."""
        return self._submit(b"r", job.to_payload, lambda outcome: outcome.text)

    def read_page(self, job: Job) -> str | None:
        """Read a page now, on a free worker (blocks until it is done)."""
        answer: str | None = self.submit_page(job).result()
        return answer

    def close(self) -> None:
        """Finish what was submitted, then stop every worker."""
        if self._closed:
            return
        self._closed = True
        for _ in self._lanes:
            self._tasks.put(None)
        for lane in self._lanes:
            lane.thread.join()
        for worker in self.workers:
            worker.close()


def _found(body: ArticleBody, outcome: Outcome) -> Found:
    """A body job's (text, status): the worker's, or the fallback when it was killed or
    failed."""
    if outcome.text is None:
        return fallback(body, outcome.failure)
    text, status = json.loads(outcome.text)
    return str(text), str(status)
