"""Watches in the store: which watches a match alerts, the keys each watch's rows get (the
implicit watch's are those of before watches), and a story's thread per watch."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from pipelines.alerts.compose import compose
from pipelines.alerts.policy import alert_key, story_key, update_key, watch_key
from pipelines.alerts.watches import Watch, Watches, route, split_route
from pipelines.storage import ArticleRecord, MatchRecord, Store
from pipelines.storage.outbox import OutboxRow
from pipelines.storage.routes import Route, Routing
from pipelines.storage.store import Evaluated
from tests.helpers.alerts import sample_payload as payload
from tests.helpers.stories import NOW, pair
from tests.helpers.stories import article_record as record
from tests.helpers.stories import quoted_match as match

TOPIC = "turkey-syria"
K = "0123456789abcdef0123456789abcdef01234567"


def put(store: Store, rec: ArticleRecord, routing: Sequence[str] | Routing,
        topics: tuple[str, ...] = (TOPIC,)) -> int:
    """Store an article matching ``topics``; how many matches were new."""
    return store.store_evaluated_many([Evaluated(rec, [match(rec, t) for t in topics])],
                                      routing)[0][1]  # fmt: skip


def rows(store: Store, site: str | None = None) -> list[OutboxRow]:
    return [r for r in sorted(store.outbox_rows(), key=lambda r: r.id)
            if site is None or r.site == site]


def own_key(store: Store, site: str, topic: str = TOPIC) -> str:
    """The match's own alert key (what the implicit watch alerts with)."""
    [found] = [m.alert_key for m in store.list_matches(topic=topic) if m.site == site]
    assert found
    return found


def test_a_route_is_the_channel_for_the_implicit_watch_and_its_own_for_a_named_one() -> None:
    assert route("email", "") == "email"
    assert route("email", "energy") == "email:energy"
    assert split_route("email:energy") == ("email", "energy")
    assert split_route("webhook") == ("webhook", "")


def test_a_match_alerts_the_watches_that_cover_its_topic_on_its_site() -> None:
    watches = Watches([Watch("desk", ("email", "webhook"), sites=frozenset({"wire"})),
                       Watch("energy", ("email",), topics=frozenset({"gas"})),
                       Watch("all", ("apprise", "apprise"))])
    assert watches.routes("wire", TOPIC) == [
        Route("desk", "email:desk"), Route("desk", "webhook:desk"), Route("all", "apprise:all")]
    assert watches.routes("tribune", "gas") == [
        Route("energy", "email:energy"), Route("all", "apprise:all")]
    assert Watches.implicit(["email", "webhook"]).routes("any", "thing") == [
        Route("", "email"), Route("", "webhook")]


def test_the_implicit_watch_keeps_the_keys_of_before_watches() -> None:
    assert watch_key(K, "") == K
    assert alert_key("moscowtimes", "syria-turkey", "81087") == hashlib.sha256(
        b"moscowtimes|syria-turkey|81087").hexdigest()[:40]


def test_a_named_watch_has_keys_of_its_own() -> None:
    energy, desk = watch_key(K, "energy"), watch_key(K, "desk")
    assert energy == hashlib.sha256(f"{K}|watch|energy".encode()).hexdigest()[:40]
    assert len({K, energy, desk}) == 3
    assert story_key(energy, "tribune", "b1") != story_key(desk, "tribune", "b1")
    found = [{"sentence": "Turkey and Syria met."}]
    assert update_key(energy, found) != update_key(desk, found)


def test_the_implicit_watch_writes_the_rows_of_before_watches(store: Store) -> None:
    a, b = pair("near_miss")  # two stories: two alerts
    put(store, record(a, "wire", "a1"), ["email", "webhook"])
    put(store, record(b, "tribune", "a1"), Watches.implicit(["email", "webhook"]))
    plain, routed = rows(store, "wire"), rows(store, "tribune")
    assert [(r.channel, r.watch, r.kind) for r in plain] == [
        ("email", "", "alert"), ("webhook", "", "alert")]
    assert [(r.channel, r.watch, r.kind) for r in routed] == [
        (r.channel, r.watch, r.kind) for r in plain]
    assert {r.idempotency_key for r in plain} == {alert_key("wire", TOPIC, "a1")}
    assert {r.idempotency_key for r in routed} == {alert_key("tribune", TOPIC, "a1")}
    assert "watch" not in plain[0].payload


def test_an_article_two_watches_cover_alerts_each_once(store: Store) -> None:
    a, _b = pair("reheadlined")
    watches = Watches([Watch("desk", ("email", "webhook")), Watch("energy", ("email",))])
    rec = record(a, "wire", "a1")
    assert put(store, rec, watches) == 1
    found = rows(store)
    assert [(r.channel, r.watch, r.kind) for r in found] == [
        ("email:desk", "desk", "alert"), ("webhook:desk", "desk", "alert"),
        ("email:energy", "energy", "alert")]
    key = own_key(store, "wire")
    assert [r.idempotency_key for r in found] == [watch_key(key, "desk")] * 2 + [
        watch_key(key, "energy")]
    assert [r.payload["watch"] for r in found] == ["desk", "desk", "energy"]
    assert put(store, rec, watches) == 0  # the same article again: nothing new
    assert len(rows(store)) == 3


def test_two_topics_of_one_watch_alert_it_once_per_topic(store: Store) -> None:
    a, _b = pair("reheadlined")
    put(store, record(a, "wire", "a1"), Watches([Watch("desk", ("email",))]),
        topics=(TOPIC, "grain-deal"))
    found = rows(store)
    assert [(r.watch, r.kind, r.payload["topic"]) for r in found] == [
        ("desk", "alert", TOPIC), ("desk", "alert", "grain-deal")]
    assert found[0].idempotency_key != found[1].idempotency_key


def test_a_story_alerts_each_watch_at_its_first_report_there_and_threads_the_rest(
        store: Store) -> None:
    """desk watches wire and tribune, energy watches tribune and post; the story is reported
    on wire, then tribune, then post."""
    a, b = pair("reheadlined")
    watches = Watches([Watch("desk", ("email",), sites=frozenset({"wire", "tribune"})),
                       Watch("energy", ("webhook",), sites=frozenset({"tribune", "post"}))])
    for rec in (record(a, "wire", "a1"), record(b, "tribune", "b1"), record(b, "post", "c1")):
        put(store, rec, watches)
    assert len({m.story_id for m in store.list_matches()}) == 1
    desk_first = watch_key(own_key(store, "wire"), "desk")
    energy_first = watch_key(own_key(store, "tribune"), "energy")
    assert [(r.site, r.watch, r.kind, r.refers_to) for r in rows(store)] == [
        ("wire", "desk", "alert", None),
        ("tribune", "desk", "update", desk_first),
        ("tribune", "energy", "alert", None),
        ("post", "energy", "update", energy_first)]
    desk_update, energy_update = (r for r in rows(store) if r.kind == "update")
    assert desk_update.idempotency_key == story_key(desk_first, "tribune", "b1")
    assert energy_update.idempotency_key == story_key(energy_first, "post", "c1")
    assert desk_update.payload["watch"] == "desk"
    assert energy_update.payload["story"]["site"] == "tribune"  # energy's first report
    assert energy_update.payload["refers_to"] == energy_first


def test_an_edit_updates_each_watch_under_its_own_thread(store: Store) -> None:
    a, b = pair("reheadlined")
    watches = Watches([Watch("desk", ("email",), sites=frozenset({"wire", "tribune"})),
                       Watch("energy", ("webhook",), sites=frozenset({"tribune"}))])
    copy = record(b, "tribune", "b1")
    put(store, record(a, "wire", "a1"), watches)
    put(store, copy, watches)
    edited = MatchRecord(article_id=0, topic=TOPIC, rule_version="1", rule="r",
                         grade="mention", matched_at=NOW, site="tribune", key="b1",
                         evidence=[{"field": "text", "sentence": "a new sentence",
                                    "terms": ["Syria"]}])
    store.store_evaluated_many([Evaluated(copy, [edited])], watches)
    desk_first = watch_key(own_key(store, "wire"), "desk")
    tribune = own_key(store, "tribune")
    edits = rows(store)[-2:]
    assert [(r.watch, r.channel, r.refers_to) for r in edits] == [
        ("desk", "email:desk", desk_first),  # a later report there: under the story's alert
        ("energy", "webhook:energy", watch_key(tribune, "energy"))]  # its own alert there
    assert edits[1].idempotency_key == update_key(watch_key(tribune, "energy"),
                                                  edited.evidence)
    assert edits[0].payload["watch"] == "desk"


def test_a_watch_that_no_longer_covers_a_match_gets_no_update(store: Store) -> None:
    a, _b = pair("reheadlined")
    rec = record(a, "wire", "a1")
    put(store, rec, Watches([Watch("desk", ("email",))]))
    edited = MatchRecord(article_id=0, topic=TOPIC, rule_version="1", rule="r",
                         grade="mention", matched_at=NOW, site="wire", key="a1",
                         evidence=[{"field": "text", "sentence": "a new sentence",
                                    "terms": ["Syria"]}])
    store.store_evaluated_many([Evaluated(rec, [edited])],
                               Watches([Watch("energy", ("email",))]))  # never alerted it
    assert [r.kind for r in rows(store)] == ["alert"]


def test_the_mail_and_the_digest_name_the_watch() -> None:
    alert = compose(payload(watch="syria-desk"))
    assert "Watch:      syria-desk" in alert.text
    assert ">syria-desk</td>" in alert.html
    assert "Watch:" not in compose(payload()).text  # no watches: the mail of before
    digest = compose({"kind": "digest", "every": "daily", "items": [payload()],
                      "watch": "syria-desk", "timezone": "UTC"})
    assert digest.subject == "[mtwatch] Daily digest for watch syria-desk: 1 matching article"
