"""What every alert channel implements, and how it reports a failed delivery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pipelines.untrusted import clean_line


class DeliveryError(Exception):
    """A delivery failed; ``transient`` failures are retried, the others go to 'dead'.

    ``retry_after``: seconds the receiver asked us to wait (HTTP Retry-After).
    ``fix``: the failure is about the channel, not this alert (STARTTLS not offered, login
    refused, DNS, ...): the channel is held, its alerts wait, and the operator reads ``fix``.
    ``disable``: the endpoint asked never to be called again (HTTP 410 Gone): a hold that
    only `mtwatch alerts enable` or new settings lift.
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
        fix: str | None = None,
    ) -> None:
        self.message = clean_line(message)
        super().__init__(self.message)
        self.transient = transient
        self.code = code
        self.retry_after = retry_after
        self.disable = disable
        self.fix = fix

    @property
    def holds_channel(self) -> bool:
        """The channel, not the alert, failed: hold the channel instead of burning attempts."""
        return self.disable or self.fix is not None

    def explained(self) -> str:
        """The message and, for a channel failure, what to do about it."""
        return f"{self.message}; {self.fix}" if self.fix else self.message

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


class UnusableChannel:
    """A configured channel whose settings cannot work (a URL Apprise does not understand, an
    invalid address, ...): every delivery holds the channel with ``fix``, so a crawl still runs
    and its alerts wait for the fix instead of failing the run."""

    def __init__(self, channel: str, problem: str, fix: str) -> None:
        self.channel = channel
        self.problem = problem
        self.fix = fix

    def __repr__(self) -> str:
        return f"UnusableChannel({self.channel!r})"

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        raise DeliveryError(f"{self.channel} channel cannot be used: {self.problem}",
                            transient=False, fix=self.fix)  # fmt: skip
