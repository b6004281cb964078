"""A killable child process that runs trafilatura on one page at a time, time- and
memory-bounded (bar row B2: a 5 MB table takes trafilatura 18 s and 867 MB).

The child is ``python -m pipelines.extraction.worker``, not a multiprocessing child: it never
re-imports the caller's main module, and the crawl's threads (Twisted) are never forked.
Messages are length-prefixed UTF-8 over its stdin/stdout.
"""

from __future__ import annotations

import logging
import os
import resource
import select
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from crawler import lifeline

logger = logging.getLogger(__name__)

#: how often a child that has not answered yet is checked (alive, memory, time), in seconds
POLL = 0.02
_PAGE = os.sysconf("SC_PAGE_SIZE")
# status (or b"p"/b"g"/b"a"/b"r" for a zone/whole page/whole article/article page job),
# payload length
_HEADER = struct.Struct(">cQ")
_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True, slots=True)
class Limits:
    """Per page: wall time, and the worker's resident memory."""

    timeout: float = 15.0
    max_rss_mb: int = 512


@dataclass(frozen=True, slots=True)
class Outcome:
    """The worker's text, or why there is none: timeout, memory, error or crashed."""

    text: str | None
    failure: str = ""


class ExtractionWorker:
    """One child process, started on first use and restarted after it is killed."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ExtractionWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def extract(self, page: str, *, generic: bool = False) -> Outcome:
        """trafilatura's text of ``page`` (a body zone, or with ``generic`` a whole page), or
        the failure that stopped it."""
        return self._exchange(b"g" if generic else b"p", page)

    def article(self, job: str) -> Outcome:
        """The whole extraction of one article (``pipelines.extraction.body.extract_article``) in
        the worker: ``job`` and the outcome's text are JSON (``pipelines.extraction.pool``)."""
        return self._exchange(b"a", job)

    def page(self, job: bytes) -> Outcome:
        """An article page read in the worker, page object and extraction
        (``crawler.sites.offload.read_page``): ``job`` is a ``PageJob``'s payload, the
        outcome's text JSON."""
        return self._exchange(b"r", job)

    def _exchange(self, kind: bytes, page: str | bytes) -> Outcome:
        proc = self._ensure()
        assert proc.stdin is not None
        deadline = time.monotonic() + self.limits.timeout
        try:
            _write(proc.stdin, kind, page if isinstance(page, bytes)
                   else page.encode("utf-8", "surrogatepass"))
            status, payload = self._read(proc, deadline)
        except _StopError as stop:
            return self.fail(stop.reason)
        return self.outcome(status, payload)

    def outcome(self, status: bytes, payload: bytes) -> Outcome:
        """What the child's answer says: its text, or (``m``: it ran out of memory and is
        gone, restarted for the next page; ``e``: the library failed) why there is none."""
        if status == b"o":
            return Outcome(payload.decode("utf-8", "replace"))
        if status == b"m":
            return self.fail("memory")
        logger.warning("extraction worker error: %s", payload.decode("utf-8", "replace"))
        return Outcome(None, "error")

    def _read(self, proc: subprocess.Popen[bytes], deadline: float) -> tuple[bytes, bytes]:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        status, size = _HEADER.unpack(self._read_exact(proc, fd, _HEADER.size, deadline))
        return status, self._read_exact(proc, fd, size, deadline)

    def _read_exact(self, proc: subprocess.Popen[bytes], fd: int, size: int,
                    deadline: float) -> bytes:
        chunks: list[bytes] = []
        limit = self.limits.max_rss_mb * 1024 * 1024
        while size:
            ready, _, _ = select.select([fd], [], [], POLL)
            if ready:
                chunk = os.read(fd, min(size, 1 << 20))
                if not chunk:
                    raise _StopError("crashed")
                chunks.append(chunk)
                size -= len(chunk)
            elif (reason := self.overrun(proc, limit, deadline)) is not None:
                raise _StopError(reason)
        return b"".join(chunks)

    @staticmethod
    def overrun(proc: subprocess.Popen[bytes], limit: int, deadline: float) -> str | None:
        """Why a child that has not answered yet must stop: ``crashed`` (it is gone),
        ``memory`` (resident memory past ``limit`` bytes), ``timeout`` (past ``deadline``);
        None: it may go on."""
        if proc.poll() is not None:
            return "crashed"
        if _rss(proc.pid) > limit:
            return "memory"
        if time.monotonic() > deadline:
            return "timeout"
        return None

    def fail(self, reason: str) -> Outcome:
        """The page it was reading failed (``reason``): the child is killed, and started again
        for the next page."""
        logger.warning("extraction worker %s: %s; restarting it for the next page",
                       self.pid, reason)
        self.close()
        return Outcome(None, reason)

    def start(self) -> None:
        """Start the child now rather than with the first page (it loads trafilatura)."""
        self._ensure()

    def process(self) -> subprocess.Popen[bytes]:
        """The running child (started, or started again after it was killed)."""
        return self._ensure()

    def _ensure(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self.close()
            # the worker dies with us, even if we are killed with -9 (crawler.lifeline)
            env = lifeline.child_environment({**os.environ, "PYTHONPATH": os.pathsep.join(
                [_ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])})
            self._proc = subprocess.Popen(  # noqa: S603 - our own module, no shell
                [sys.executable, "-m", "pipelines.extraction.worker",
                 str(self.limits.max_rss_mb)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            )
        return self._proc

    def close(self) -> None:
        """Stop the child (kill: it may be stuck in C code)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait(5)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()


class _StopError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def frame(kind: bytes, payload: bytes) -> bytes:
    """One message: its kind (or status), its length, then ``payload``."""
    return _HEADER.pack(kind, len(payload)) + payload


def unframe(data: bytes | bytearray) -> tuple[bytes, bytes, int] | None:
    """The first whole message in ``data``: (kind or status, payload, bytes it took); None
    while it has not all arrived."""
    if len(data) < _HEADER.size:
        return None
    kind, size = _HEADER.unpack_from(data)
    end = _HEADER.size + size
    if len(data) < end:
        return None
    return kind, bytes(data[_HEADER.size:end]), end


def _write(stream: IO[bytes], status: bytes, payload: bytes) -> None:
    try:
        stream.write(frame(status, payload))
        stream.flush()
    except (OSError, ValueError):
        raise _StopError("crashed") from None


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes (0 where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:  # noqa: PTH123 - hot loop
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def serve(max_rss_mb: int) -> None:
    """The child's loop: one page in (``p`` a body zone, ``g`` a whole page, ``a`` a whole
    article job, ``r`` an article page to read), ``o`` + text | ``m`` (memory) | ``e`` + why,
    out."""
    lifeline.hold_from_environment()  # first: never outlive the crawl (EOF on stdin otherwise)
    from pipelines.extraction.generic import generic_text, preload, trafilatura_text
    from pipelines.extraction.pool import run_job

    preload()  # before reading: a worker started early (the pool) is ready for its first page
    _cap_address_space(max_rss_mb)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = source.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        kind, size = _HEADER.unpack(header)
        payload = source.read(size)
        extract = {b"g": generic_text, b"a": run_job}.get(kind, trafilatura_text)
        try:
            # an article page is read from its UTF-8 as it came (no decoding of 65 KB)
            status, text = b"o", (_read_page(payload) if kind == b"r" else
                                  extract(payload.decode("utf-8", "surrogatepass")))
        except MemoryError:
            status, text = b"m", ""
        except Exception as exc:  # any library failure is reported
            status, text = b"e", f"{type(exc).__name__}: {exc}"[:300]
        try:
            _write(sink, status, text.encode("utf-8", "surrogatepass"))
        except _StopError:
            return
        if status == b"m":
            return


def _read_page(job: bytes) -> str:
    from crawler.sites.offload import read_page  # the page objects: only if asked

    return read_page(job)


def _cap_address_space(max_rss_mb: int) -> None:
    """A backstop for the parent's RSS polling: allocations past the current address space
    plus the cap fail with MemoryError instead of growing until the parent notices."""
    try:
        with open("/proc/self/statm", "rb") as handle:  # noqa: PTH123
            current = int(handle.read().split()[0]) * _PAGE
        cap = current + max_rss_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, resource.RLIM_INFINITY))
    except (OSError, ValueError, IndexError):
        return


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else Limits().max_rss_mb)
