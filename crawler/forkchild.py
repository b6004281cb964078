"""The crawl child as a fork of ``mtwatch run`` instead of a new interpreter.

A new ``python -m crawler.crawl`` imports again everything ``mtwatch run`` has just imported
(pydantic and the config models, click, the standard library) and reads the config again: a
fifth of an idle poll's CPU. A fork inherits them. The child is made what
``subprocess.Popen(..., start_new_session=True, stdin=DEVNULL, pass_fds=(lock,))`` would make
of a new process: its own session, stdin from /dev/null, the given environment, no other file
descriptor of ours but the crawl lock, the signal handlers a new interpreter has, and it holds
its lifeline (crawler.lifeline) as a new crawl child does. Then it runs ``crawler.crawl.main``
with the same arguments the command line would have, and ends with ``os._exit``: nothing of
the parent (its atexit handlers, its buffered output) runs twice, while the child's own atexit
handlers run at its end as at any interpreter's.

Forking is only safe from a process with one thread and no Twisted reactor yet: the command
line (`mtwatch run`) checks :func:`can_fork`, and starts a new interpreter otherwise (the
daemon, which runs crawls from a thread, always does).
"""

from __future__ import annotations

import atexit
import os
import select
import signal
import subprocess
import sys
import threading
import time


def can_fork() -> bool:
    """One thread, no reactor installed, and Linux's pidfd to wait with a timeout."""
    return (threading.active_count() == 1 and "twisted.internet.reactor" not in sys.modules
            and hasattr(os, "pidfd_open") and sys.platform.startswith("linux"))


class Forked:
    """The parent's handle on a forked child: what the launcher uses of a ``Popen``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._pidfd = os.pidfd_open(pid)

    def wait(self, timeout: float | None = None) -> int:
        """Its exit code (negative: the signal that killed it), as ``Popen.wait`` gives it;
        ``subprocess.TimeoutExpired`` if it is still running after ``timeout`` seconds."""
        if self.returncode is not None:
            return self.returncode
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:  # the pidfd turns readable when the child ends
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            ready, _, _ = select.select([self._pidfd], [], [], left)
            if ready:
                break
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"crawl child {self.pid}", timeout or 0.0)
        _, status = os.waitpid(self.pid, 0)
        os.close(self._pidfd)
        self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def start(argv: list[str], env: dict[str, str], *, keep_fd: int | None = None) -> Forked:
    """Fork a child that runs ``crawler.crawl.main(argv)`` with ``env`` as its environment."""
    for stream in (sys.stdout, sys.stderr):  # else the child would write our buffer again
        stream.flush()
    pid = os.fork()
    if pid:
        return Forked(pid)
    code = 1
    try:  # the child: nothing may leave this block but os._exit
        _become_new_process(env, keep_fd)
        from crawler.crawl import main

        sys.argv = [sys.executable, "-m", "crawler.crawl", *argv]
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # reported, as an interpreter would, then exit 1
        import traceback

        traceback.print_exc()
    finally:
        _exit(code)
    raise AssertionError("unreachable")  # pragma: no cover


def _become_new_process(env: dict[str, str], keep_fd: int | None) -> None:
    from crawler import lifeline

    atexit._clear()  # the parent's: they run when the parent ends
    os.setsid()
    # our handlers (crawler.interruption) as a new interpreter has them; an ignored signal stays
    # ignored, as across exec
    for sig, fresh in ((signal.SIGINT, signal.default_int_handler),
                       (signal.SIGTERM, signal.SIG_DFL)):
        if callable(signal.getsignal(sig)):
            signal.signal(sig, fresh)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    most = os.sysconf("SC_OPEN_MAX")
    if keep_fd is None:
        os.closerange(3, most)
    else:
        os.closerange(3, keep_fd)
        os.closerange(keep_fd + 1, most)
    os.environ.clear()
    os.environ.update(env)
    lifeline.hold_from_environment()


def _exit(code: int) -> None:
    import logging

    try:
        atexit._run_exitfuncs()  # the child's own, as an interpreter runs them at its end
        logging.shutdown()  # registered by the parent's import of logging: cleared above
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    finally:
        os._exit(code)
