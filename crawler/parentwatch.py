"""The ParentWatch crawl extension: the crawl dies with the process that started it.

The crawl's own check that the mtwatch process that started it is alive, every second: the
fallback where the kernel does not watch for it (``PR_SET_PDEATHSIG``, see ``crawler.lifeline``).
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler import lifeline

#: how often the crawl looks for its parent where the kernel does not watch for it
PARENT_CHECK_SECONDS = 1.0


class ParentWatch:
    """The crawl's own check that the mtwatch process that started it is alive (the fallback
    for ``PR_SET_PDEATHSIG``, see crawler.lifeline); off for a crawl nobody started."""

    def __init__(self, line: lifeline.Lifeline) -> None:
        self.line = line
        self.loop = task.LoopingCall(line.check)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParentWatch:
        line = lifeline.held()
        if line is None:
            raise NotConfigured("not started by mtwatch")
        ext = cls(line)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self) -> None:
        self.loop.start(PARENT_CHECK_SECONDS, now=True)

    def engine_stopped(self) -> None:
        if self.loop.running:
            self.loop.stop()
