"""Import-time costs of third-party modules we cannot change, kept down.

Scrapy's ``create_deprecated_class`` (its TLS and context-factory modules build three deprecated
aliases when imported) calls ``inspect.stack()`` only to name the module the alias lives in.
``inspect.stack()`` reads the source of every frame on the stack and, for each frozen import
frame, scans every loaded module: about a tenth of an idle poll's crawl CPU. Within
:func:`frames_without_source` it returns the same frames without their source lines (the
context no caller here reads), which costs nothing.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


def _stack_without_source(context: int = 1) -> list[inspect.FrameInfo]:
    """``inspect.stack()`` minus the source context: the caller's frame outwards."""
    frame: FrameType | None = sys._getframe(1)
    found = []
    while frame is not None:
        code = frame.f_code
        found.append(inspect.FrameInfo(frame, code.co_filename, frame.f_lineno, code.co_name,
                                       None, None))
        frame = frame.f_back
    return found


@contextmanager
def frames_without_source() -> Iterator[None]:
    """While importing (one thread, at start-up), ``inspect.stack()`` skips the source lines."""
    original = inspect.stack
    inspect.stack = _stack_without_source
    try:
        yield
    finally:
        inspect.stack = original
