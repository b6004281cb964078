"""Bar row E6: Standard Webhooks signing, checked by the reference verifier, and the secret."""

from __future__ import annotations

import base64
import logging
import os
import time
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from crawler.config import ConfigError, load_config
from pipelines.alerts import WebhookNotifier, WebhookSettings
from pipelines.alerts.signing import new_secret, parse_secrets
from pipelines.wiring import build_notifiers
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.webhook import WebhookReceiver

KEY = "0123456789abcdef0123456789abcdef01234567"
PAYLOAD: dict[str, Any] = {"article_id": 81087, "headline": "Roadmap to mend Syria–Turkey ties",
                           "evidence": [{"sentence": "Turkey and Syria …", "terms": ["Syria"]}]}


def notifier(receiver: WebhookReceiver, *secrets: str, **options: Any) -> WebhookNotifier:
    settings = WebhookSettings(url=receiver.url, secrets=secrets or (receiver.secret,),
                               timeout=5, allow_internal=("127.0.0.1",))
    return WebhookNotifier(settings, **options)


def test_every_delivery_verifies_with_the_reference_verifier() -> None:
    with WebhookReceiver() as receiver:
        before = int(time.time())
        notifier(receiver).send(PAYLOAD, idempotency_key=KEY)
        after = time.time()
        [delivery] = receiver.deliveries
    assert delivery.verified, delivery.error
    assert delivery.webhook_id == KEY
    assert before <= int(delivery.headers["webhook-timestamp"]) <= after  # signed when sent
    assert delivery.headers["webhook-signature"].startswith("v1,")
    assert delivery.headers["content-type"] == "application/json"
    body = delivery.json()
    assert body == {"type": "mtwatch.alert", "id": KEY, "data": PAYLOAD}


def test_tampered_body_id_or_timestamp_is_rejected() -> None:
    with WebhookReceiver() as receiver:
        notifier(receiver).send(PAYLOAD, idempotency_key=KEY)
        [delivery] = receiver.deliveries
    verifier = Webhook(receiver.secret)
    headers = dict(delivery.headers)
    verifier.verify(delivery.body, headers)  # the untouched delivery is fine
    tampered_body = delivery.body.replace(b"Roadmap", b"Roadmop")
    later = str(int(headers["webhook-timestamp"]) + 1)
    for body, changed in [
        (tampered_body, {}),
        (delivery.body, {"webhook-id": KEY[:-1] + "8"}),
        (delivery.body, {"webhook-timestamp": later}),
    ]:
        with pytest.raises(WebhookVerificationError):
            verifier.verify(body, {**headers, **changed})


@pytest.mark.parametrize(("age", "accepted"), [(240, True), (301, False), (3600, False)])
def test_a_timestamp_older_than_five_minutes_is_rejected(age: int, accepted: bool) -> None:
    with WebhookReceiver() as receiver:
        stale = notifier(receiver, clock=lambda: time.time() - age)
        if accepted:
            stale.send(PAYLOAD, idempotency_key=KEY)
        else:
            with pytest.raises(Exception, match="401"):
                stale.send(PAYLOAD, idempotency_key=KEY)
        [delivery] = receiver.deliveries
    assert delivery.verified is accepted
    if not accepted:
        assert "too old" in delivery.error


def test_rotation_signs_with_both_secrets_and_either_verifies() -> None:
    old, new = new_secret(), new_secret()
    for receiver_secret in (old, new):
        with WebhookReceiver(secret=receiver_secret) as receiver:
            notifier(receiver, new, old).send(PAYLOAD, idempotency_key=KEY)
            [delivery] = receiver.deliveries
        signatures = delivery.headers["webhook-signature"].split(" ")
        assert len(signatures) == 2
        assert all(s.startswith("v1,") for s in signatures)
        assert delivery.verified, delivery.error


def secret_of(size: int) -> str:
    return "whsec_" + base64.b64encode(os.urandom(size)).decode()


@pytest.mark.parametrize("size", [24, 32, 64])
def test_secrets_of_24_to_64_random_bytes_are_accepted(size: int) -> None:
    secret = secret_of(size)
    assert parse_secrets(secret) == (secret,)
    assert len(base64.b64decode(new_secret()[6:])) >= 24


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (secret_of(16), "decodes to 16 bytes"),
        (secret_of(65), "decodes to 65 bytes"),
        (base64.b64encode(os.urandom(32)).decode(), "must start with 'whsec_'"),
        ("whsec_not*base64!", "not valid base64"),
        ("   ", "no webhook signing secret"),
    ],
    ids=["16-bytes", "65-bytes", "no-prefix", "not-base64", "blank"],  # stable for xdist
)
def test_weak_or_malformed_secrets_are_refused(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        parse_secrets(raw)
    if raw.strip():
        assert raw.strip()[6:] not in str(info.value)


def webhook_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"MTWATCH_DATA_DIR": str(tmp_path), "MTWATCH_ALERT_CHANNELS": "webhook",
            "MTWATCH_WEBHOOK_URL": "https://hooks.example.test/mtwatch", **extra}


def public(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


def test_the_secret_comes_from_the_environment_or_a_private_file(tmp_path: Path) -> None:
    secret = new_secret()
    from_env = load_config(env=webhook_env(tmp_path, MTWATCH_WEBHOOK_SECRET=secret))
    assert isinstance(build_notifiers(from_env, resolver=public)["webhook"], WebhookNotifier)
    path = tmp_path / "webhook.secret"
    path.write_text(secret + "\n")
    path.chmod(0o600)
    from_file = load_config(env=webhook_env(tmp_path, MTWATCH_WEBHOOK_SECRET_FILE=str(path)))
    hook = build_notifiers(from_file, resolver=public)["webhook"]
    assert isinstance(hook, WebhookNotifier)
    assert hook.settings.secrets == (secret,)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        build_notifiers(from_file, resolver=public)
    with pytest.raises(ConfigError, match="MTWATCH_WEBHOOK_SECRET"):
        build_notifiers(load_config(env=webhook_env(tmp_path)), resolver=public)


def test_a_config_file_cannot_hold_the_secret(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(f'[alerts.webhook]\nsecret = "{new_secret()}"\n')
    with pytest.raises(ConfigError, match=r"alerts\.webhook\.secret is not allowed in a file"):
        load_config(user, env={})


def test_the_secret_never_reaches_logs_reprs_or_check_config(
    tmp_path: Path, workdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = new_secret()
    with WebhookReceiver(secret=secret) as receiver:
        hook = notifier(receiver)
        hook.send(PAYLOAD, idempotency_key=KEY)
        env = mtwatch_env(workdir, MTWATCH_ALERT_CHANNELS="webhook",
                          MTWATCH_WEBHOOK_URL=receiver.url, MTWATCH_WEBHOOK_SECRET=secret)
        config_file = workdir / "fast.toml"
        config_file.write_text(config_file.read_text() +
                               '\n[alerts.webhook]\nallow_internal = ["127.0.0.1"]\n')
        done = run_cli(["check-config"], env, workdir)
    assert done.returncode == 0, done.stderr
    seen = [caplog.text, repr(hook), repr(hook.settings), done.stdout, done.stderr]
    assert not [text for text in seen if secret in text or secret[6:] in text]
