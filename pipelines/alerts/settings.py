"""SMTP settings for the email channel, validated with the environment variable names."""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

SECURITY_MODES = ("starttls", "ssl", "none")
#: a bare addr-spec: no display name, no spaces, no header punctuation, no control characters
_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)
_HOST = re.compile(r"[A-Za-z0-9.:\[\]-]+")


def _check_address(value: str, env: str) -> None:
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value):
        raise ValueError(f"{env}: {value!r} is not a plain e-mail address (user@domain)")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send alert mail. ``password`` never appears in repr."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        recipients: Iterable[str] = self.recipients
        if isinstance(recipients, str):  # "a@x, b@y", as MTWATCH_EMAIL_TO is written
            recipients = [r.strip() for r in recipients.split(",") if r.strip()]
        if not isinstance(recipients, tuple):
            object.__setattr__(self, "recipients", tuple(recipients))
        self._check_server()
        self._check_addresses()
        self._check_credentials()

    def _check_server(self) -> None:
        if not self.host:
            raise ValueError("MTWATCH_SMTP_HOST is required for e-mail alerts")
        if not _HOST.fullmatch(self.host):
            raise ValueError(f"MTWATCH_SMTP_HOST: {self.host!r} is not a host name")
        if isinstance(self.port, bool) or not isinstance(self.port, int):
            raise ValueError(f"MTWATCH_SMTP_PORT: {self.port!r} is not a port number")
        if not 0 < self.port < 65536:
            raise ValueError(f"MTWATCH_SMTP_PORT: {self.port} is not in 1..65535")
        if self.security not in SECURITY_MODES:
            raise ValueError(f"MTWATCH_SMTP_SECURITY: {self.security!r} not in {SECURITY_MODES}")
        if not self.timeout > 0:
            raise ValueError(f"MTWATCH_SMTP_TIMEOUT: {self.timeout!r} must be > 0 seconds")

    def _check_addresses(self) -> None:
        if not self.sender:
            raise ValueError("MTWATCH_EMAIL_FROM is required for e-mail alerts")
        _check_address(self.sender, "MTWATCH_EMAIL_FROM")
        if not self.recipients:
            raise ValueError("MTWATCH_EMAIL_TO is required for e-mail alerts (one or more)")
        for address in self.recipients:
            _check_address(address, "MTWATCH_EMAIL_TO")

    def _check_credentials(self) -> None:
        if self.password and not self.user:
            raise ValueError("MTWATCH_SMTP_USER is required when MTWATCH_SMTP_PASSWORD is set")
        if self.user and not self.password:
            raise ValueError("MTWATCH_SMTP_PASSWORD is required when MTWATCH_SMTP_USER is set")
        if self.user and self.security == "none":
            raise ValueError(
                "MTWATCH_SMTP_SECURITY=none cannot be used with MTWATCH_SMTP_USER/PASSWORD: "
                "credentials are only sent over TLS (use starttls or ssl)"
            )
