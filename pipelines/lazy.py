"""A package's names loaded on first use (PEP 562), so importing the package costs nothing.

    __getattr__ = lazy_names(__name__, {"Store": "pipelines.storage.store"}, globals())
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str], namespace: dict[str, Any]
               ) -> Callable[[str], Any]:
    """A module ``__getattr__`` importing each name of ``homes`` (name → its module) on first
    use and keeping it in ``namespace`` (the package's globals), so it is looked up once."""

    def load(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    return load
