"""What every alert channel implements, and how it reports a failed delivery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class DeliveryError(Exception):
    """A delivery failed; ``transient`` failures are retried, the others go to 'dead'."""

    def __init__(self, message: str, transient: bool, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.code = code

    def __repr__(self) -> str:
        return f"DeliveryError({self.message!r}, transient={self.transient})"


class Notifier(Protocol):
    """An alert channel: sends one payload, raising DeliveryError on failure."""

    channel: str

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None: ...
