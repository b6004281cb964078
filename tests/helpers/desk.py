"""A small store for the desk's tests: articles written through the Store API and matched by
the real rules, as a crawl would store them (texts written here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.config import Config, load_config
from pipelines.matcher import Document, Matcher, load_topic
from pipelines.storage import ArticleRecord, MatchRecord, Store
from pipelines.storage.routes import Routing

REPO = Path(__file__).resolve().parents[2]
TOPIC = "syria-turkey"

#: (article id, headline, body, day): texts written for these tests
ARTICLES = (
    (81001, "Ankara and Damascus Agree on a Roadmap to Restore Ties",
     "Officials said on Monday that the two governments had met in Moscow.\n\n"
     "Turkey and Syria agreed on a roadmap to restore diplomatic ties, the Turkish foreign "
     "ministry said after the talks.", datetime(2024, 5, 6, 9, tzinfo=UTC)),
    (81002, "Moscow Hosts Regional Talks",
     "Diplomats from several countries met in Moscow on Friday.\n\nThe two neighbours are "
     "expected to exchange ambassadors soon, a source said.", datetime(2024, 5, 3, 9, tzinfo=UTC)),
    (81003, "Aid Convoys Reach Quake Zone",
     "Aid reached towns in Turkey and Syria hit by the February earthquake, the UN said.",
     datetime(2024, 4, 30, 9, tzinfo=UTC)),
    (81004, "<script>alert('desk')</script> Erdogan and Assad <b>meet</b> in Moscow",
     "Erdogan met Assad in Moscow on Tuesday. <img src=x onerror=alert(1)>\n\n"
     "<script>document.title='pwned'</script> Officials did not comment.",
     datetime(2024, 4, 22, 9, tzinfo=UTC)),
)


@dataclass(frozen=True)
class Seeded:
    matched: tuple[int, ...]
    unmatched: tuple[int, ...]


def matcher() -> Matcher:
    return Matcher(load_topic(REPO / "config" / "topics" / f"{TOPIC}.toml"))


def record(article_id: int, headline: str, body: str, published: datetime) -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id, headline=headline, subtitle="", authors=["Desk Test"],
        url=f"https://www.themoscowtimes.com/{published:%Y/%m/%d}/story-a{article_id}",
        published=published, modified=None, section="news", tags=[], language="en",
        html_sha256=f"{article_id:064d}", text=body, extraction="ok",
        fetched_at=published + timedelta(minutes=5))


def seed(url: str, articles: tuple[tuple[int, str, str, datetime], ...] = ARTICLES,
         channels: Sequence[str] | Routing = ("email",)) -> Seeded:
    """Store ``articles``; matching ones get their match and one outbox row per route of
    ``channels`` (default: one email row on the implicit watch)."""
    rules = matcher()
    matched, unmatched = [], []
    with Store(url) as store:
        for article_id, headline, body, published in articles:
            rec = record(article_id, headline, body, published)
            verdict = rules.evaluate(Document(title=headline, body=body, published=published))
            found = []
            if verdict.matched:
                found.append(MatchRecord(
                    article_id=article_id, topic=TOPIC, rule_version=verdict.rule_version,
                    rule=verdict.rule or "", grade=verdict.grade or "mention",
                    evidence=verdict.to_dict()["evidence"],
                    matched_at=published + timedelta(minutes=6)))
            store.store_evaluated(rec, found, channels)
            (matched if found else unmatched).append(article_id)
    return Seeded(tuple(matched), tuple(unmatched))


def desk_config(store_url: str, **env: str) -> Config:
    """The config the desk is built with: the store at ``store_url``, ``env`` on top."""
    return load_config(env={"MTWATCH_DB_URL": store_url, "MTWATCH_DATA_DIR": "/nonexistent",
                            **env})
