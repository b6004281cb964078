"""Bar row E5: SMTP auth only over verified TLS, and the password never shows anywhere."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import ssl
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pipelines.alerts import DeliveryError, EmailNotifier, SmtpSettings
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.smtp import SmtpServer

CANARY = "canary-Pw-7f3e9b-must-never-show"
KEY = "0123456789abcdef0123456789abcdef01234567"
PAYLOAD = {"headline": "Ankara and Damascus", "url": "https://www.themoscowtimes.com/a1",
           "topic_name": "Syria–Turkey normalization", "evidence": []}


def self_signed_context(tmp: Path) -> ssl.SSLContext:
    """A server context whose certificate signed itself (CN and SAN localhost/127.0.0.1)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    sans = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .sign(key, hashes.SHA256()))
    (tmp / "self.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "self.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp / "self.pem", tmp / "self.key")
    return context


class SelfSignedSmtp(SmtpServer):
    """STARTTLS with a self-signed certificate, AUTH offered only after TLS."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self._self_signed = context
        super().__init__(tls="starttls", auth={"mt": CANARY})

    def _smtp_kwargs(self, tls: str | None, auth_require_tls: bool) -> dict[str, Any]:
        kwargs = super()._smtp_kwargs(tls, auth_require_tls)
        kwargs["tls_context"] = self._self_signed
        return kwargs


def settings(port: int, **changes: Any) -> SmtpSettings:
    return SmtpSettings(**{"host": "127.0.0.1", "port": port, "sender": "m@test.invalid",
                           "recipients": ("desk@test.invalid",), "security": "starttls",
                           "user": "mt", "password": CANARY, "timeout": 5, **changes})


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_self_signed_certificate_is_refused_before_auth(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, security: str
) -> None:
    caplog.set_level(logging.DEBUG)
    server: SmtpServer = SelfSignedSmtp(self_signed_context(tmp_path))
    if security == "ssl":
        server = SmtpServer(tls="ssl", auth={"mt": CANARY})  # a CA nobody trusts
    with server:
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED") as info:
            EmailNotifier(settings(server.port, security=security)).send(PAYLOAD,
                                                                         idempotency_key=KEY)
        assert server.auth_attempts == []
        assert server.envelopes == []
    assert CANARY not in caplog.text + str(info.value) + repr(info.value)


def test_verified_tls_delivers_with_auth(tmp_path: Path) -> None:
    with SmtpServer(tls="starttls", auth={"mt": CANARY}) as server:
        notifier = EmailNotifier(settings(server.port, ssl_context=server.client_context()))
        notifier.send(PAYLOAD, idempotency_key=KEY)
        [auth] = server.auth_attempts
        [delivered] = server.messages
    assert (auth.tls, auth.success, delivered.tls) == (True, True, True)


def cli_env(workdir: Path, server: SmtpServer, **extra: str) -> dict[str, str]:
    return mtwatch_env(workdir, MTWATCH_SMTP_HOST="localhost", MTWATCH_SMTP_PORT=str(server.port),
                       MTWATCH_SMTP_SECURITY="starttls", MTWATCH_SMTP_USER="mt",
                       MTWATCH_SMTP_PASSWORD=CANARY, MTWATCH_EMAIL_FROM="m@test.invalid",
                       MTWATCH_EMAIL_TO="desk@test.invalid", **extra)


def test_the_canary_password_never_shows_in_cli_output_or_logs(workdir: Path) -> None:
    with SmtpServer(tls="starttls", auth={"mt": CANARY}) as server:
        assert server.ca is not None
        ca_file = workdir / "test-ca.pem"
        ca_file.write_text(server.ca.ca_pem)
        trusted = cli_env(workdir, server, SSL_CERT_FILE=str(ca_file))
        sent = run_cli(["alerts", "-v", "test"], trusted, workdir)
        refused = run_cli(["alerts", "-v", "test"], cli_env(workdir, server), workdir)
        shown = run_cli(["check-config"], trusted, workdir)
        auths = server.auth_attempts
    assert sent.returncode == 0, sent.stderr
    assert refused.returncode == 1
    assert "CERTIFICATE_VERIFY_FAILED" in refused.stderr
    assert shown.returncode == 0, shown.stderr
    assert [(a.tls, a.success) for a in auths] == [(True, True)]  # none for the refused one
    for done in (sent, refused, shown):
        assert CANARY not in done.stdout + done.stderr
    logs = list((workdir / "data").rglob("*.log")) if (workdir / "data").exists() else []
    assert not [log for log in logs if CANARY in log.read_text(errors="replace")]
