"""Backfills do not flood the desk: matches of old articles go out as ONE backfill digest per
channel per crawl (each alert's key recorded, never sent again on its own), fresh ones alert
one by one; `run --no-alert` stores matches and never alerts them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pipelines.alerts import DeliveryPlan, Notifier, deliver_due
from pipelines.alerts.compose import compose
from pipelines.alerts.digest import BACKFILL
from pipelines.alerts.mail import message_id
from pipelines.storage import ArticleRecord, MatchRecord, Store
from tests.helpers.alerts import email_channel, webhook_channel
from tests.helpers.keys import default_key
from tests.helpers.launch import FAST_CONFIG, ReplicaProcess, mtwatch_env, run_cli
from tests.helpers.ops import distinct_text
from tests.helpers.smtp import SmtpServer
from tests.helpers.webhook import WebhookReceiver

TOPIC = "syria-turkey"
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
EVIDENCE = "Ankara and Damascus agreed on a roadmap to mend ties, the ministry said."


def add(store: Store, article_id: int, published: datetime, batch: str | None,
        channels: tuple[str, ...] = ("email", "webhook")) -> None:
    """An evaluated article and its match, as the crawl stores them."""
    article = ArticleRecord(
        article_id=article_id, url=f"https://www.themoscowtimes.com/a{article_id}",
        headline=f"Turkey and Syria, chapter {article_id}", subtitle="", authors=["A"],
        published=published, modified=None, section="news", tags=[], language="en",
        html_sha256="h", text=distinct_text(article_id, EVIDENCE), extraction="zone",
        fetched_at=T0)
    match = MatchRecord(
        article_id=article_id, topic=TOPIC, rule_version="1", rule="roadmap",
        grade="development", matched_at=T0,
        evidence=[{"field": "text", "sentence": EVIDENCE, "start": 0, "end": len(EVIDENCE),
                   "terms": ["Ankara", "Damascus", "mend ties"]}])
    store.store_evaluated(article, [match], channels, {TOPIC: "Syria–Turkey normalization"},
                          batch=batch)


def test_old_matches_go_out_as_one_digest_per_channel_and_never_again(store: Store) -> None:
    old = list(range(1, 8))
    for article_id in old:
        add(store, article_id, T0 - timedelta(days=30 + article_id), BACKFILL)
    add(store, 50, T0 - timedelta(hours=3), None)
    end_of_crawl = DeliveryPlan(backfill_age=timedelta(days=2))
    with SmtpServer() as smtp, WebhookReceiver() as receiver:
        notifiers: dict[str, Notifier] = {"email": email_channel(smtp),
                                          "webhook": webhook_channel(receiver)}
        retry_job = deliver_due(store, notifiers, now=T0)  # the daemon's job: no roll-up
        assert [m.message["Message-ID"] for m in smtp.messages] == [
            message_id(default_key(TOPIC, 50))]
        report = deliver_due(store, notifiers, now=T0 + timedelta(minutes=1), plan=end_of_crawl)
        again = deliver_due(store, notifiers, now=T0 + timedelta(days=1), plan=end_of_crawl)
        mails = smtp.messages
        posts = [d.json() for d in receiver.deliveries]
    assert (retry_job.sent, report.sent, again.sent) == (2, 2, 0)
    assert len(mails) == 2
    subject = str(mails[1].message["Subject"])
    assert subject == "[mtwatch] 7 earlier articles matched"
    body = mails[1].message.get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    for article_id in old:
        assert f"https://www.themoscowtimes.com/a{article_id}\n" in text
        assert f"Turkey and Syria, chapter {article_id}" in text
    assert text.count("Published ") == 7
    assert text.count("**Ankara** and **Damascus** agreed on a roadmap to **mend ties**") == 7
    assert text.index("chapter 1\n") < text.index("chapter 7\n")  # newest article first
    [digest] = [p for p in posts if p["type"] == "mtwatch.digest"]
    assert digest["data"]["every"] == "backfill"
    assert sorted(i["id"] for i in digest["data"]["items"]) == sorted(
        default_key(TOPIC, a) for a in old)
    assert [p["type"] for p in posts].count("mtwatch.alert") == 1
    members = [r for r in store.outbox_rows() if r.kind == "alert" and r.batch == BACKFILL]
    assert len(members) == 14
    assert {(r.status, r.digest_id is not None) for r in members} == {("sent", True)}


def test_a_big_backfill_is_split_into_parts() -> None:
    items = [{"headline": f"h{i}", "url": f"https://x/a{i}", "published": "2024-01-02T10:00:00",
              "evidence": []} for i in range(3)]
    composed = compose({"kind": "digest", "every": "backfill", "items": items, "part": 2,
                        "parts": 3, "older_than": "2 days"})
    assert composed.subject == "[mtwatch] 3 earlier articles matched (part 2 of 3)"
    assert "more than 2 days before the crawl" in composed.text
    assert "published 2024-01-02 – 2024-01-02" in composed.text


def positives_by_date(truth: dict[str, Any]) -> list[tuple[datetime, int]]:
    positives = set(truth["positives"])
    return sorted((datetime.fromisoformat(a["published"]), a["id"])
                  for a in truth["articles"] if a["id"] in positives)


def backfill_config(workdir: Path, truth: dict[str, Any], fresh: int) -> list[int]:
    """A config whose backfill_age makes the ``fresh`` newest positives fresh (the cut lies in
    the middle of a gap of weeks between two replica dates, so the run's length is no matter);
    the positives that are old."""
    dated = positives_by_date(truth)
    newest_old, oldest_fresh = dated[-fresh - 1][0], dated[-fresh][0]
    assert oldest_fresh - newest_old > timedelta(days=7)
    cut = newest_old + (oldest_fresh - newest_old) / 2
    minutes = int((datetime.now(UTC) - cut).total_seconds() // 60)
    config = FAST_CONFIG.replace('backfill_age = "0"', f'backfill_age = "{minutes}m"')
    config += '\n[alerts.webhook]\nallow_internal = ["127.0.0.1"]\n'
    (workdir / "backfill.toml").write_text(config, encoding="utf-8")
    return [article_id for _, article_id in dated[:-fresh]]


def ids_by_url(truth: dict[str, Any], text: str) -> set[int]:
    lines = set(text.replace("\r\n", "\n").split("\n"))
    return {a["id"] for a in truth["articles"] if "   " + a["url"] in lines}


@pytest.mark.e2e
def test_a_backfill_sends_one_digest_per_channel_and_fresh_matches_one_by_one(
    replica: ReplicaProcess, smtp: SmtpServer, workdir: Path
) -> None:
    pytest.importorskip("apprise")
    truth = replica.truth
    old = backfill_config(workdir, truth, fresh=3)
    fresh = set(truth["positives"]) - set(old)
    with WebhookReceiver() as hook, WebhookReceiver(verify=False) as chat:
        env = mtwatch_env(workdir, smtp, MTWATCH_CONFIG=str(workdir / "backfill.toml"),
                          MTWATCH_ALERT_CHANNELS="email,webhook,apprise",
                          MTWATCH_WEBHOOK_URL=hook.url, MTWATCH_WEBHOOK_SECRET=hook.secret,
                          MTWATCH_APPRISE_URLS=f"json://127.0.0.1:{chat.port}/chat")
        args = ["run", "--site", replica.base_url, "--since", "2023-01-01"]
        first = run_cli(args, env, workdir)
        counts = (len(smtp.messages), len(hook.deliveries), len(chat.deliveries))
        second = run_cli(args, env, workdir)
        mails = smtp.messages
        posts = [d.json() for d in hook.deliveries]
        chats = [d.json() for d in chat.deliveries]
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert counts == (len(fresh) + 1,) * 3  # one digest + the fresh ones, on each channel
    assert (len(mails), len(posts), len(chats)) == counts  # nothing sent twice
    [digest_mail] = [m for m in mails if "earlier articles matched" in str(m.message["Subject"])]
    assert str(digest_mail.message["Subject"]) == f"[mtwatch] {len(old)} earlier articles matched"
    body = digest_mail.message.get_body(("plain",))
    assert body is not None
    assert ids_by_url(truth, body.get_content()) == set(old)
    singles = [m.message["Message-ID"] for m in mails if m is not digest_mail]
    assert sorted(singles) == sorted(message_id(default_key(TOPIC, a)) for a in fresh)
    [digest_post] = [p for p in posts if p["type"] == "mtwatch.digest"]
    assert sorted(i["id"] for i in digest_post["data"]["items"]) == sorted(
        default_key(TOPIC, a) for a in old)
    assert sorted(p["id"] for p in posts if p["type"] == "mtwatch.alert") == sorted(
        default_key(TOPIC, a) for a in fresh)
    assert [c["title"] for c in chats].count(f"[mtwatch] {len(old)} earlier articles matched") == 1
    with sqlite3.connect(workdir / "mtwatch.db") as conn:
        rows = conn.execute("SELECT status, COUNT(*) FROM alert_outbox GROUP BY status").fetchall()
    assert dict(rows) == {"sent": 3 * (len(truth["positives"]) + 1)}


@pytest.mark.e2e
def test_no_alert_stores_matches_and_never_alerts_them(
    replica: ReplicaProcess, smtp: SmtpServer, workdir: Path
) -> None:
    env = mtwatch_env(workdir, smtp)
    args = ["run", "--site", replica.base_url, "--since", "2023-01-01"]
    quiet = run_cli([*args, "--no-alert"], env, workdir)
    later = run_cli(args, env, workdir)  # a plain run after: nothing goes out by surprise
    assert quiet.returncode == 0, quiet.stderr
    assert later.returncode == 0, later.stderr
    with sqlite3.connect(workdir / "mtwatch.db") as conn:
        matched = {r[0] for r in conn.execute("SELECT article_id FROM matches")}
        outbox = conn.execute("SELECT COUNT(*) FROM alert_outbox").fetchone()[0]
    assert matched == set(replica.truth["positives"])
    assert outbox == 0
    assert smtp.messages == []
