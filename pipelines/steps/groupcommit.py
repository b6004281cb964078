"""Group commit: evaluated articles written to the store several to a transaction.

An SQLite store syncs its log to disk at every commit (``synchronous=FULL``): one commit per
article cost more than extracting it. The buffer here collects what the pipelines made of each
article (the article, its matches, their alert rows) and hands ``size`` of them at a time, or
whatever is open after ``max_wait`` seconds, to one transaction. Each article stays atomic
with its matches and alert rows (they share the transaction); alerts are only ever sent from
committed outbox rows; a crash (kill -9, power loss) loses at most the open batch, whose
articles are still ``discovered`` in the store, so the next run fetches them again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Scrapy settings (``crawler/settings.py`` takes them from the environment)
SIZE_SETTING = "MTWATCH_STORE_BATCH"
WAIT_SETTING = "MTWATCH_STORE_BATCH_SECONDS"
#: a Scrapy signal: write the open batch now (sent before the crawl's alerts are delivered)
flush_now = object()


@dataclass(frozen=True)
class BatchPolicy:
    """At most ``size`` articles, or ``max_wait`` seconds since the first, to a transaction
    (``size=1``: each article in its own, as before group commit)."""

    size: int = 32
    max_wait: float = 5.0

    def __post_init__(self) -> None:
        if not 1 <= self.size <= 1000:
            raise ValueError(f"{SIZE_SETTING} must be 1 to 1000 articles, got {self.size}")
        if not 0 < self.max_wait <= 86400:
            raise ValueError(f"{WAIT_SETTING} must be more than 0 and at most 86400 seconds, "
                             f"got {self.max_wait:g}")


def batch_policy(settings: Any) -> BatchPolicy:
    """The policy of a crawl's Scrapy settings; ValueError names the setting that is wrong."""
    size, wait = settings.get(SIZE_SETTING), settings.get(WAIT_SETTING)
    default = BatchPolicy()
    try:
        size = default.size if size in (None, "") else int(size)
    except (TypeError, ValueError):
        raise ValueError(f"{SIZE_SETTING} must be a whole number of articles, got {size!r}"
                         ) from None
    try:
        wait = default.max_wait if wait in (None, "") else float(wait)
    except (TypeError, ValueError):
        raise ValueError(f"{WAIT_SETTING} must be a number of seconds, got {wait!r}") from None
    return BatchPolicy(size, wait)


class GroupCommit(Generic[T, R]):
    """Collects entries; ``write`` stores a batch in one transaction and returns one result
    per entry. A failed write raises, and its entries are dropped from the buffer (they were
    never stored: the next run fetches their articles again)."""

    def __init__(self, write: Callable[[Sequence[T]], Sequence[R]], policy: BatchPolicy,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._write = write
        self.policy = policy
        self._clock = clock
        self._open: list[T] = []
        self._since = 0.0

    @property
    def pending(self) -> int:
        """Entries added and not yet written."""
        return len(self._open)

    def add(self, entry: T) -> list[tuple[T, R]]:
        """Buffer ``entry``; when the batch is full or old enough, write it: what was written."""
        if not self._open:
            self._since = self._clock()
        self._open.append(entry)
        full = len(self._open) >= self.policy.size
        if full or self._clock() - self._since >= self.policy.max_wait:
            return self.flush()
        return []

    def flush(self) -> list[tuple[T, R]]:
        """Write the open batch now (end of the crawl, before alerts are sent)."""
        batch, self._open = self._open, []
        if not batch:
            return []
        results = self._write(batch)
        return list(zip(batch, results, strict=True))
