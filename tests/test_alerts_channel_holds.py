"""A channel misconfiguration holds the channel, per channel: its alerts stay pending (their
attempts uncounted, never dead), the operator is told once with the fix, and the first pass
after the fix sends every one of them, once."""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crawler.config import load_config
from pipelines.alerts import (
    DeliveryPlan,
    EmailNotifier,
    Notifier,
    SmtpSettings,
    WebhookNotifier,
    WebhookSettings,
    deliver_due,
)
from pipelines.alerts.base import UnusableChannel
from pipelines.alerts.smtperrors import classify
from pipelines.storage import Store
from pipelines.wiring import build_notifiers
from tests.helpers.alerts import T0, add_match
from tests.helpers.smtp import SmtpServer, TestCA
from tests.helpers.webhook import WebhookReceiver, new_secret

ALERTS = 4
PASSWORD = "right-Pw-1"


def smtp_settings(port: int, **changes: Any) -> SmtpSettings:
    values: dict[str, Any] = {"host": "127.0.0.1", "port": port, "sender": "m@test.invalid",
                              "recipients": ("desk@test.invalid",), "security": "none",
                              "timeout": 5}
    return SmtpSettings(**{**values, **changes})


def hook(url: str, *, secret: str, resolver: Callable[[str, int], Sequence[str]] | None = None,
         context: ssl.SSLContext | None = None) -> WebhookNotifier:
    settings = WebhookSettings(url=url, secrets=(secret,), timeout=5,
                               allow_internal=("127.0.0.1",), ssl_context=context)
    if resolver is None:
        return WebhookNotifier(settings)
    return WebhookNotifier(settings, resolver=resolver)


def renamed_certificate_context(tmp: Path) -> tuple[ssl.SSLContext, str]:
    """A server context whose certificate is for mail.test.invalid only, and its PEM: trusted,
    but not for 127.0.0.1 (a name mismatch)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.test.invalid")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("mail.test.invalid")]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    (tmp / "renamed.pem").write_text(pem)
    (tmp / "renamed.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp / "renamed.pem", tmp / "renamed.key")
    return context, pem


class RenamedSmtp(SmtpServer):
    """STARTTLS with a certificate for another name."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self._renamed = context
        super().__init__(tls="starttls")

    def _smtp_kwargs(self, tls: str | None, auth_require_tls: bool) -> dict[str, Any]:
        kwargs = super()._smtp_kwargs(tls, auth_require_tls)
        kwargs["tls_context"] = self._renamed
        return kwargs


@dataclass
class Case:
    """A broken channel, the same channel fixed, and what the operator must read."""

    server: SmtpServer
    broken: SmtpSettings
    fixed: SmtpSettings
    fix: str


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def email_case(name: str, stack: ExitStack, tmp: Path) -> Case:
    if name == "starttls_missing":  # the reported case: a local relay, security left default
        server = stack.enter_context(SmtpServer())
        return Case(server, smtp_settings(server.port, security="starttls"),
                    smtp_settings(server.port), "MTWATCH_SMTP_SECURITY=none")
    if name == "auth_refused":
        server = stack.enter_context(SmtpServer(tls="starttls", auth={"mt": PASSWORD}))
        tls = {"security": "starttls", "user": "mt", "ssl_context": server.client_context()}
        return Case(server, smtp_settings(server.port, password="wrong", **tls),
                    smtp_settings(server.port, password=PASSWORD, **tls),
                    "check MTWATCH_SMTP_USER/PASSWORD")
    if name == "certificate_name_mismatch":
        context, pem = renamed_certificate_context(tmp)
        server = stack.enter_context(RenamedSmtp(context))
        trusted = ssl.create_default_context(cadata=pem)
        return Case(server, smtp_settings(server.port, security="starttls", ssl_context=trusted),
                    smtp_settings(server.port), "MTWATCH_SMTP_HOST to the name on the certificate")
    if name == "dns":
        server = stack.enter_context(SmtpServer())
        return Case(server, smtp_settings(server.port, host="smtp.mtwatch-test.invalid"),
                    smtp_settings(server.port), "check MTWATCH_SMTP_HOST")
    server = stack.enter_context(SmtpServer())  # "refused": the configured port is wrong
    return Case(server, smtp_settings(closed_port()), smtp_settings(server.port),
                "check MTWATCH_SMTP_HOST and MTWATCH_SMTP_PORT")


def held_rows(store: Store, channel: str) -> list[Any]:
    return [r for r in store.outbox_rows(channel=channel) if r.kind == "alert"]


@pytest.mark.parametrize("name", ["starttls_missing", "auth_refused", "certificate_name_mismatch",
                                  "dns", "refused"])
def test_an_email_misconfiguration_holds_the_channel_until_it_is_fixed(
    store: Store, tmp_path: Path, name: str
) -> None:
    for article_id in range(1, ALERTS + 1):
        add_match(store, article_id)
    plan = DeliveryPlan(operator=("webhook",))
    with ExitStack() as stack:
        case = email_case(name, stack, tmp_path)
        operator = stack.enter_context(WebhookReceiver())
        notifiers: dict[str, Notifier] = {"email": EmailNotifier(case.broken),
                                          "webhook": hook(operator.url, secret=operator.secret)}
        first = deliver_due(store, notifiers, now=T0, plan=plan)
        second = deliver_due(store, notifiers, now=T0 + dt.timedelta(days=3), plan=plan)
        waiting = held_rows(store, "email")
        notices = list(operator.effects.values())
        assert case.server.messages == []
        notifiers["email"] = EmailNotifier(case.fixed)
        fixed = deliver_due(store, notifiers, now=T0 + dt.timedelta(days=3, minutes=5),
                            plan=plan)
        again = deliver_due(store, notifiers, now=T0 + dt.timedelta(days=4), plan=plan)
        delivered = [str(e.message["Message-ID"]) for e in case.server.messages]
    assert (first.dead, second.dead, first.sent, second.sent) == (0, 0, 0, 0)
    assert [(r.status, r.attempts) for r in waiting] == [("pending", 0)] * ALERTS
    assert first.holds
    assert case.fix in first.holds[0]
    [notice] = notices  # told once, over two passes
    [item] = notice["data"]["items"]
    assert (item["event"], item["channel"]) == ("held", "email")
    assert case.fix in item["about"]
    assert (fixed.sent, fixed.held, fixed.holds) == (ALERTS, 0, [])
    assert again.sent == 0
    assert len(delivered) == len(set(delivered)) == ALERTS
    assert store.channel_holds() == {}
    assert [(r.status, r.attempts) for r in held_rows(store, "email")] == [("sent", 1)] * ALERTS


def failing_resolver(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_NONAME, f"Name or service not known: {host}")


def internal_resolver(host: str, port: int) -> list[str]:
    return ["10.0.0.7"]


def loopback_resolver(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


@pytest.mark.parametrize("name", ["dns", "tls", "internal_address"])
def test_a_webhook_misconfiguration_holds_the_channel_until_it_is_fixed(
    store: Store, name: str
) -> None:
    for article_id in range(1, ALERTS + 1):
        add_match(store, article_id, ("webhook",))
    plan = DeliveryPlan(operator=("email",))
    ca = TestCA()
    with ExitStack() as stack:
        stack.callback(ca.cleanup)
        smtp = stack.enter_context(SmtpServer())
        tls = ca.server_context() if name == "tls" else None
        receiver = stack.enter_context(WebhookReceiver(tls=tls))
        url = receiver.url.replace("127.0.0.1", "hooks.mtwatch-test.invalid")
        broken, fixed, fix = {
            "dns": (hook(url, secret=receiver.secret, resolver=failing_resolver),
                    hook(url, secret=receiver.secret, resolver=loopback_resolver),
                    "check the host in MTWATCH_WEBHOOK_URL"),
            "tls": (hook(receiver.url, secret=receiver.secret),
                    hook(receiver.url, secret=receiver.secret, context=ca.client_context()),
                    "trust its CA"),
            "internal_address": (hook(url, secret=receiver.secret, resolver=internal_resolver),
                                 hook(url, secret=receiver.secret, resolver=loopback_resolver),
                                 "alerts.webhook.allow_internal"),
        }[name]
        email = EmailNotifier(smtp_settings(smtp.port))
        notifiers: dict[str, Notifier] = {"webhook": broken, "email": email}
        first = deliver_due(store, notifiers, now=T0, plan=plan)
        deliver_due(store, notifiers, now=T0 + dt.timedelta(hours=30), plan=plan)
        waiting = held_rows(store, "webhook")
        notices = list(smtp.messages)
        notifiers["webhook"] = fixed
        back = deliver_due(store, notifiers, now=T0 + dt.timedelta(hours=31), plan=plan)
        effects = receiver.effects
    assert first.dead == 0
    assert [(r.status, r.attempts) for r in waiting] == [("pending", 0)] * ALERTS
    [notice] = notices
    assert "webhook channel held" in str(notice.message["Subject"])
    body = notice.message.get_body(("plain",))
    assert body is not None
    assert fix in " ".join(body.get_content().split())
    assert back.sent == ALERTS
    assert len(effects) == ALERTS
    assert store.channel_holds() == {}


def test_a_410_holds_until_the_url_changes(store: Store) -> None:
    for article_id in range(1, ALERTS + 1):
        add_match(store, article_id, ("webhook",))
    plan = DeliveryPlan(operator=("email",))
    gone_secret = new_secret()
    with WebhookReceiver(gone_secret, default=410) as gone, \
            WebhookReceiver(gone_secret) as moved, \
            SmtpServer() as smtp:
        notifiers: dict[str, Notifier] = {"webhook": hook(gone.url, secret=gone.secret),
                                          "email": EmailNotifier(smtp_settings(smtp.port))}
        deliver_due(store, notifiers, now=T0, plan=plan)
        idle = deliver_due(store, notifiers, now=T0 + dt.timedelta(days=2), plan=plan)
        assert len(gone.deliveries) == 1  # 410: never asked again with the same URL
        notifiers["webhook"] = hook(moved.url, secret=gone.secret)
        moved_report = deliver_due(store, notifiers, now=T0 + dt.timedelta(days=2, hours=1),
                                   plan=plan)
        notices = smtp.messages
        effects = moved.effects
    assert idle.held == ALERTS
    assert idle.sent == 0
    assert any("mtwatch alerts enable webhook" in e for e in idle.errors)
    assert moved_report.sent == ALERTS
    assert len(effects) == ALERTS
    assert len(notices) == 1
    assert "webhook channel disabled" in str(notices[0].message["Subject"])


@pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")
def test_an_apprise_url_apprise_cannot_read_holds_the_channel(
    store: Store, tmp_path: Path
) -> None:
    pytest.importorskip("apprise")
    for article_id in range(1, ALERTS + 1):
        add_match(store, article_id, ("apprise",))
    env = {"MTWATCH_DATA_DIR": str(tmp_path), "MTWATCH_ALERT_CHANNELS": "apprise"}
    plan = DeliveryPlan(operator=("webhook",))
    with WebhookReceiver(verify=False) as chat, WebhookReceiver() as operator:
        bad = build_notifiers(load_config(env={**env, "MTWATCH_APPRISE_URLS": "notaservice://x"}),
                              strict=False)["apprise"]
        assert isinstance(bad, UnusableChannel)
        notifiers: dict[str, Notifier] = {"apprise": bad,
                                          "webhook": hook(operator.url, secret=operator.secret)}
        first = deliver_due(store, notifiers, now=T0, plan=plan)
        deliver_due(store, notifiers, now=T0 + dt.timedelta(hours=1), plan=plan)
        waiting = held_rows(store, "apprise")
        good = f"json://127.0.0.1:{chat.port}/hook"
        notifiers["apprise"] = build_notifiers(load_config(
            env={**env, "MTWATCH_APPRISE_URLS": good}), strict=False)["apprise"]
        back = deliver_due(store, notifiers, now=T0 + dt.timedelta(hours=2), plan=plan)
        chats = chat.deliveries
        notices = list(operator.effects.values())
    assert first.holds
    assert "MTWATCH_APPRISE_URLS" in first.holds[0]
    assert [(r.status, r.attempts) for r in waiting] == [("pending", 0)] * ALERTS
    [notice] = notices
    assert notice["data"]["items"][0]["event"] == "held"
    assert back.sent == ALERTS
    assert len(chats) == ALERTS


@pytest.mark.parametrize(("error", "fix"), [
    (smtplib.SMTPRecipientsRefused({"a@x": (550, b"5.1.1 no such user")}), "MTWATCH_EMAIL_TO"),
    (smtplib.SMTPSenderRefused(553, b"5.7.1 not yours", "m@x"), "MTWATCH_EMAIL_FROM"),
    (smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server."),
     "unset MTWATCH_SMTP_USER/PASSWORD"),
    (smtplib.SMTPAuthenticationError(535, b"5.7.8 bad credentials"), "MTWATCH_SMTP_USER"),
])
def test_smtp_refusals_that_every_alert_would_meet_hold_the_channel(
    error: Exception, fix: str
) -> None:
    classified = classify(error, smtp_settings(25))
    assert classified.holds_channel
    assert classified.fix is not None
    assert fix in classified.fix


@pytest.mark.parametrize("error", [
    smtplib.SMTPRecipientsRefused({"a@x": (450, b"4.2.0 try later"), "b@x": (550, b"no")}),
    smtplib.SMTPSenderRefused(451, b"4.3.0 later", "m@x"),
    smtplib.SMTPDataError(550, b"5.7.1 rejected by policy"),
    smtplib.SMTPDataError(451, b"4.3.0 busy"),
])
def test_refusals_of_one_message_or_of_the_moment_do_not_hold(error: Exception) -> None:
    assert not classify(error, smtp_settings(25)).holds_channel
