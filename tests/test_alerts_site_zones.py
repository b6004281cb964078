"""Each site's ``timezone`` reaches the channels that show times (email, Apprise)."""

from __future__ import annotations

from pathlib import Path

from crawler.config import load_config
from pipelines.wiring import build_notifiers


def test_the_configured_sites_zones_reach_the_email_and_apprise_channels(tmp_path: Path) -> None:
    config_file = tmp_path / "mtwatch.toml"
    config_file.write_text(
        '[sites.moscowtimes-ru]\nenabled = true\ntimezone = "Asia/Tbilisi"\n'
        '[alerts]\nchannels = ["email", "apprise"]\n', encoding="utf-8")
    env = {"MTWATCH_SMTP_HOST": "127.0.0.1", "MTWATCH_SMTP_PORT": "2525",
           "MTWATCH_SMTP_SECURITY": "none", "MTWATCH_EMAIL_FROM": "a@test.invalid",
           "MTWATCH_EMAIL_TO": "b@test.invalid", "MTWATCH_APPRISE_URLS": "json://127.0.0.1:9/"}
    notifiers = build_notifiers(load_config(config_file, env=env))
    for channel in ("email", "apprise"):
        zones = notifiers[channel].zones  # type: ignore[attr-defined]
        assert zones["moscowtimes-ru"] == "Asia/Tbilisi"
        assert zones["moscowtimes"] == "Europe/Moscow"
