"""Certificates for an HTTPS replica: a throwaway self-signed one (no CA trusts it: TLS must
fail), or one issued by a test certificate authority that a test can install (TLS succeeds)."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_LIFETIME = datetime.timedelta(days=7)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _server_cert(host: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name,
                 issuer_key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder().subject_name(_name(host)).issuer_name(issuer)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + _LIFETIME)
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def _context(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        context.load_cert_chain(cert_file, key_file)
    return context


def self_signed_context(host: str = "127.0.0.1") -> ssl.SSLContext:
    """A server context whose certificate (for ``host``) is signed by nobody."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _context(_server_cert(host, key, _name(host), key), key)


class TestCA:
    """A throwaway certificate authority: install :attr:`pem` as a trust root (for OpenSSL,
    ``SSL_CERT_FILE``), then its server certificates verify."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        self.name = _name("mtwatch test CA")
        self.cert = (
            x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
            .public_key(self._key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + _LIFETIME)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self._key.public_key()),
                           critical=False)
            .sign(self._key, hashes.SHA256())
        )

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def openssl_env(self, folder: Path) -> dict[str, str]:
        """Environment variables under which OpenSSL trusts this CA, and only it (the bundle
        is written to ``folder``)."""
        bundle = folder / "test-ca.pem"
        bundle.write_bytes(self.pem)
        return {"SSL_CERT_FILE": str(bundle), "SSL_CERT_DIR": str(folder / "no-such-dir")}

    def server_context(self, host: str = "127.0.0.1") -> ssl.SSLContext:
        """A server context with a certificate for ``host`` issued by this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        return _context(_server_cert(host, key, self.name, self._key), key)
