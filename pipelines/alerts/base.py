"""What every alert channel implements, and how it reports a failed delivery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pipelines.untrusted import clean_line


class DeliveryError(Exception):
    """A delivery failed; ``transient`` failures are retried, the others go to 'dead'.

    ``retry_after``: seconds the receiver asked us to wait (HTTP Retry-After).
    ``disable``: the endpoint asked never to be called again (HTTP 410 Gone).
    ``message`` often quotes the receiver (a Location header, a status line, an SMTP reply):
    it is kept as one line of plain text, since it is logged, stored and shown in tables.
    """

    def __init__(
        self,
        message: str,
        transient: bool,
        *,
        code: int | None = None,
        retry_after: float | None = None,
        disable: bool = False,
    ) -> None:
        self.message = clean_line(message)
        super().__init__(self.message)
        self.transient = transient
        self.code = code
        self.retry_after = retry_after
        self.disable = disable

    def __repr__(self) -> str:
        return f"DeliveryError({self.message!r}, transient={self.transient})"


class Notifier(Protocol):
    """An alert channel: sends one payload, raising DeliveryError on failure.

    The payload's ``kind`` ("alert" when absent, "update", "digest", "notice", "test") says
    what it carries; ``idempotency_key`` is the same on every attempt of one event.
    """

    channel: str

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None: ...


def payload_kind(payload: Mapping[str, Any]) -> str:
    """The kind of message a payload carries (alert rows from 0.1 have no kind: "alert")."""
    return str(payload.get("kind") or "alert")
