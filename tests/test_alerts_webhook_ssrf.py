"""Bar row E7: the webhook URL cannot reach internal addresses; the checked IP is the one used."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from crawler.config import ConfigError, load_config
from pipelines.alerts import DeliveryError, WebhookNotifier, WebhookSettings
from pipelines.alerts.netguard import AddressPolicy, is_public, literal_address
from pipelines.wiring import build_notifiers
from tests.helpers.smtp import TestCA
from tests.helpers.webhook import Reply, WebhookReceiver, new_secret

KEY = "0123456789abcdef0123456789abcdef01234567"
PAYLOAD = {"headline": "x"}
SECRET = new_secret()


class StubResolver:
    """Answers from a script (one answer per call, the last one repeats), never the network."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def config_for(tmp_path: Path, url: str, allow: list[str] | None = None) -> Any:
    user = tmp_path / "hook.toml"
    user.write_text(f"[alerts.webhook]\nallow_internal = {allow or []!r}\n".replace("'", '"'))
    env = {"MTWATCH_DATA_DIR": str(tmp_path), "MTWATCH_ALERT_CHANNELS": "webhook",
           "MTWATCH_WEBHOOK_URL": url, "MTWATCH_WEBHOOK_SECRET": SECRET}
    return load_config(user, env=env)


INTERNAL = ["127.0.0.1", "::1", "::ffff:127.0.0.1", "169.254.169.254", "10.0.0.1",
            "100.64.0.1", "0.0.0.0", "192.168.1.20", "fd00::1", "fe80::1", "2002:7f00:1::1"]


@pytest.mark.parametrize("address", INTERNAL)
def test_names_resolving_to_internal_addresses_are_a_config_error(
    tmp_path: Path, address: str
) -> None:
    resolver = StubResolver([address])
    config = config_for(tmp_path, "https://hooks.example.test/in")
    with pytest.raises(ConfigError, match=r"internal address") as info:
        build_notifiers(config, resolver=resolver)
    assert str(info.value).startswith("webhook alerts: ")
    assert resolver.calls == [("hooks.example.test", 443)]


@pytest.mark.parametrize(
    "url",
    ["https://2130706433/", "https://0x7f000001/", "https://0177.0.0.1/", "https://127.1/",
     "https://[::1]/", "https://[::ffff:127.0.0.1]/", "https://0.0.0.0/",
     "https://169.254.169.254/latest/meta-data/"],
)
def test_internal_literals_are_refused_without_asking_dns(tmp_path: Path, url: str) -> None:
    resolver = StubResolver(["93.184.216.34"])
    with pytest.raises(ConfigError, match="internal address"):
        build_notifiers(config_for(tmp_path, url), resolver=resolver)
    assert resolver.calls == []


def test_one_internal_address_among_public_ones_is_refused(tmp_path: Path) -> None:
    resolver = StubResolver(["93.184.216.34", "10.0.0.1"])
    with pytest.raises(ConfigError, match=r"10\.0\.0\.1"):
        build_notifiers(config_for(tmp_path, "https://hooks.example.test/"), resolver=resolver)


def test_public_addresses_and_the_allow_list_pass(tmp_path: Path) -> None:
    public = StubResolver(["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
    built = build_notifiers(config_for(tmp_path, "https://hooks.example.test/"), resolver=public)
    assert isinstance(built["webhook"], WebhookNotifier)
    for allow in (["10.1.0.0/16"], ["relay.corp.test"], ["10.1.2.3"]):
        inside = StubResolver(["10.1.2.3"])
        config = config_for(tmp_path, "https://relay.corp.test/hook", allow)
        assert "webhook" in build_notifiers(config, resolver=inside)


def test_plain_http_needs_the_allow_list(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="use https://"):
        build_notifiers(config_for(tmp_path, "http://hooks.example.test/"),
                        resolver=StubResolver(["93.184.216.34"]))


def test_address_classification_edge_cases() -> None:
    assert literal_address("2130706433") == literal_address("127.0.0.1")
    assert literal_address("hooks.example.test") is None
    assert literal_address("deadbeef.test") is None
    assert not any(is_public(literal_address(a) or _fail(a)) for a in INTERNAL)
    assert is_public(literal_address("93.184.216.34") or _fail("public"))
    policy = AddressPolicy(("127.0.0.1",))
    assert policy.permits("x", literal_address("127.0.0.1") or _fail("lo"))
    assert not policy.permits("x", literal_address("127.0.0.2") or _fail("lo2"))


def _fail(what: str) -> Any:
    raise AssertionError(f"not an address: {what}")


def hook(url: str, resolver: Any, **options: Any) -> WebhookNotifier:
    allow = options.pop("allow", ("127.0.0.1",))
    settings = WebhookSettings(url=url, secrets=(SECRET,), timeout=5, allow_internal=allow,
                               ssl_context=options.pop("ssl_context", None))
    return WebhookNotifier(settings, resolver=resolver, **options)


def test_rebinding_cannot_move_the_connection_after_the_check() -> None:
    with WebhookReceiver(secret=SECRET) as receiver:
        # validated answer first (allow-listed loopback), then the metadata address
        resolver = StubResolver(["127.0.0.1"], ["169.254.169.254"])
        notifier = hook(f"http://hooks.example.test:{receiver.port}/hook", resolver)
        notifier.send(PAYLOAD, idempotency_key=KEY)
        assert notifier.last_peer == ("127.0.0.1", receiver.port)
        assert len(resolver.calls) == 1  # resolved once, connected to what was checked
        with pytest.raises(DeliveryError, match=r"169\.254\.169\.254") as info:
            notifier.send(PAYLOAD, idempotency_key=KEY)
        [delivery] = receiver.deliveries
    assert info.value.transient is False
    assert delivery.headers["host"] == f"hooks.example.test:{receiver.port}"


def test_the_connection_goes_to_the_first_validated_public_ip() -> None:
    dialed: list[tuple[str, int]] = []
    with WebhookReceiver(secret=SECRET) as receiver:
        def connector(ip: str, port: int, timeout: float) -> socket.socket:
            dialed.append((ip, port))  # pretend to be the route to that public IP
            return socket.create_connection(("127.0.0.1", receiver.port), timeout=timeout)

        resolver = StubResolver(["93.184.216.34", "93.184.216.35"], ["127.0.0.1"])
        notifier = hook(f"https://hooks.example.test:{receiver.port}/hook", resolver,
                        allow=(), connector=connector)
        with pytest.raises(DeliveryError):  # the receiver speaks plain HTTP, not TLS
            notifier.send(PAYLOAD, idempotency_key=KEY)
        with pytest.raises(DeliveryError, match="internal address"):
            notifier.send(PAYLOAD, idempotency_key=KEY)
    assert dialed == [("93.184.216.34", receiver.port)]


def test_tls_is_verified_against_the_name_not_the_pinned_ip() -> None:
    ca = TestCA()  # its server certificate names localhost and 127.0.0.1
    try:
        with WebhookReceiver(secret=SECRET, tls=ca.server_context()) as receiver:
            good = hook(f"https://localhost:{receiver.port}/hook", StubResolver(["127.0.0.1"]),
                        ssl_context=ca.client_context())
            good.send(PAYLOAD, idempotency_key=KEY)
            wrong = hook(f"https://hooks.example.test:{receiver.port}/hook",
                         StubResolver(["127.0.0.1"]), ssl_context=ca.client_context())
            with pytest.raises(DeliveryError, match=r"TLS|certificate|hostname"):
                wrong.send(PAYLOAD, idempotency_key=KEY)
            assert [d.verified for d in receiver.deliveries] == [True]
    finally:
        ca.cleanup()


def test_redirects_are_never_followed() -> None:
    with WebhookReceiver(secret=SECRET) as canary, WebhookReceiver(secret=SECRET) as receiver:
        for status in (301, 302, 307, 308):
            receiver.script(Reply(status, {"Location": canary.url}))
            with pytest.raises(DeliveryError, match=f"{status}.*never followed") as info:
                hook(receiver.url, StubResolver(["127.0.0.1"])).send(PAYLOAD, idempotency_key=KEY)
            assert info.value.transient is False
        assert len(receiver.deliveries) == 4
        assert canary.deliveries == []
