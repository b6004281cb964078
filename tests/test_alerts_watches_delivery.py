"""A watch's own channels: one notifier per route with the watch's recipients or URL over the
channel's settings, and a watch in digest mode whose digest goes out on its own route."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.config import Config, load_config
from pipelines.alerts import EmailNotifier, WebhookNotifier, deliver_due
from pipelines.storage import Store
from pipelines.storage.store import Evaluated
from pipelines.wiring import build_notifiers, delivery_plan, unconfigured_channels, watches
from tests.helpers.stories import article_record as record
from tests.helpers.stories import pair
from tests.helpers.stories import quoted_match as match
from tests.helpers.webhook import new_secret

MAIL = {"MTWATCH_SMTP_HOST": "127.0.0.1", "MTWATCH_SMTP_PORT": "2525",
        "MTWATCH_SMTP_SECURITY": "none", "MTWATCH_EMAIL_FROM": "mtwatch@test.invalid",
        "MTWATCH_EMAIL_TO": "desk@test.invalid"}


def configured(tmp_path: Path, text: str, **env: str) -> Config:
    path = tmp_path / "mtwatch.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env={"MTWATCH_DATA_DIR": str(tmp_path), **MAIL, **env})


def public(_host: str, _port: int) -> Sequence[str]:
    return ["93.184.216.34"]  # a public address: resolved here, never connected to


def test_each_route_gets_a_notifier_with_the_watch_s_own_target(tmp_path: Path) -> None:
    config = configured(tmp_path, """
[watches.desk]
channels = ["email"]
recipients = ["syria@test.invalid", "editor@test.invalid"]
[watches.room]
channels = ["webhook", "email"]
url = "https://hooks.example.test/room"
""", MTWATCH_WEBHOOK_SECRET=new_secret())
    notifiers = build_notifiers(config, resolver=public)
    # [alerts] channels keep theirs (rows queued before the watches still go out)
    assert list(notifiers) == ["email", "email:desk", "webhook:room", "email:room"]
    desk, room_mail, room_hook = (notifiers[n] for n in ("email:desk", "email:room",
                                                        "webhook:room"))
    assert isinstance(desk, EmailNotifier)
    assert isinstance(room_mail, EmailNotifier)
    assert isinstance(room_hook, WebhookNotifier)
    assert desk.settings.recipients == ("syria@test.invalid", "editor@test.invalid")
    assert room_mail.settings.recipients == ("desk@test.invalid",)  # the channel's own
    assert room_hook.settings.url == "https://hooks.example.test/room"
    assert unconfigured_channels(config) == []


def test_a_watch_channel_without_settings_queues_its_alerts(tmp_path: Path) -> None:
    config = configured(tmp_path, '[watches.room]\nchannels = ["webhook"]\n')
    assert "webhook:room" not in build_notifiers(config)
    assert unconfigured_channels(config) == ["webhook:room"]


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[Mapping[str, Any], str]] = []

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        self.sent.append((payload, idempotency_key))


def test_a_watch_in_digest_mode_sends_its_own_digest(tmp_path: Path, store: Store) -> None:
    config = configured(tmp_path, """
[alerts]
channels = ["email"]
[watches.desk]
mode = "daily"
digest_time = "07:30"
[watches.room]
""")
    plan = delivery_plan(config)
    assert list(plan.digests) == ["email:desk"]  # the channel itself stays immediate
    a, _b = pair("reheadlined")
    rec = record(a, "wire", "a1")
    store.store_evaluated_many([Evaluated(rec, [match(rec)])], watches(config))
    desk, room = Recorder(), Recorder()
    now = datetime.now(UTC)
    deliver_due(store, {"email:desk": desk, "email:room": room}, now=now, plan=plan)
    assert [p["watch"] for p, _k in room.sent] == ["room"]  # at once
    assert desk.sent == []  # waits for its digest
    deliver_due(store, {"email:desk": desk, "email:room": room}, now=now + timedelta(days=2),
                plan=plan)
    [(digest, _key)] = desk.sent
    assert (digest["kind"], digest["watch"], digest["channel"]) == ("digest", "desk",
                                                                    "email:desk")
    assert [item["headline"] for item in digest["items"]] == [rec.headline]
    assert [r.watch for r in store.outbox_rows() if r.kind == "digest"] == ["desk"]
    assert len(room.sent) == 1
