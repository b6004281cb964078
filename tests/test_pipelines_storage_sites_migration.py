"""Revision 0011_sites on a store written by the release before it (``tests/data/stores``):
every row kept and given its site, no alert sent twice, and two sites sharing an article key."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Connection

from pipelines.alerts import deliver_due
from pipelines.alerts.policy import alert_key
from pipelines.storage import DEFAULT_SITE, ArticleRecord, MatchRecord, Store
from pipelines.storage.migrate import alembic_config, head_revisions
from pipelines.storage.store import Evaluated

DUMP = Path(__file__).resolve().parent / "data" / "stores" / "v0010-moscowtimes.sql"
TABLES = ("articles", "soft_404s", "sources", "matches", "alert_outbox", "alert_channels",
          "runs", "ops_state", "labels", "backfills")
#: tables whose id comes from a sequence on PostgreSQL (a real dump sets them: pg_dump does)
SERIAL = ("matches", "alert_outbox", "runs", "labels", "backfills")
RU_SITE, RU_ID = "moscowtimes-ru", 1_000_012_345
TOPIC = "syria-turkey"
LATER = datetime(2027, 1, 1, tzinfo=UTC)


def load_v0010(url: str) -> None:
    """The 0010 schema (by the migrations) and the old release's rows, as a real store."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0010_merge")
            pg = conn.dialect.name == "postgresql"
            if pg:
                conn.execute(text("SET LOCAL TIME ZONE 'UTC'"))  # the dump's naive UTC times
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            for line in DUMP.read_text(encoding="utf-8").splitlines():
                if line.startswith("INSERT "):
                    cursor.execute(line)
            if pg:
                for table in SERIAL:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    texts: str
    keys: dict[int, str]


def snapshot(url: str) -> Snapshot:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                      for t in TABLES}
            return Snapshot(counts, _texts(conn), {
                int(r.match_id): str(r.idempotency_key) for r in conn.execute(text(
                    "SELECT match_id, idempotency_key FROM alert_outbox WHERE kind = 'alert'"))})
    finally:
        engine.dispose()


def _texts(conn: Connection) -> str:
    digest = hashlib.sha256()
    for article_id, body, headline in conn.execute(text(
            "SELECT article_id, text, headline FROM articles ORDER BY article_id")):
        digest.update(f"{article_id}\0{headline}\0{body}\0".encode())
    return digest.hexdigest()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


class Recorder:
    """A channel that records what it is asked to send."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.payloads: list[Mapping[str, Any]] = []

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        self.keys.append(idempotency_key)
        self.payloads.append(payload)


@pytest.fixture
def old_store(store_url: str) -> tuple[str, Snapshot]:
    load_v0010(store_url)
    return store_url, snapshot(store_url)


def test_the_dump_is_a_0010_store_with_a_russian_offset_row(old_store: tuple[str, Snapshot]
                                                            ) -> None:
    url, before = old_store
    assert rows(url, "SELECT version_num FROM alembic_version") == [("0010_merge",)]
    assert before.counts["articles"] == 5
    assert before.counts["alert_outbox"] == 9
    assert rows(url, f"SELECT count(*) FROM articles WHERE article_id = {RU_ID}") == [(1,)]


def test_upgrade_keeps_every_row_and_gives_it_its_site(old_store: tuple[str, Snapshot]) -> None:
    url, before = old_store
    Store(url).close()  # opening upgrades
    after = snapshot(url)
    heads = [(rev,) for rev in sorted(head_revisions())]
    assert rows(url, "SELECT version_num FROM alembic_version") == heads
    assert after.counts == before.counts
    assert after.texts == before.texts
    articles = rows(url, "SELECT article_id, site, article_key FROM articles ORDER BY 1")
    assert articles == [(80011, DEFAULT_SITE, "80011"), (80012, DEFAULT_SITE, "80012"),
                        (80013, DEFAULT_SITE, "80013"), (80014, DEFAULT_SITE, "80014"),
                        (RU_ID, RU_SITE, "12345")]
    assert rows(url, "SELECT site, article_key, article_id FROM soft_404s ORDER BY 1") == [
        (DEFAULT_SITE, "80020", 80020), (RU_SITE, "777", 777)]
    assert rows(url, "SELECT site, article_id FROM matches ORDER BY id") == [
        (DEFAULT_SITE, 80011), (DEFAULT_SITE, 80012), (RU_SITE, RU_ID)]
    assert rows(url, "SELECT id, site FROM alert_outbox ORDER BY id") == [
        (1, DEFAULT_SITE), (2, DEFAULT_SITE), (3, DEFAULT_SITE), (4, DEFAULT_SITE),
        (5, RU_SITE), (6, RU_SITE), (7, DEFAULT_SITE), (8, DEFAULT_SITE), (9, None)]
    for table in ("sources", "backfills"):
        assert {r[0] for r in rows(url, f"SELECT site FROM {table}")} == {DEFAULT_SITE}
    assert rows(url, "SELECT run_id, site FROM run_sites ORDER BY 1") == [
        (1, DEFAULT_SITE), (2, DEFAULT_SITE)]
    with Store(url) as store:  # what referred to the old IDs still does
        old = store.get_article(80011)
        assert old is not None
        assert (old.site, old.key) == (DEFAULT_SITE, "80011")
        ru = store.find_article("12345", site=RU_SITE)
        assert ru is not None
        assert ru.article_id == RU_ID
        assert set(store.current_labels(80011)) == {TOPIC}
        assert set(store.current_labels(RU_ID)) == {TOPIC}
        assert [b.site for b in store.unfinished_backfills()] == [DEFAULT_SITE]
        assert set(store.discovery_sources()) == {"https://www.themoscowtimes.com/rss/news",
                                                  "https://www.themoscowtimes.com/sitemap.xml"}


def test_alert_keys_are_kept_and_nothing_is_sent_twice(old_store: tuple[str, Snapshot]) -> None:
    url, before = old_store
    sent_before = set(rows(url, "SELECT channel, idempotency_key FROM alert_outbox "
                                "WHERE status = 'sent'"))
    pending_before = sorted(rows(url, "SELECT channel, idempotency_key FROM alert_outbox "
                                      "WHERE status = 'pending'"))
    with Store(url) as store:
        stored = {int(i): str(k) for i, k in rows(url, "SELECT id, alert_key FROM matches")}
        legacy = {int(i): hashlib.sha256(f"{t}|{a}".encode()).hexdigest()[:40]
                  for i, t, a in rows(url, "SELECT id, topic, article_id FROM matches")}
        assert stored == before.keys == legacy  # the key each match was alerted with
        # the crawl stores the same articles again, now naming their sites: no new alert
        for article_id, site, key in ((80011, DEFAULT_SITE, "80011"), (RU_ID, RU_SITE, "12345")):
            rec = store.get_article(article_id)
            assert rec is not None
            again = ArticleRecord(**{**rec.__dict__, "article_id": int(key), "site": site,
                                     "key": key, "html_sha256": "edited-layout"})
            evidence = store.list_matches(site=site)[-1].evidence
            [(outcome, new)] = store.store_evaluated_many(
                [Evaluated(again, [match(int(key), evidence, site)])], ["email", "webhook"])
            assert (outcome, new) == ("updated", 0)
        assert store.count_articles() == before.counts["articles"]
        assert len(store.outbox_rows()) == before.counts["alert_outbox"]
        email, webhook = Recorder(), Recorder()
        first = deliver_due(store, {"email": email, "webhook": webhook}, now=LATER)
        second = deliver_due(store, {"email": email, "webhook": webhook},
                             now=LATER + timedelta(days=1))
    delivered = [("email", k) for k in email.keys] + [("webhook", k) for k in webhook.keys]
    assert sorted(delivered) == pending_before  # what was pending, once
    assert not set(delivered) & sent_before  # nothing already sent
    assert first.sent + first.notices == len(pending_before)
    assert (second.sent, second.notices) == (0, 0)
    # an alert queued before the upgrade names its site when it goes out (from its row)
    russian = [p for p in webhook.payloads if p.get("article_id") == RU_ID]
    assert len(russian) == 1
    assert russian[0]["site"] == RU_SITE


def match(article_id: int, evidence: list[dict[str, Any]] | None = None,
          site: str = DEFAULT_SITE) -> MatchRecord:
    sentence = "Turkey and Syria agreed on a border crossing."
    return MatchRecord(article_id=article_id, site=site, topic=TOPIC, rule_version="2026.2",
                       rule="core",
                       grade="development", matched_at=LATER,
                       evidence=evidence if evidence is not None else [
                           {"field": "body", "sentence": sentence, "terms": ["Turkey"]}])


def article(article_id: int, site: str, key: str = "", *, headline: str = "Turkey and Syria",
            text: str = "Turkey and Syria agreed on a border crossing.") -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id, url=f"https://{site}.example/a/{key or article_id}",
        headline=headline, subtitle="", authors=[], published=LATER, modified=None,
        section="", tags=[], language="en", html_sha256="x", fetched_at=LATER,
        text=text, extraction="zone", site=site, key=key)


#: three different stories (one story's copies would share one alert: pipelines.stories)
_STORIES = {
    (DEFAULT_SITE, 80015): ("Turkey and Syria", "Turkey and Syria agreed on a border crossing."),
    (RU_SITE, 80015): ("Ankara hosts envoys", "Envoys met in Ankara to discuss grain exports."),
    (RU_SITE, 80011): ("Damascus reopens embassy", "Damascus reopened its embassy in Riyadh."),
}


def test_two_sites_with_one_article_key_both_alert_after_the_upgrade(
        old_store: tuple[str, Snapshot]) -> None:
    url, _ = old_store
    with Store(url) as store:
        written = store.store_evaluated_many(
            [Evaluated(article(80015, DEFAULT_SITE, headline=_STORIES[DEFAULT_SITE, 80015][0],
                               text=_STORIES[DEFAULT_SITE, 80015][1]), [match(80015)]),
             Evaluated(article(80015, RU_SITE, headline=_STORIES[RU_SITE, 80015][0],
                               text=_STORIES[RU_SITE, 80015][1]),
                       [match(80015, site=RU_SITE)]),
             # the key of an English article the old store has, on the other site
             Evaluated(article(80011, RU_SITE, headline=_STORIES[RU_SITE, 80011][0],
                               text=_STORIES[RU_SITE, 80011][1]),
                       [match(80011, site=RU_SITE)])],
            ["email", "webhook"])
        assert written == [("inserted", 1)] * 3
        english = store.find_article("80015")
        russian = store.find_article("80015", site=RU_SITE)
        ru_80011 = store.find_article("80011", site=RU_SITE)
        assert english is not None
        assert russian is not None
        assert ru_80011 is not None
        # the default site keeps its own IDs; another site's rows get IDs above every stored one
        assert english.article_id == 80015
        assert min(russian.article_id, ru_80011.article_id) > RU_ID
        assert len({english.article_id, russian.article_id, ru_80011.article_id}) == 3
        webhook = Recorder()
        deliver_due(store, {"webhook": webhook}, now=LATER)
    expected = {alert_key(DEFAULT_SITE, TOPIC, "80015"), alert_key(RU_SITE, TOPIC, "80015"),
                alert_key(RU_SITE, TOPIC, "80011")}
    assert expected <= set(webhook.keys)
    # (the old pending alerts go out too; the new ones are those with an article key)
    by_key = [(p["site"], p["article_key"]) for p in webhook.payloads if "article_key" in p]
    assert sorted(by_key) == [(DEFAULT_SITE, "80015"), (RU_SITE, "80011"), (RU_SITE, "80015")]


def test_downgrade_to_0010_gives_back_the_old_store(old_store: tuple[str, Snapshot]) -> None:
    """Upgrade, then `alembic downgrade 0010_merge` (the way back if a release must be rolled
    back): the old release's rows, texts and alert keys, and the Russian offset ID again."""
    url, before = old_store
    Store(url).close()  # opening upgrades to the newest revision
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0010_merge")
    finally:
        engine.dispose()
    assert rows(url, "SELECT version_num FROM alembic_version") == [("0010_merge",)]
    assert snapshot(url) == before
    assert rows(url, f"SELECT count(*) FROM articles WHERE article_id = {RU_ID}") == [(1,)]
    Store(url).close()  # and up again: the same rows as after the first upgrade
    assert {v for (v,) in rows(url, "SELECT version_num FROM alembic_version")} == (
        head_revisions())
    assert rows(url, f"SELECT site, article_key FROM articles WHERE site = '{RU_SITE}'") == [
        (RU_SITE, str(RU_ID - 1_000_000_000))]
