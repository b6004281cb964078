"""Loopback SMTP server for tests: aiosmtpd on 127.0.0.1 recording envelopes, optional TLS/AUTH."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import tempfile
import threading
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Envelope:
    """One DATA transaction as the server saw it, and the reply it gave."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage
    reply: str
    tls: bool

    @property
    def accepted(self) -> bool:
        return self.reply.startswith("250")


@dataclass(frozen=True)
class AuthAttempt:
    mechanism: str
    login: str
    tls: bool
    success: bool


class TestCA:
    """A throwaway CA and a server certificate for 127.0.0.1 / localhost, made at runtime."""

    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="mtwatch-ca-")
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_cert = _certificate("mtwatch test CA", ca_key, ca_key, None, is_ca=True)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate("localhost", key, ca_key, ca_cert, is_ca=False)
        self.ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM).decode()
        self.cert_file = Path(self._dir.name, "server.pem")
        self.key_file = Path(self._dir.name, "server.key")
        self.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        self.key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context (hostname checks on) that trusts only this CA."""
        return ssl.create_default_context(cadata=self.ca_pem)

    def cleanup(self) -> None:
        self._dir.cleanup()


def _certificate(
    name: str,
    key: ec.EllipticCurvePrivateKey,
    signer: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None,
    *,
    is_ca: bool,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False
        )
    )
    if is_ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
        builder = builder.add_extension(usage, critical=True)
    else:
        sans = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
        builder = builder.add_extension(eku, critical=False)
    return builder.sign(signer, hashes.SHA256())


class _QuietSession(Session):
    #: a plain attribute: aiosmtpd 1.4 sets this deprecated property (with a warning) on AUTH
    login_data: Any = None


class _SMTP(SMTP):
    def _create_session(self) -> Session:
        return _QuietSession(self.loop)


class _BoundController(Controller):
    """aiosmtpd Controller on a socket bound before start: a free port with no race."""

    def factory(self) -> SMTP:
        return _SMTP(self.handler, **self.SMTP_kwargs)

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((HOST, 0))
        super().__init__(handler, hostname=HOST, port=self._sock.getsockname()[1], **kwargs)

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


@dataclass
class _Log:
    envelopes: list[Envelope] = field(default_factory=list)
    auths: list[AuthAttempt] = field(default_factory=list)
    ehlo_count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class SmtpServer:
    """A real SMTP server on 127.0.0.1 for one test.

    ``tls``: None (plain), "starttls" (advertised after EHLO) or "ssl" (implicit TLS).
    ``auth``: {login: password} enables AUTH PLAIN/LOGIN; ``auth_require_tls=False`` lets a
    plaintext server advertise AUTH (to prove the client still refuses to use it).
    ``data_replies``: replies to the first DATA transactions in order, then ``default_reply``
    (e.g. ``data_replies=["451 4.3.0 Try again later"]`` or ``default_reply="550 5.7.1 No"``).
    """

    def __init__(
        self,
        *,
        tls: Literal["starttls", "ssl"] | None = None,
        auth: dict[str, str] | None = None,
        auth_require_tls: bool = True,
        data_replies: Sequence[str] = (),
        default_reply: str = "250 OK",
    ) -> None:
        self.host = HOST
        self.implicit_tls = tls == "ssl"
        self.ca = TestCA() if tls else None
        self._auth = dict(auth or {})
        self._replies = list(data_replies)
        self._default_reply = default_reply
        self._log = _Log()
        self._controller = _BoundController(
            _Handler(self), **self._smtp_kwargs(tls, auth_require_tls)
        )
        self.port: int = self._controller.port

    def _smtp_kwargs(self, tls: str | None, auth_require_tls: bool) -> dict[str, Any]:
        # ready_timeout is a "don't hang" guard: a busy machine may take seconds to start a thread
        kwargs: dict[str, Any] = {"server_hostname": "localhost", "ready_timeout": 60.0}
        if self.ca is not None:
            key = "ssl_context" if tls == "ssl" else "tls_context"
            kwargs[key] = self.ca.server_context()
        if self._auth:
            kwargs.update(
                authenticator=self._authenticate,
                # aiosmtpd only counts STARTTLS as TLS; an implicit-TLS socket is TLS already
                auth_require_tls=auth_require_tls and not self.implicit_tls,
                auth_exclude_mechanism=["CRAM-MD5"],
            )
        return kwargs

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._controller.stop()
        if self.ca is not None:
            self.ca.cleanup()

    def client_context(self) -> ssl.SSLContext | None:
        """An SSL context that trusts this server's test CA (None for a plain server)."""
        return self.ca.client_context() if self.ca else None

    @property
    def envelopes(self) -> list[Envelope]:
        """Every DATA transaction, accepted or not."""
        with self._log.lock:
            return list(self._log.envelopes)

    @property
    def messages(self) -> list[Envelope]:
        """DATA transactions the server accepted (250)."""
        return [e for e in self.envelopes if e.accepted]

    @property
    def auth_attempts(self) -> list[AuthAttempt]:
        with self._log.lock:
            return list(self._log.auths)

    def _tls(self, session: Any) -> bool:
        return self.implicit_tls or session.ssl is not None

    def _next_reply(self) -> str:
        with self._log.lock:
            return self._replies.pop(0) if self._replies else self._default_reply

    def _record(self, envelope: Envelope) -> None:
        with self._log.lock:
            self._log.envelopes.append(envelope)

    def _authenticate(
        self, _server: Any, session: Any, _envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        login, password = "", ""
        if isinstance(data, LoginPassword):
            login, password = data.login.decode(), data.password.decode()
        ok = bool(login) and self._auth.get(login) == password
        with self._log.lock:
            self._log.auths.append(AuthAttempt(mechanism, login, self._tls(session), ok))
        return AuthResult(success=ok, handled=False)


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def handle_DATA(self, _smtp: Any, session: Any, envelope: Any) -> str:
        reply = self._server._next_reply()
        raw: bytes = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self._server._record(
            Envelope(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                data=raw,
                message=message,
                reply=reply,
                tls=self._server._tls(session),
            )
        )
        return reply


def smtp_env(smtp: SmtpServer) -> dict[str, str]:
    """The environment that sends mtwatch's mail (alerts, operator notices) to ``smtp``."""
    return {"MTWATCH_SMTP_HOST": smtp.host, "MTWATCH_SMTP_PORT": str(smtp.port),
            "MTWATCH_SMTP_SECURITY": "none", "MTWATCH_EMAIL_FROM": "mtwatch@test.invalid",
            "MTWATCH_EMAIL_TO": "desk@test.invalid"}


def notices(smtp: SmtpServer) -> list[str]:
    """Subjects of the operator notices the SMTP server received."""
    return [str(m.message["Subject"]) for m in smtp.messages
            if "operator notice" in str(m.message["Subject"])]
