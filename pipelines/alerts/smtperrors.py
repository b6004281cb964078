"""SMTP failures as DeliveryErrors: transient (retry), permanent (dead) or about the channel.

A failure about the channel is the same for every alert (STARTTLS not offered, login refused,
an untrusted certificate, a host that does not resolve, nothing listening): it holds the
channel and says what to change, instead of killing alert after alert.
"""

from __future__ import annotations

import smtplib
import socket
import ssl

from pipelines.alerts.base import DeliveryError
from pipelines.alerts.sanitize import truncate
from pipelines.alerts.settings import SmtpSettings

__all__ = ["classify", "starttls_missing"]


def starttls_missing(s: SmtpSettings) -> DeliveryError:
    """The server offers no STARTTLS while the settings ask for it (the default)."""
    if s.user:
        fix = ("a login is only sent over TLS: use the server's STARTTLS port (587) or "
               "MTWATCH_SMTP_SECURITY=ssl (port 465)")
    else:
        fix = "set MTWATCH_SMTP_SECURITY=none for a local relay without TLS"
    return DeliveryError(f"SMTP server {s.host}:{s.port} does not offer STARTTLS",
                         transient=False, fix=fix)  # fmt: skip


def classify(exc: BaseException, s: SmtpSettings | None = None) -> DeliveryError:
    """SMTP 4xx and connection errors are transient; 5xx replies are permanent; failures of
    the channel itself carry a fix."""
    held = _channel_failure(exc, s)
    if held is not None:
        return held
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in exc.recipients.values()]
        transient = any(400 <= c < 500 for c in codes)
        return DeliveryError(f"all recipients refused: {_reply(exc)}", transient,
                             code=min(codes) if codes else None)  # fmt: skip
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        transient = not 500 <= code < 600
        return DeliveryError(f"SMTP {code}: {_reply(exc)}", transient, code=code)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return DeliveryError(f"SMTP server lacks a needed feature: {exc}", transient=False)
    return DeliveryError(f"SMTP connection failed: {type(exc).__name__}: {exc}", transient=True)


def _channel_failure(exc: BaseException, s: SmtpSettings | None) -> DeliveryError | None:
    where = f"{s.host}:{s.port}" if s else "the SMTP server"
    host = s.host if s else "the SMTP host"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError(f"SMTP {exc.smtp_code}: login refused: {_reply(exc)}",
                             transient=False, code=exc.smtp_code,
                             fix="check MTWATCH_SMTP_USER/PASSWORD")  # fmt: skip
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "AUTH" in str(exc):
        return DeliveryError(f"SMTP server {where} offers no login (AUTH)", transient=False,
                             fix="unset MTWATCH_SMTP_USER/PASSWORD for a relay that needs no "
                                 "login, or use the server's submission port (587)")  # fmt: skip
    if isinstance(exc, smtplib.SMTPSenderRefused) and 500 <= exc.smtp_code < 600:
        return DeliveryError(f"SMTP {exc.smtp_code}: sender refused: {_reply(exc)}",
                             transient=False, code=exc.smtp_code,
                             fix="check MTWATCH_EMAIL_FROM (an address this server lets "
                                 "you send as)")  # fmt: skip
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients and all(
            500 <= code < 600 for code, _ in exc.recipients.values()):
        return DeliveryError(f"all recipients refused: {_reply(exc)}", transient=False,
                             code=min(c for c, _ in exc.recipients.values()),
                             fix="check MTWATCH_EMAIL_TO")  # fmt: skip
    return _network_failure(exc, where, host)


def _network_failure(exc: BaseException, where: str, host: str) -> DeliveryError | None:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DeliveryError(
            f"SMTP TLS failed: {exc}", transient=False,
            fix=f"the certificate of {host} is not trusted or not issued for that name: set "
                "MTWATCH_SMTP_HOST to the name on the certificate, or trust its CA "
                "(SSL_CERT_FILE=...)")  # fmt: skip
    if isinstance(exc, ssl.SSLError):
        return DeliveryError(
            f"SMTP TLS failed: {exc}", transient=False,
            fix="check MTWATCH_SMTP_SECURITY and MTWATCH_SMTP_PORT (ssl on port 465, "
                "starttls on 587, none for a local relay)")  # fmt: skip
    if isinstance(exc, socket.gaierror):
        return DeliveryError(f"SMTP connection failed: DNS lookup failed for {host}: {exc}",
                             transient=True,
                             fix=f"check MTWATCH_SMTP_HOST ({host} does not resolve; no "
                                 "network?)")  # fmt: skip
    if isinstance(exc, ConnectionRefusedError):
        return DeliveryError(f"SMTP connection failed: connection refused by {where}",
                             transient=True,
                             fix=f"is the SMTP server running on {where}? check "
                                 "MTWATCH_SMTP_HOST and MTWATCH_SMTP_PORT")  # fmt: skip
    return None


def _reply(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        raw = exc.smtp_error
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{rcpt}: {code} {msg.decode('utf-8', 'replace')}"
            for rcpt, (code, msg) in exc.recipients.items()
        )
    else:
        text = str(exc)
    return truncate(" ".join(text.split()), 300)
