"""Apprise channels (the optional extra): Apprise's json:// plugin to the loopback receiver."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crawler.config import ConfigError, load_config
from pipelines.alerts import DeliveryError
from pipelines.wiring import build_notifiers
from tests.helpers.alerts import KEY, sample_payload
from tests.helpers.launch import mtwatch_env, run_cli
from tests.helpers.webhook import WebhookReceiver

pytest.importorskip("apprise")
pytestmark = pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")

from pipelines.alerts.chat import AppriseNotifier  # noqa: E402


def json_url(receiver: WebhookReceiver) -> str:
    return f"json://127.0.0.1:{receiver.port}/hook"


def test_an_alert_reaches_an_apprise_url() -> None:
    with WebhookReceiver(verify=False) as receiver:
        AppriseNotifier([json_url(receiver)]).send(sample_payload(), idempotency_key=KEY)
        [delivery] = receiver.deliveries
    body = delivery.json()
    assert body["title"] == (
        "[mtwatch] Syria–Turkey normalization: Ankara and Damascus Move Toward Normalization")
    assert "https://www.themoscowtimes.com/2025/03/01/ankara-damascus-a42" in body["message"]
    assert "**Turkey** and **Syria**" in body["message"]
    assert body["message"].rstrip().endswith(f"mtwatch id: {KEY}")


def test_a_failing_apprise_target_is_a_transient_failure() -> None:
    with WebhookReceiver(verify=False, default=500) as receiver, \
            pytest.raises(DeliveryError, match="apprise") as info:
        AppriseNotifier([json_url(receiver)]).send(sample_payload(), idempotency_key=KEY)
    assert info.value.transient is True


def test_urls_come_from_the_environment_and_are_never_shown(workdir: Path) -> None:
    with WebhookReceiver(verify=False) as receiver:
        url = json_url(receiver) + "?token=sekret-token-1234"
        env = mtwatch_env(workdir, MTWATCH_ALERT_CHANNELS="apprise", MTWATCH_APPRISE_URLS=url)
        config = load_config(env=env)
        assert isinstance(build_notifiers(config)["apprise"], AppriseNotifier)
        shown = run_cli(["check-config"], env, workdir)
        tested = run_cli(["alerts", "test"], env, workdir)
        [delivery] = receiver.deliveries
    assert shown.returncode == 0, shown.stderr
    assert tested.returncode == 0, tested.stderr
    assert "sekret-token-1234" not in shown.stdout + shown.stderr + tested.stdout + tested.stderr
    assert "test alert" in delivery.json()["title"]


def test_bad_urls_and_a_missing_extra_are_config_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"MTWATCH_DATA_DIR": str(tmp_path), "MTWATCH_ALERT_CHANNELS": "apprise",
           "MTWATCH_APPRISE_URLS": "notaservice://what"}
    with pytest.raises(ConfigError, match="Apprise URL #1"):
        build_notifiers(load_config(env=env))
    monkeypatch.setitem(sys.modules, "apprise", None)
    env["MTWATCH_APPRISE_URLS"] = "json://127.0.0.1:9/"
    with pytest.raises(ConfigError, match=r"pip install 'mtwatch\[apprise\]'"):
        build_notifiers(load_config(env=env))
