"""The e-mail channel: builds the alert message and sends it with smtplib over verified TLS."""

from __future__ import annotations

import email.policy
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from pipelines.alerts.base import DeliveryError
from pipelines.alerts.compose import SUBJECT_LIMIT, compose, subject_line
from pipelines.alerts.render import SiteZones
from pipelines.alerts.settings import SmtpSettings
from pipelines.alerts.smtperrors import classify, starttls_missing

logger = logging.getLogger(__name__)

MESSAGE_ID_DOMAIN = "mtwatch.local"
#: RFC 5322 allows 998-character lines; at 78 CPython folds "Subject:" before its first word,
#: which some parsers read back with a leading space
POLICY = email.policy.SMTP.clone(max_line_length=998)
_KEY = re.compile(r"[0-9a-f]{8,64}")

__all__ = ["SUBJECT_LIMIT", "EmailNotifier", "classify", "message_id", "subject_line"]


def message_id(key: str) -> str:
    """``<key@mtwatch.local>``: the same for every attempt, so receivers can drop repeats."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"idempotency key must be lowercase hex, got {key!r}")
    return f"<{key}@{MESSAGE_ID_DOMAIN}>"


class EmailNotifier:
    """Sends alert payloads as multipart (text + HTML) mail to the configured recipients."""

    channel = "email"

    def __init__(self, settings: SmtpSettings, *, zones: SiteZones | None = None) -> None:
        self.settings = settings
        #: site name → time zone its alerts show times in (``[sites.<name>] timezone``)
        self.zones = dict(zones or {})

    def __repr__(self) -> str:
        return f"EmailNotifier({self.settings!r})"

    def build_message(self, payload: Mapping[str, Any], idempotency_key: str) -> EmailMessage:
        own_id = message_id(idempotency_key)
        composed = compose(payload, self.zones)
        msg = EmailMessage(policy=POLICY)
        msg["Subject"] = composed.subject
        msg["From"] = self.settings.sender
        msg["To"] = ", ".join(self.settings.recipients)
        msg["Date"] = formatdate(usegmt=True)
        msg["Message-ID"] = own_id
        if composed.refers_to and _KEY.fullmatch(composed.refers_to):
            # an "updated" alert threads under the first one in mail clients
            msg["In-Reply-To"] = message_id(composed.refers_to)
            msg["References"] = message_id(composed.refers_to)
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(composed.text)
        msg.add_alternative(composed.html, subtype="html")
        return msg

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        """Deliver one alert; DeliveryError(transient=True) for 4xx/connection trouble."""
        msg = self.build_message(payload, idempotency_key)
        try:
            self.deliver(msg)
        except DeliveryError:
            raise
        except (smtplib.SMTPException, OSError) as exc:
            raise classify(exc, self.settings) from exc
        n = len(self.settings.recipients)
        logger.info("e-mail alert %s sent to %d recipient(s)", idempotency_key, n)

    def deliver(self, msg: EmailMessage) -> None:
        """Send a ready message over SMTP (TLS as configured); raises smtplib/OS errors."""
        s = self.settings
        context = s.ssl_context or ssl.create_default_context()
        client: smtplib.SMTP
        if s.security == "ssl":
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            tls = s.security == "ssl" or (
                s.security == "starttls" and _starttls(client, s, context)
            )
            if s.user:
                if not tls:  # settings forbid this; never send credentials in the clear
                    raise DeliveryError("refusing SMTP AUTH without TLS", transient=False)
                client.login(s.user, s.password or "")
            refused = client.send_message(msg, from_addr=s.sender, to_addrs=list(s.recipients))
            if refused:
                logger.warning("SMTP server refused some recipients: %s", sorted(refused))
        finally:
            _close(client)


def _starttls(client: smtplib.SMTP, settings: SmtpSettings, context: ssl.SSLContext) -> bool:
    client.ehlo()
    if not client.has_extn("starttls"):
        raise starttls_missing(settings)
    client.starttls(context=context)
    client.ehlo()
    return True


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
