"""The coverage review against a real store (SQLite and PostgreSQL): history, state and notices
in one transaction, each notice once; the notice as the operator reads it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy.utils.test import get_crawler

from crawler.config import Config, load_config
from crawler.health import coverage
from crawler.health.monitor_state import Change
from crawler.health.readings import RunFacts
from crawler.spiders.ledger import Ledger
from pipelines.alerts.compose import compose
from pipelines.storage import Store
from pipelines.storage.articles import Candidate, FrontierPolicy
from pipelines.storage.outbox import NewAlert
from tests.helpers.ops import sample_article

NOW = datetime(2026, 6, 23, 12, 0, tzinfo=UTC)
REDESIGNED = {"extracted": 160, "extraction/generic": 160, "zone/missing": 160,
              "evaluated": 160, "fetched": 160, "median body chars": 1000}


def finished_run(store: Store, ago: timedelta, status: str = "ok") -> int:
    run_id = store.start_run(trigger="cron", now=NOW - ago - timedelta(minutes=1))
    store.finish_run(run_id, now=NOW - ago, status=status, reason="", stats={"evaluated": 3})
    return run_id


def test_history_is_the_finished_runs_newest_first(store: Store) -> None:
    old = finished_run(store, timedelta(days=30))
    first = finished_run(store, timedelta(hours=2))
    second = finished_run(store, timedelta(hours=1), status="degraded")
    store.start_run(trigger="cron", now=NOW)  # this run: still running
    found = store.runs_finished_since(NOW - timedelta(days=15))
    assert [r.id for r in found] == [second, first]
    assert old not in [r.id for r in found]


def test_notices_are_queued_once_with_their_state(store: Store) -> None:
    notice = NewAlert(channel="email", key="k1", kind="notice", payload={"kind": "notice"})
    assert store.record_coverage({"monitors": {"zone": {"tripped": True}}}, [notice],
                                 now=NOW) == 1
    assert store.record_coverage({"monitors": {"zone": {"tripped": True}}}, [notice],
                                 now=NOW) == 0
    assert store.get_state("monitors") == {"zone": {"tripped": True}}
    assert len(store.outbox_rows(status="pending")) == 1


def test_a_review_trips_once_and_recovers_once(store: Store) -> None:
    config = load_config(None, env={})
    facts = RunFacts(NOW - timedelta(minutes=2), NOW, REDESIGNED)
    first = coverage.review(store, config, facts, [], [])
    assert first.tripped == ["zone"]
    assert first.reasons[0].startswith("layout changed? 160 of 160 article pages had no "
                                       "article zone")
    assert first.notices == 1
    again = coverage.review(store, config, facts, [], [("80035", "https://x/2023/01/21/"
                                                         "erdogan-meets-assad-a80035", "http_403")])
    assert again.notices == 1  # the article given up; the zone monitor says nothing new
    healed = {**REDESIGNED, "extraction/generic": 0, "extraction/zone": 160, "zone/missing": 0}
    later = RunFacts(NOW, NOW + timedelta(minutes=15), healed)
    assert coverage.review(store, config, later, [], []).tripped == []
    rows = store.outbox_rows(status="pending")
    assert [r.payload["event"] for r in rows] == ["coverage", "gave_up", "coverage"]
    assert [r.payload.get("state") for r in rows] == ["tripped", None, "recovered"]
    assert {r.channel for r in rows} == {"email"}  # no operator channel: the first channel


def test_the_notice_reads_well() -> None:
    change = Change("zone", True, "layout changed? 160 of 160 article pages had no "
                             "article zone (this run); generic extraction used for 160",
                             NOW.isoformat())
    item = coverage.change_payload(change, NOW)
    item.pop("key")
    given = coverage.given_up_payload(80035, "https://x/2023/01/21/erdogan-meets-assad-a80035",
                                      "", "http_403: Forbidden", NOW)
    given.pop("key")
    one = compose({"kind": "notice", "items": [item]})
    assert one.subject == ("[mtwatch] operator notice: layout changed? article pages without "
                           "their article zone")
    assert "generic extraction used for 160" in one.text
    assert "one more message when it recovers" in one.text
    assert "alerts retry" not in one.text  # no dead-alert advice for a coverage notice
    both = compose({"kind": "notice", "items": [item, given]})
    assert both.subject == "[mtwatch] operator notice: 2 coverage problem(s)"
    assert "Erdogan meets assad — https://x/2023/01/21/erdogan-meets-assad-a80035" in both.text
    assert "&lt;" not in both.text
    assert "Erdogan meets assad" in both.html


BLOG = "blog"


def blog_config(tmp_path: Path) -> Config:
    """The default site plus a generic one, whose articles have no numeric ID."""
    path = tmp_path / "blog.toml"
    path.write_text(f'[sites.{BLOG}]\nkind = "generic"\nenabled = true\n'
                    'url = "https://blog.example"\nfeeds = ["/feed.xml"]\n', encoding="utf-8")
    return load_config(path, env={})


def given_up(store: Store, site: str, found: list[Candidate]) -> list[tuple[str, str, str]]:
    """The articles ``found`` of ``site``, each failed once with a one-failure policy: what the
    crawl's ledger hands the coverage review."""
    ledger = Ledger(store, get_crawler(), FrontierPolicy(max_failures=1), site)
    ledger.discovered(found, "feed")
    for cand in found:
        ledger.failed(cand.article_key, cand.url, "http_403", "Forbidden")
    return list(ledger.given_up)


def test_two_generic_articles_given_up_the_same_day_are_two_notices(
        store: Store, tmp_path: Path) -> None:
    config = blog_config(tmp_path)
    urls = ["https://blog.example/2026/06/one-story", "https://blog.example/2026/06/another"]
    found = [Candidate(0, url, site=BLOG, key=url) for url in urls]
    lost = given_up(store, BLOG, found)
    facts = RunFacts(NOW - timedelta(minutes=2), NOW, {})
    assert coverage.review(store, config, facts, [], lost, site=BLOG).notices == 2
    rows = store.outbox_rows(status="pending")
    assert sorted(r.payload["url"] for r in rows) == sorted(urls)
    # the same articles given up again that day: nothing new
    assert coverage.review(store, config, facts, [], lost, site=BLOG).notices == 0


def test_a_given_up_article_is_named_by_its_own_sites_headline(
        store: Store, tmp_path: Path) -> None:
    """Two sites share the numeric key 81001: the notice for the Russian edition's article
    carries its headline, not the one of the row whose store ID is 81001."""
    path = tmp_path / "ru.toml"
    path.write_text('[sites.moscowtimes-ru]\nenabled = true\n'
                    'url = "https://ru.example"\n', encoding="utf-8")
    config = load_config(path, env={})
    store.upsert_article(sample_article(81001, NOW))
    store.upsert_article(replace(sample_article(81001, NOW), site="moscowtimes-ru",
                                 url="https://ru.example/a81001", headline="Russian story"))
    lost = given_up(store, "moscowtimes-ru", [Candidate(81001, "https://ru.example/a81001",
                                                        site="moscowtimes-ru")])
    facts = RunFacts(NOW - timedelta(minutes=2), NOW, {})
    assert coverage.review(store, config, facts, [], lost, site="moscowtimes-ru").notices == 1
    [row] = store.outbox_rows(status="pending")
    assert row.payload["headline"] == "Russian story"
