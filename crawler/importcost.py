"""Import-time costs of third-party modules we cannot change, kept down.

Scrapy's ``create_deprecated_class`` (its TLS and context-factory modules build three deprecated
aliases when imported) calls ``inspect.stack()`` only to name the module the alias lives in.
``inspect.stack()`` reads the source of every frame on the stack and, for each frozen import
frame, scans every loaded module: about a tenth of an idle poll's crawl CPU. Within
:func:`frames_without_source` it returns the same frames without their source lines (the
context no caller here reads), which costs nothing. ``inspect.getmodule(frame)`` then maps the
file of every loaded module to its name (a realpath of each, some 600 at that point: 40 ms) to
find the frame's module; within it, a frame's module is read from the frame itself (the module
whose code runs in it, ``f_globals["__name__"]``), the same answer.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType, ModuleType


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


_getmodule = inspect.getmodule


def _module_of(object: object, _filename: str | None = None) -> ModuleType | None:
    """``inspect.getmodule``, but a frame's module straight from the frame."""
    if isinstance(object, FrameType):
        found = sys.modules.get(object.f_globals.get("__name__", ""))
        if found is not None:
            return found
    return _getmodule(object, _filename)


@contextmanager
def frames_without_source() -> Iterator[None]:
    """While importing (one thread, at start-up), ``inspect.stack()`` skips the source lines
    and ``inspect.getmodule(frame)`` reads the frame's module from the frame."""
    original, getmodule = inspect.stack, inspect.getmodule
    inspect.stack, inspect.getmodule = _stack_without_source, _module_of
    try:
        yield
    finally:
        inspect.stack, inspect.getmodule = original, getmodule
