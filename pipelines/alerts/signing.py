"""Standard Webhooks signing: whsec_ secrets (from env or a 0600 file) and signature headers."""

from __future__ import annotations

import base64
import binascii
import secrets as random_bytes
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from standardwebhooks.webhooks import Webhook

PREFIX = "whsec_"
#: Standard Webhooks: secrets are 24-64 random bytes
MIN_BYTES, MAX_BYTES = 24, 64
SECRET_ENV = "MTWATCH_WEBHOOK_SECRET"  # noqa: S105 - a variable name, not a secret


def parse_secrets(raw: str, source: str = SECRET_ENV) -> tuple[str, ...]:
    """``whsec_…`` secrets separated by spaces (two while rotating); never echoes a secret."""
    found = tuple(raw.split())
    if not found:
        raise ValueError(f"{source}: no webhook signing secret given")
    for index, secret in enumerate(found, 1):
        _check(secret, f"{source} (secret #{index})")
    return found


def _check(secret: str, where: str) -> None:
    if not secret.startswith(PREFIX):
        raise ValueError(f"{where}: must start with {PREFIX!r} (Standard Webhooks format)")
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{where}: is not valid base64 after {PREFIX!r}") from None
    if not MIN_BYTES <= len(key) <= MAX_BYTES:
        raise ValueError(
            f"{where}: decodes to {len(key)} bytes; use {MIN_BYTES}-{MAX_BYTES} random bytes "
            "(`mtwatch alerts new-secret` prints one)"
        )


def read_secret_file(path: Path) -> tuple[str, ...]:
    """Secrets from a file only its owner can read (mode 0600 or stricter)."""
    where = f"webhook secret file {path}"
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ValueError(f"{where}: readable by others (mode {stat.S_IMODE(mode):o}); "
                             "chmod 600 it")  # fmt: skip
        return parse_secrets(path.read_text(encoding="utf-8"), where)
    except OSError as exc:
        raise ValueError(f"cannot read {where}: {exc.strerror or exc}") from None


def load_secrets(secret: str | None, secret_file: Path | None) -> tuple[str, ...]:
    """The signing secrets: MTWATCH_WEBHOOK_SECRET, else the secret file; one is required."""
    if secret:
        return parse_secrets(secret)
    if secret_file is not None:
        return read_secret_file(secret_file)
    raise ValueError(
        f"{SECRET_ENV} (or MTWATCH_WEBHOOK_SECRET_FILE) is required for webhook alerts: "
        "deliveries are always signed"
    )


def new_secret(size: int = 32) -> str:
    """A fresh random secret in the whsec_ format."""
    return PREFIX + base64.b64encode(random_bytes.token_bytes(size)).decode()


def signature(secrets: Sequence[str], msg_id: str, timestamp: int, body: str) -> str:
    """The ``webhook-signature`` value: one ``v1,<base64>`` per secret, space-delimited."""
    when = datetime.fromtimestamp(timestamp, UTC)
    return " ".join(Webhook(s).sign(msg_id, when, body) for s in secrets)


def headers(secrets: Sequence[str], msg_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secrets, msg_id, timestamp, body),
    }

