"""Bar row E8: re-matching the store never storms; an edit of the evidence sends one update."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from crawler.config import SHIPPED_CONFIG_DIR
from pipelines.alerts import EmailNotifier, SmtpSettings
from pipelines.alerts.policy import alert_key
from pipelines.alerts.rematch import rematch
from pipelines.matcher import Matcher
from pipelines.storage import DEFAULT_SITE, ArticleRecord, Store
from pipelines.wiring import load_matchers
from tests.replica import Article, build_site
from tests.test_pipelines_alerts_relay import T0

CHANNELS = ("email", "webhook")
SEED = 81087
TOPIC = "syria-turkey"


def plain_text(article: Article) -> str:
    """The article's own paragraphs as text (no asides), like the cleaner keeps them."""
    paragraphs = [
        html.unescape(re.sub(r"<[^>]+>", "", p))
        for block in article.blocks if block.type == "html"
        for p in re.findall(r"<p>(.*?)</p>", block.body, re.S)
    ]  # fmt: skip
    return "\n\n".join(paragraphs)


def record(article: Article, text: str | None = None) -> ArticleRecord:
    body = plain_text(article) if text is None else text
    return ArticleRecord(
        article_id=article.id, url=f"https://www.themoscowtimes.com/x-a{article.id}",
        headline=article.title, subtitle=article.subtitle,
        authors=[a.name for a in article.authors], published=article.published,
        modified=None, section=article.section, tags=list(article.tags), language="en",
        html_sha256=str(hash(body)), text=body, extraction="ok", fetched_at=T0,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site() -> object:
    return build_site(60, 3)


@pytest.fixture
def matchers() -> list[Matcher]:
    return load_matchers(SHIPPED_CONFIG_DIR / "topics", [TOPIC])


@pytest.fixture
def store(store: Store, site: object) -> Store:
    """The shared store (each backend) holding the site's articles."""
    for article in site.articles:  # type: ignore[attr-defined]
        store.upsert_article(record(article))
    return store


def kinds(store: Store) -> list[str]:
    return sorted(a.kind for a in store.outbox_rows())


def test_rematching_the_store_three_times_adds_no_alert_event(
    store: Store, matchers: list[Matcher], site: object
) -> None:
    first = rematch(store, matchers, CHANNELS, now=T0)
    positives = {a.id for a in site.articles if a.positive}  # type: ignore[attr-defined]
    assert {m.article_id for m in store.list_matches()} == positives
    assert first.new_matches == len(positives)
    assert first.new_alert_rows == len(positives) * len(CHANNELS)
    for _ in range(3):
        again = rematch(store, matchers, CHANNELS, now=T0)
        assert (again.new_matches, again.new_alert_rows) == (0, 0)
        assert again.matched == len(positives)


def test_a_rule_version_bump_refreshes_matches_without_alerting(
    store: Store, matchers: list[Matcher]
) -> None:
    rematch(store, matchers, CHANNELS, now=T0)
    rows = kinds(store)
    bumped = [Matcher(replace(m.topic, rule_version="2:new-rules")) for m in matchers]
    report = rematch(store, bumped, CHANNELS, now=T0)
    assert report.new_alert_rows == 0
    assert kinds(store) == rows
    assert {m.rule_version for m in store.list_matches()} == {"2:new-rules"}


def test_other_evidence_from_unchanged_text_does_not_alert(
    store: Store, matchers: list[Matcher]
) -> None:
    rematch(store, matchers, CHANNELS, now=T0)
    [seed] = [m for m in store.list_matches() if m.article_id == SEED]
    # a new rule quotes only one of the sentences it quoted before: the article is the same
    narrower = replace(seed, evidence=seed.evidence[1:2], rule_version="3:narrow")
    assert store.record_match(narrower, CHANNELS) is False
    assert "update" not in kinds(store)


def test_an_edit_of_the_quoted_sentences_sends_one_update_per_channel(
    store: Store, matchers: list[Matcher], site: object
) -> None:
    rematch(store, matchers, CHANNELS, now=T0)
    seed = site.by_id[SEED]  # type: ignore[attr-defined]
    edited = plain_text(seed).replace(
        "a roadmap to normalize ties between Syria and Turkey will be drafted",
        "a roadmap to restore ties between Syria and Turkey is ready")
    store.upsert_article(record(seed, edited))
    for _ in range(3):
        rematch(store, matchers, CHANNELS, now=T0)
    updates = [a for a in store.outbox_rows() if a.kind == "update"]
    assert sorted(a.channel for a in updates) == sorted(CHANNELS)
    assert {a.refers_to for a in updates} == {alert_key(DEFAULT_SITE, TOPIC, str(SEED))}
    assert len({a.idempotency_key for a in updates}) == 1
    payload = updates[0].payload
    assert any("is ready" in e["sentence"] for e in payload["evidence"])
    assert any("will be drafted" in e["sentence"] for e in payload["previous_evidence"])
    message = EmailNotifier(SmtpSettings(host="127.0.0.1", port=25, sender="m@test.invalid",
                                         recipients=("d@test.invalid",), security="none")
                            ).build_message(payload, updates[0].idempotency_key)
    assert "(updated)" in str(message["Subject"])
    assert message["In-Reply-To"] == f"<{alert_key(DEFAULT_SITE, TOPIC, str(SEED))}@mtwatch.local>"
    body = message.get_body(("plain",))
    assert body is not None
    assert "Before the edit, the first alert quoted:" in body.get_content()


@pytest.mark.parametrize("change", ["spaces", "newlines", "nbsp", "soft-hyphen", "zero-width"])
def test_whitespace_and_layout_changes_never_alert(
    store: Store, matchers: list[Matcher], site: object, change: str
) -> None:
    rematch(store, matchers, CHANNELS, now=T0)
    seed = site.by_id[SEED]  # type: ignore[attr-defined]
    text = plain_text(seed)
    changed = {
        "spaces": text.replace(" ", "  "),
        "newlines": text.replace("\n\n", "\n \n\n").replace(". ", ".\n"),
        "nbsp": text.replace(" ", "\u00a0"),
        "soft-hyphen": text.replace("roadmap", "road\u00admap"),
        "zero-width": text.replace("Syria", "Sy\u200bria", 1),
    }[change]
    assert changed != text
    store.upsert_article(record(seed, changed))
    report = rematch(store, matchers, CHANNELS, now=T0)
    assert report.new_alert_rows == 0
