"""Daily and weekly digests per channel, on an injected clock (never today's date)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.config import load_config
from pipelines.alerts import DeliveryPlan, DigestSchedule, Notifier, deliver_due
from pipelines.alerts.replay import replay
from pipelines.storage import Store
from pipelines.wiring import delivery_plan
from tests.helpers.alerts import add_match, email_channel, webhook_channel
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import WebhookReceiver

MSK = ZoneInfo("Europe/Moscow")
#: Tuesday 2025-03-04 10:00 Moscow time
T0 = datetime(2025, 3, 4, 10, 0, tzinfo=MSK)
DAILY = DigestSchedule.from_settings("daily", "08:00", "Europe/Moscow")


def at(text: str, zone: str = "Europe/Moscow") -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def test_daily_and_weekly_periods_end_at_the_last_boundary() -> None:
    assert DAILY.period(at("2025-03-04T10:00")) == (at("2025-03-03T08:00"), at("2025-03-04T08:00"))
    assert DAILY.period(at("2025-03-04T07:59")) == (at("2025-03-02T08:00"), at("2025-03-03T08:00"))
    assert DAILY.period(at("2025-03-04T08:00"))[1] == at("2025-03-04T08:00")
    weekly = DigestSchedule.from_settings("weekly", "09:30", "Europe/Moscow", "friday")
    start, end = weekly.period(at("2025-03-04T10:00"))  # a Tuesday
    assert (start, end) == (at("2025-02-21T09:30"), at("2025-02-28T09:30"))
    assert end.astimezone(MSK).strftime("%A") == "Friday"


def test_periods_keep_wall_clock_time_across_dst() -> None:
    berlin = DigestSchedule.from_settings("daily", "08:00", "Europe/Berlin")
    start, end = berlin.period(at("2026-03-29T12:00", "Europe/Berlin"))  # spring forward
    assert end - start == timedelta(hours=23)
    assert end.astimezone(ZoneInfo("Europe/Berlin")).hour == 8
    start, end = berlin.period(at("2026-10-25T12:00", "Europe/Berlin"))  # fall back
    assert end - start == timedelta(hours=25)


def add_at(store: Store, article_id: int, when: datetime) -> None:
    """A match whose outbox rows were created at ``when`` (the store stamps rows with now)."""
    add_match(store, article_id)
    from sqlalchemy import select

    from pipelines.storage.schema import alert_outbox, matches
    from tests.helpers.rows import writing

    match_ids = select(matches.c.id).where(matches.c.article_id == article_id)
    with writing(store) as conn:
        conn.execute(alert_outbox.update().where(alert_outbox.c.match_id.in_(match_ids))
                     .values(created_at=when, next_attempt_at=when))


def test_a_daily_digest_lists_the_periods_matches_once(store: Store) -> None:
    for article_id, hour in ((1, "2025-03-03T09:00"), (2, "2025-03-03T20:00"),
                             (3, "2025-03-04T07:30"), (4, "2025-03-04T08:30")):
        add_at(store, article_id, at(hour))
    plan = DeliveryPlan(digests={"email": DAILY})
    with SmtpServer() as smtp:
        notifiers: dict[str, Notifier] = {"email": email_channel(smtp)}
        early = deliver_due(store, notifiers, now=at("2025-03-04T07:59"), plan=plan)
        assert smtp.messages == []
        first = deliver_due(store, notifiers, now=at("2025-03-04T08:05"), plan=plan)
        again = deliver_due(store, notifiers, now=at("2025-03-04T12:00"), plan=plan)
        nxt = deliver_due(store, notifiers, now=at("2025-03-05T08:00"), plan=plan)
        first_mail, second_mail = smtp.messages
    assert (early.sent, first.sent, again.sent, nxt.sent) == (0, 1, 0, 1)
    body = first_mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Daily digest" in str(first_mail.message["Subject"])
    assert "3 matching articles" in str(first_mail.message["Subject"])
    for article_id in (1, 2, 3):
        assert f"Turkey and Syria talk {article_id}" in body
    assert "talk 4" not in body
    assert "2025-03-03 08:00 – 2025-03-04 08:00 MSK" in body
    second = second_mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "talk 4" in second
    rows = store.outbox_rows()
    assert [r.status for r in rows if r.kind == "alert"] == ["sent"] * 4
    assert sorted(r.kind for r in rows) == ["alert"] * 4 + ["digest"] * 2


def test_an_empty_period_sends_nothing_unless_asked(store: Store) -> None:
    run = store.start_run(trigger="cron", now=at("2025-03-03T12:00"))
    store.finish_run(run, now=at("2025-03-03T12:05"), status="ok", reason="", stats={})
    quiet = DeliveryPlan(digests={"email": DAILY})
    loud = DeliveryPlan(digests={"email": DigestSchedule.from_settings(
        "daily", "08:00", "Europe/Moscow", send_empty=True)})
    with SmtpServer() as smtp:
        notifiers: dict[str, Notifier] = {"email": email_channel(smtp)}
        deliver_due(store, notifiers, now=at("2025-03-04T09:00"), plan=quiet)
        assert smtp.messages == []
        deliver_due(store, notifiers, now=at("2025-03-04T09:00"), plan=loud)
        deliver_due(store, notifiers, now=at("2025-03-04T10:00"), plan=loud)
        [healthy] = smtp.messages
        failed = store.start_run(trigger="cron", now=at("2025-03-04T12:00"))
        store.finish_run(failed, now=at("2025-03-04T12:01"), status="failed",
                         reason="site unreachable", stats={})
        deliver_due(store, notifiers, now=at("2025-03-05T08:01"), plan=loud)
        _, unhealthy = smtp.messages
    text = healthy.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "no matches" in str(healthy.message["Subject"])
    assert "No matching articles in this period, and all runs were healthy." in text
    assert "1 crawl run in this period: 1 ok" in text
    other = unhealthy.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "all runs were healthy" not in other
    assert "1 crawl run in this period: 1 failed" in other


def test_digest_and_immediate_channels_side_by_side(store: Store) -> None:
    add_at(store, 1, at("2025-03-03T09:00"))
    with SmtpServer() as smtp, WebhookReceiver() as receiver:
        notifiers: dict[str, Notifier] = {"email": email_channel(smtp),
                                          "webhook": webhook_channel(receiver)}
        add_match(store, 2, ("webhook",))
        plan = DeliveryPlan(digests={"email": DAILY})
        deliver_due(store, notifiers, now=at("2025-03-03T10:00"), plan=plan)
        assert smtp.messages == []
        assert len(receiver.effects) == 1
        deliver_due(store, notifiers, now=at("2025-03-04T08:00"), plan=plan)
        assert len(smtp.messages) == 1


def test_a_dead_digest_takes_its_alerts_along_and_comes_back_with_them(store: Store) -> None:
    add_at(store, 1, at("2025-03-03T09:00"))
    add_at(store, 2, at("2025-03-03T10:00"))
    plan = DeliveryPlan(digests={"email": DAILY})
    with SmtpServer(data_replies=["550 5.7.1 Too big"]) as smtp:
        notifiers: dict[str, Notifier] = {"email": email_channel(smtp)}
        deliver_due(store, notifiers, now=at("2025-03-04T09:00"), plan=plan)
        assert sorted(r.status for r in store.outbox_rows()) == ["dead"] * 3
        [digest] = store.outbox_rows(status="dead", channel="email")[-1:]
        assert digest.kind == "digest"
        member = store.outbox_rows()[0]
        with pytest.raises(Exception, match=f"travels in digest {digest.id}"):
            replay(store, notifiers, member.id, now=at("2025-03-04T10:00"))
        replay(store, notifiers, digest.id, now=at("2025-03-04T10:00"), plan=plan)
        first, second = smtp.envelopes
    assert sorted(r.status for r in store.outbox_rows()) == ["sent"] * 3
    assert first.message["Message-ID"] == second.message["Message-ID"]


def test_modes_come_from_each_channel_table(tmp_path: Path) -> None:
    user = tmp_path / "digest.toml"
    user.write_text('[alerts]\nchannels = ["email", "webhook"]\ntimezone = "UTC"\n'
                    '[alerts.email]\nmode = "weekly"\ndigest_day = "sunday"\n'
                    'digest_time = "18:30"\nsend_empty_digest = true\n')
    plan = delivery_plan(load_config(user, env={"MTWATCH_DATA_DIR": str(tmp_path)}))
    assert list(plan.digests) == ["email"]
    schedule = plan.digests["email"]
    assert (schedule.every, schedule.weekday, schedule.send_empty) == ("weekly", 6, True)
    assert schedule.period(datetime(2025, 3, 4, tzinfo=UTC))[1] == datetime(
        2025, 3, 2, 18, 30, tzinfo=UTC)
    bad = tmp_path / "bad.toml"
    bad.write_text('[alerts.email]\ndigest_time = "25:00"\n')
    with pytest.raises(ValueError, match="digest_time"):
        load_config(bad, env={})
