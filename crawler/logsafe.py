"""Log lines never carry raw control characters: messages are escaped as records are made.

Crawled headlines, URLs, parser errors and receivers' answers are logged. Written raw, an
``ESC[2K ESC[1A`` in one would erase the line before it and print a forged one for whoever
tails the log. :func:`install` makes every record escape the control and format characters of
its message and traceback (``\\x1b[2K``, ``\\u202e``: ``pipelines.untrusted``) and indent the
lines after the first (Scrapy's stats dump, a traceback), so no text can pose as a record of
its own. It works whatever handler writes the record: the crawl log (Scrapy rebuilds its root
handler when the crawl starts, so a handler filter would be lost), the daemon's log file,
stderr. A record factory is one setting for the whole process.
"""

from __future__ import annotations

import logging
from typing import Any

from pipelines.untrusted import escape_text

#: what starts each line of a record after its first
INDENT = "    "


def _continued(text: str, *, first: bool) -> str:
    """``text`` escaped, every line after the first (or every line) indented."""
    lines = escape_text(text).split("\n")
    head = lines[:1] if first else []
    return "\n".join([*head, *(INDENT + line for line in lines[len(head):])])


class SafeLogRecord(logging.LogRecord):
    """A record without control characters, whose lines after the first are indented."""

    def getMessage(self) -> str:  # noqa: N802 - the logging API's name
        return _continued(super().getMessage(), first=True)

    @property
    def exc_text(self) -> str | None:
        return self.__dict__.get("_exc_text")

    @exc_text.setter
    def exc_text(self, value: str | None) -> None:
        # set by Formatter.format() from the exception, whose message may quote anything
        self.__dict__["_exc_text"] = _continued(value, first=False) if value else value


def install() -> None:
    """Every log record of this process escapes its message (idempotent)."""
    if logging.getLogRecordFactory() is not SafeLogRecord:
        logging.setLogRecordFactory(SafeLogRecord)


class SafeLogs:
    """Scrapy extension: the crawl process logs escaped records from its start."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> SafeLogs:
        install()
        return cls()
