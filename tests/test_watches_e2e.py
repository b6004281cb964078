"""Watches, end to end: The Moscow Times replica (both editions) and the three generic replicas
crawled in one `mtwatch run`, with two watches. ``syria-desk`` watches every one of the five
sites and mails its own recipient; ``wire-room`` watches the three generic sites and posts to a
webhook receiver. Each watch alerts once per story it covers (its first report on the watch's
sites), and the story's later reports on its sites are updates threaded under THAT alert: an
e-mail reply to the watch's first message, a webhook ``mtwatch.update`` referring to the
watch's first event. The watches never share a key, never suppress each other, and a second
run sends nothing."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.generic_sites import GENERIC_SITES as GENERIC
from tests.helpers.generic_sites import sites_config as config
from tests.helpers.launch import ReplicaProcess, mtwatch_env, run_cli, run_cli_here
from tests.helpers.rows import sqlite_rows as rows
from tests.helpers.smtp import SmtpServer
from tests.helpers.story_sites import ROADMAP, TRANSLATED, labelled, near_miss, story_sites
from tests.helpers.webhook import WebhookReceiver

pytestmark = pytest.mark.e2e

DESK, ROOM = "syria-desk", "wire-room"
DESK_MAIL = "syria-desk@test.invalid"
GENERIC_SITES = [name for _host, name, _keys in GENERIC.values()]
EVERY_SITE = ["moscowtimes", "moscowtimes-ru", *GENERIC_SITES]


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[dict[str, ReplicaProcess]]:
    """The Moscow Times (both editions) and three generic sites, stopped after the test."""
    with story_sites(tmp_path) as started:
        yield started


def toml_list(names: list[str]) -> str:
    return "[" + ", ".join(f'"{name}"' for name in names) + "]"


def watch_config(workdir: Path, replicas: dict[str, ReplicaProcess], hook: str) -> Path:
    """Five sites, the Russian edition on a host of its own, and the two watches."""
    path = config(workdir, replicas)
    with path.open("a", encoding="utf-8") as out:
        out.write(f'\n[sites.moscowtimes-ru]\nenabled = true\n'
                  f'url = "{replicas["moscowtimes-ru"].base_url}"\n'
                  '\n[alerts.webhook]\nallow_internal = ["127.0.0.1"]\n'
                  f'\n[watches.{DESK}]\ntopics = ["syria-turkey"]\n'
                  f'sites = {toml_list(EVERY_SITE)}\nchannels = ["email"]\n'
                  f'recipients = ["{DESK_MAIL}"]\n'
                  f'\n[watches.{ROOM}]\nsites = {toml_list(GENERIC_SITES)}\n'
                  f'channels = ["webhook"]\nurl = "{hook}"\n')
    return path


def threads(outbox: list[tuple[Any, ...]], story_of: dict[int, str]
            ) -> dict[str, dict[str, list[tuple[str, str | None, int]]]]:
    """watch → story → its rows (kind, refers_to, match id), alert rows keyed by their key."""
    found: dict[str, dict[str, list[tuple[str, str | None, int]]]] = defaultdict(
        lambda: defaultdict(list))
    for match_id, watch, _channel, kind, _key, refers_to in outbox:
        found[str(watch)][story_of[int(match_id)]].append((str(kind), refers_to, int(match_id)))
    return found


def test_each_watch_alerts_once_per_story_and_threads_the_later_reports_under_its_alert(
        replicas: dict[str, ReplicaProcess], smtp: SmtpServer, workdir: Path) -> None:
    with WebhookReceiver() as hook:
        path = watch_config(workdir, replicas, hook.url)
        env = mtwatch_env(workdir, smtp, MTWATCH_CONFIG=str(path),
                          MTWATCH_WEBHOOK_SECRET=hook.secret)
        done = run_cli(["run", "--since", "2023-01-01"], env, workdir)
        assert done.returncode == 0, done.stderr
        events = hook.effects
        posted = len(hook.deliveries)
        again = run_cli(["run"], env, workdir)
        assert again.returncode == 0, again.stderr
        assert len(hook.deliveries) == posted, "a second run must not post again"
    assert not hook.redeliveries()
    db = workdir / "mtwatch.db"
    matched = rows(db, "SELECT m.id, m.story_id, a.site, a.headline FROM matches m "
                       "JOIN articles a ON a.article_id = m.article_id")
    outbox = rows(db, "SELECT match_id, watch, channel, kind, idempotency_key, refers_to "
                      "FROM alert_outbox WHERE match_id IS NOT NULL")
    site_of = {int(str(m)): str(site) for m, _s, site, _h in matched}
    story_of = {int(str(m)): str(story) for m, story, _site, _h in matched}
    key_of = {(int(str(m)), str(w)): str(k) for m, w, _c, _kind, k, _r in outbox}
    # every match on a watch's sites has exactly one row of that watch, through its own channel
    assert {(str(w), str(c)) for _m, w, c, *_rest in outbox} == {
        (DESK, f"email:{DESK}"), (ROOM, f"webhook:{ROOM}")}
    for watch, sites in ((DESK, EVERY_SITE), (ROOM, GENERIC_SITES)):
        mine = [int(str(m)) for m, w, *_rest in outbox if w == watch]
        assert sorted(mine) == sorted(m for m, site in site_of.items() if site in sites), watch
    assert not {k for (_m, w), k in key_of.items() if w == DESK} & {
        k for (_m, w), k in key_of.items() if w == ROOM}, "two watches never share a key"
    # per watch: one alert per story it covers, every later report an update under that alert
    by_watch = threads(outbox, story_of)
    for watch, stories in by_watch.items():
        for story, story_rows in stories.items():
            alerts = [m for kind, _ref, m in story_rows if kind == "alert"]
            assert len(alerts) == 1, (watch, story, story_rows)
            first = key_of[alerts[0], watch]
            assert all(ref == first for kind, ref, _m in story_rows if kind == "update")
    roadmap = {str(story) for _m, story, _site, head in matched if head == ROADMAP}
    assert len(roadmap) == 1
    [story] = roadmap
    desk, room = by_watch[DESK][story], by_watch[ROOM][story]
    assert len(desk) >= 3, desk  # the first report, then its copies
    assert len(room) >= 2, room
    assert {site_of[m] for _k, _r, m in room} <= set(GENERIC_SITES)
    # the two editions of a translated story: one alert and one update, on the desk only
    translated = labelled(TRANSLATED)
    editions = {int(str(m)) for m, _s, _site, head in matched
                if head in (translated["a"]["headline"], translated["b"]["headline"])}
    kinds = {(int(str(m)), str(w)): str(kind) for m, w, _c, kind, _k, _r in outbox}
    assert sorted(kinds[m, DESK] for m in editions) == ["alert", "update"]
    assert not any((m, ROOM) in kinds for m in editions)
    titles = [near_miss()[side]["headline"] for side in ("a", "b")]
    same_day = {story_of[int(str(m))] for m, _s, _site, head in matched if head in titles}
    assert len(same_day) == 2
    assert same_day <= set(by_watch[DESK])
    # the desk's mail: its own recipient only, one message per row, replies under its alert
    desk_keys = {f"<{k}@mtwatch.local>": m for (m, w), k in key_of.items() if w == DESK}
    mails = [e for e in smtp.messages if str(e.message["Message-ID"]) in desk_keys]
    assert len(mails) == len(desk_keys)
    assert all(e.rcpt_tos == [DESK_MAIL] for e in mails)
    others = [str(e.message["Subject"]) for e in smtp.messages if e not in mails]
    assert all(s.startswith("[mtwatch] operator notice") for s in others), others
    by_id = {str(e.message["Message-ID"]): e.message for e in mails}
    for message in by_id.values():
        body = message.get_body(("plain",))
        assert body is not None
        assert f"Watch:      {DESK}" in body.get_content()
        if message["In-Reply-To"]:
            first = by_id[str(message["In-Reply-To"])]
            assert not first["In-Reply-To"]
            replied = desk_keys[str(message["Message-ID"])]
            assert story_of[desk_keys[str(first["Message-ID"])]] == story_of[replied]
    assert sum(1 for m in by_id.values() if m["In-Reply-To"]) == sum(
        1 for s in by_watch[DESK].values() for kind, _r, _m in s if kind == "update")
    # the wire room's webhook: one event per row, each naming the watch, updates under its alert
    room_keys = {k: m for (m, w), k in key_of.items() if w == ROOM}
    assert set(events) == set(room_keys)
    for event_id, event in events.items():
        data = event["data"]
        assert data["watch"] == ROOM
        assert data["story_id"] == story_of[room_keys[event_id]]
        if event["type"] == "mtwatch.update":
            assert events[data["refers_to"]]["type"] == "mtwatch.alert"
            assert events[data["refers_to"]]["data"]["story_id"] == data["story_id"]
    assert sum(e["type"] == "mtwatch.alert" for e in events.values()) == len(by_watch[ROOM])
    # nothing new after the second run; the command line shows each watch
    assert len(rows(db, "SELECT id FROM alert_outbox WHERE match_id IS NOT NULL")) == len(outbox)
    listed = run_cli_here(["alerts", "list", "--watch", ROOM, "--format", "json"], env, workdir)
    assert listed.returncode == 0, listed.stderr
    assert {row["key"] for row in json.loads(listed.stdout)} == set(room_keys)
    status = run_cli_here(["status", "--format", "json"], env, workdir)
    watches = {w["name"]: w for w in json.loads(status.stdout)["watches"]}
    assert watches[DESK]["alerts"]["sent"] == len(desk_keys)
    assert watches[ROOM]["channels"] == [f"webhook:{ROOM}"]
    # `show` names the watch of each of an article's alerts
    first_report = next(m for kind, _r, m in by_watch[ROOM][story] if kind == "alert")
    article_id = rows(db, f"SELECT article_id FROM matches WHERE id = {first_report:d}")[0][0]
    shown = run_cli_here(["show", str(article_id), "--format", "json"], env, workdir)
    assert shown.returncode == 0, shown.stderr
    shown_alerts = {(a["watch"], a["channel"], a["kind"])
                    for a in json.loads(shown.stdout)["alerts"]}
    assert (ROOM, f"webhook:{ROOM}", "alert") in shown_alerts
    assert {w for w, _c, _k in shown_alerts} == {DESK, ROOM}  # the article is on both watches
    text = run_cli_here(["show", str(article_id)], env, workdir)
    assert f"watch {ROOM}, webhook:{ROOM} alert" in text.stdout, text.stdout
