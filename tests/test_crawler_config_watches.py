"""``[watches.<name>]`` tables: defaults, and every unknown name a one-line error naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import Config, ConfigError, load_config


def loaded(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> Config:
    path = tmp_path / "mtwatch.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env=env or {})


def error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mtwatch.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path, env={})
    return str(raised.value)


def test_no_watches_is_the_implicit_watch(tmp_path: Path) -> None:
    config = load_config(env={"MTWATCH_DATA_DIR": str(tmp_path)})
    assert config.watches == {}


def test_unset_keys_take_the_defaults(tmp_path: Path) -> None:
    config = loaded(tmp_path, '[alerts]\nchannels = ["email", "webhook"]\n[watches.all]\n')
    watch = config.watches["all"]
    assert watch.topics is None  # every enabled topic
    assert watch.sites is None  # every site
    assert watch.channels == ["email", "webhook"]  # [alerts] channels
    assert (watch.recipients, watch.url, watch.urls) == ([], "", [])
    assert watch.mode is None


def test_the_environment_s_channels_are_the_watches_default(tmp_path: Path) -> None:
    config = loaded(tmp_path, "[watches.all]\n", env={"MTWATCH_ALERT_CHANNELS": "webhook"})
    assert config.watches["all"].channels == ["webhook"]


def test_a_full_watch(tmp_path: Path) -> None:
    config = loaded(tmp_path, """
[sites.tass]
enabled = true
[watches.syria-desk]
topics = ["syria-turkey"]
sites = ["moscowtimes", "tass"]
channels = ["email", "webhook", "email"]
recipients = ["desk@example.org"]
url = "https://hooks.example.org/desk"
mode = "weekly"
digest_day = "friday"
""")
    watch = config.watches["syria-desk"]
    assert watch.topics == ["syria-turkey"]
    assert watch.sites == ["moscowtimes", "tass"]
    assert watch.channels == ["email", "webhook"]
    delivery = watch.delivery(config.alerts.email)
    assert (delivery.mode, delivery.digest_day, delivery.digest_time) == ("weekly", "friday",
                                                                          "08:00")


def test_a_topic_is_named_by_its_id_or_its_enabled_entry(tmp_path: Path) -> None:
    rules = (Path(__file__).resolve().parents[1] / "config" / "topics" / "syria-turkey.toml")
    mine = tmp_path / "rules" / "mine.toml"
    mine.parent.mkdir()
    mine.write_text(rules.read_text(encoding="utf-8").replace(
        'id = "syria-turkey"', 'id = "levant"', 1), encoding="utf-8")
    config = loaded(tmp_path, '[topics]\nenabled = ["syria-turkey", "rules/mine.toml"]\n'
                              '[watches.by-id]\ntopics = ["levant"]\n'
                              '[watches.by-entry]\ntopics = ["rules/mine.toml", "levant"]\n')
    watches = config.watches
    assert watches["by-id"].topics == ["levant"]
    assert watches["by-entry"].topics == ["levant"]  # read as the id, once


@pytest.mark.parametrize(("table", "expected"), [
    ('sites = ["moscowtimes", "lenta"]',
     "watches.w.sites in {file}: no site named 'lenta' (configured: moscowtimes, "),
    ('topics = ["syria"]',
     "watches.w.topics in {file}: 'syria' is not an enabled topic (enabled: syria-turkey;"),
    ('channels = ["sms"]',
     "watches.w.channels in {file}: unknown alert channel 'sms'; use email, webhook, apprise"),
    ("channels = []", "watches.w in {file}: no channel: set channels"),
    ('url = "https://hooks.example.org/x"',
     "watches.w in {file}: url is for the webhook channel, which the watch does not use "
     "(channels: email)"),
    ('recipients = ["a@example.org"]\nchannels = ["apprise"]',
     "watches.w in {file}: recipients is for the email channel"),
    ('mode = "hourly"', "watches.w.mode in {file}: Input should be"),
    ("sites = []", "watches.w.sites in {file}: List should have at least 1 item"),
    ("colour = 1", "unknown key 'watches.w.colour' in {file}"),
])
def test_a_mistake_is_one_line_naming_the_key(tmp_path: Path, table: str, expected: str) -> None:
    message = error(tmp_path, f"[watches.w]\n{table}\n")
    assert expected.format(file=tmp_path / "mtwatch.toml") in message
    assert "\n" not in message
    assert "Traceback" not in message


def test_a_watch_name_is_short_and_plain(tmp_path: Path) -> None:
    message = error(tmp_path, '[watches."Syria Desk"]\n')
    assert "watch name 'Syria Desk': use up to 24 lowercase letters, digits and '-'" in message
    assert "watch name" in error(tmp_path, f"[watches.{'x' * 25}]\n")


def test_no_channel_anywhere_is_an_error_not_a_silent_watch(tmp_path: Path) -> None:
    message = error(tmp_path, "[alerts]\nchannels = []\n[watches.w]\n")
    assert "watches.w in " in message
    assert "no channel" in message


def test_a_watch_s_unusable_webhook_url_names_the_watch_s_own_key(tmp_path: Path) -> None:
    from pipelines.wiring import build_notifiers

    config = loaded(tmp_path, '[watches.wire]\nchannels = ["webhook"]\n'
                              'url = "http://127.0.0.1:9/hook"\n',
                    env={"MTWATCH_WEBHOOK_SECRET": "whsec_" + "A" * 32,
                         "MTWATCH_WEBHOOK_URL": "https://hooks.example.org/x"})  # fmt: skip
    with pytest.raises(ConfigError) as raised:
        build_notifiers(config, resolver=lambda host, port: ["127.0.0.1"])
    message = str(raised.value)
    assert message.startswith("webhook:wire alerts: watches.wire.url in ")
    assert str(tmp_path / "mtwatch.toml") in message
    assert "MTWATCH_WEBHOOK_URL" not in message


def test_the_shared_webhook_url_s_error_names_where_it_was_set(tmp_path: Path) -> None:
    from pipelines.wiring import build_notifiers

    config = loaded(tmp_path, "[alerts]\nchannels = [\"webhook\"]\n",
                    env={"MTWATCH_WEBHOOK_SECRET": "whsec_" + "A" * 32,
                         "MTWATCH_WEBHOOK_URL": "http://127.0.0.1:9/hook"})  # fmt: skip
    with pytest.raises(ConfigError) as raised:
        build_notifiers(config, resolver=lambda host, port: ["127.0.0.1"])
    assert str(raised.value).startswith("webhook alerts: MTWATCH_WEBHOOK_URL: ")
