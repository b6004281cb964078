"""A child process dies with the process that started it, even when that one is killed with -9.

`mtwatch run` and the daemon start the crawl in its own session (so a terminal's Ctrl-C reaches
only mtwatch, which stops the crawl cleanly), and the crawl starts an extraction worker. Without
a lifeline, ``kill -9`` of the parent would leave the crawl running with the crawl lock for up
to ``run_timeout``, and every run in that window would exit 75.

The parent puts its pid in the child's environment (``MTWATCH_PARENT_PID``); the child calls
:func:`hold_from_environment` first thing, which

* asks Linux to send it SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``, through
  ctypes), and then
* checks that its parent is still the one that started it: if the parent died before the
  kernel watched, the child was already handed to another process, and it dies at once.

Where ``PR_SET_PDEATHSIG`` is not available, the child's own loop calls :meth:`Lifeline.check`
(the crawl: every second, see ``crawler.parentwatch``; the extraction worker reads
EOF on its stdin). SIGKILL loses nothing: the store commits each article with its matches and
alerts in one transaction (several articles to one: ``pipelines.steps.groupcommit``; the open batch
is still queued), and the next run continues from the store.

Linux sends the signal when the *thread* that started the child ends, so the child must be
started by a thread that waits for it (``crawler.launcher.run_crawl`` does).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from dataclasses import dataclass

logger = logging.getLogger(__name__)

#: the environment variable a parent sets for its child: its own pid
PARENT_ENV = "MTWATCH_PARENT_PID"
#: what the child gets when its parent dies: no clean-up, so the crawl lock is free at once
DEATH_SIGNAL = signal.SIGKILL
_PR_SET_PDEATHSIG = 1

_held: Lifeline | None = None


def child_environment(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a child that must die with this process."""
    return {**env, PARENT_ENV: str(os.getpid())}


def _kernel_watch(sig: int) -> bool:
    """``prctl(PR_SET_PDEATHSIG, sig)``; False where Linux's prctl is not there."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


@dataclass(frozen=True)
class Lifeline:
    """This process lives only as long as ``parent``."""

    parent: int
    #: the kernel kills us when the parent dies (otherwise only :meth:`check` does)
    kernel: bool

    def parent_alive(self) -> bool:
        # an orphan is re-parented (to init or a subreaper): the pid it sees changes
        return os.getppid() == self.parent

    def check(self) -> None:
        """Die now if the parent is gone."""
        if not self.parent_alive():
            logger.error("parent process %d is gone: stopping now", self.parent)
            os.kill(os.getpid(), DEATH_SIGNAL)


def hold(parent: int, *, kernel: bool = True) -> Lifeline:
    """From now on, die with ``parent``; at once if it is already gone."""
    line = Lifeline(parent, _kernel_watch(DEATH_SIGNAL) if kernel else False)
    line.check()  # the parent may have died before the kernel was watching
    return line


def hold_from_environment() -> Lifeline | None:
    """The child's first act: hold the lifeline its parent handed down, if any. The variable is
    removed so that our own children are not mistaken for our parent's."""
    global _held
    raw = os.environ.pop(PARENT_ENV, "")
    if not raw.isdigit() or int(raw) <= 1:
        return _held
    _held = hold(int(raw))
    return _held


def held() -> Lifeline | None:
    """The lifeline this process holds (None: nobody started us as a child that must die)."""
    return _held
