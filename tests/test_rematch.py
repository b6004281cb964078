"""pipelines.rematch: re-running the rules over the stored articles records what they gain,
update and lose, and never storms (bar row E8): rematching again queues nothing, new rules that
quote other sentences of the same text are not news, an edit of the quoted sentences sends one
update per channel, and a gained report of a story is threaded under the story's first alert."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from crawler.config import SHIPPED_CONFIG_DIR
from pipelines.alerts import EmailNotifier, SmtpSettings
from pipelines.alerts.policy import alert_key
from pipelines.matcher import Document, Matcher, Topic, Verdict
from pipelines.rematch import Change, rematch
from pipelines.storage import DEFAULT_SITE, ArticleRecord, Store
from pipelines.wiring import load_matchers
from tests.helpers.alerts import T0
from tests.helpers.stories import article_record, pair
from tests.replica import Article, Site, build_site

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


@dataclass
class NewRules:
    """The topic's matcher under new rules (``version``): its verdicts passed through
    ``change``."""

    real: Matcher
    version: str
    change: Callable[[Document, Verdict], Verdict]

    @property
    def topic(self) -> Topic:
        return replace(self.real.topic, rule_version=self.version)

    def evaluate(self, document: Document) -> Verdict:
        verdict = replace(self.real.evaluate(document), rule_version=self.version)
        return self.change(document, verdict)


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(60, 3)


@pytest.fixture
def matchers() -> list[Matcher]:
    return load_matchers(SHIPPED_CONFIG_DIR / "topics", [TOPIC])


@pytest.fixture
def site_store(store: Store, site: Site) -> Store:
    """The shared store (each backend) holding the site's articles."""
    for article in site.articles:
        store.upsert_article(record(article))
    return store


def positives(site: Site) -> set[int]:
    return {a.id for a in site.articles if a.positive}


def kinds(store: Store) -> list[str]:
    return sorted(a.kind for a in store.outbox_rows())


def test_rematching_the_store_three_times_adds_no_alert_event(
    site_store: Store, matchers: list[Matcher], site: Site
) -> None:
    first = rematch(site_store, matchers, channels=CHANNELS, now=T0)
    assert {m.article_id for m in site_store.list_matches()} == positives(site)
    assert first.evaluated == len(site.articles)
    assert sorted(c.article_id for c in first.gained) == sorted(positives(site))
    assert {c.site for c in first.gained} == {DEFAULT_SITE}
    assert first.queued == len(positives(site)) * len(CHANNELS)
    assert kinds(site_store) == ["alert"] * first.queued
    for _ in range(3):
        again = rematch(site_store, matchers, channels=CHANNELS, now=T0)
        assert (again.gained, again.lost, again.updated, again.queued) == ([], [], 0, 0)
        assert again.unchanged == len(positives(site))


def test_a_rule_version_bump_refreshes_matches_without_alerting(
    site_store: Store, matchers: list[Matcher], site: Site
) -> None:
    rematch(site_store, matchers, channels=CHANNELS, now=T0)
    rows = kinds(site_store)
    bumped = [Matcher(replace(m.topic, rule_version="2:new-rules")) for m in matchers]
    report = rematch(site_store, bumped, channels=CHANNELS, now=T0)
    assert (report.updated, report.queued) == (len(positives(site)), 0)
    assert kinds(site_store) == rows
    assert {m.rule_version for m in site_store.list_matches()} == {"2:new-rules"}


def test_other_evidence_from_unchanged_text_does_not_alert(
    site_store: Store, matchers: list[Matcher]
) -> None:
    rematch(site_store, matchers, channels=CHANNELS, now=T0)
    [before] = [m for m in site_store.list_matches() if m.article_id == SEED]
    assert len(before.evidence) > 1
    # new rules quote only one of the sentences quoted before: the article is the same
    narrower = NewRules(matchers[0], "3:narrow",
                        lambda _doc, v: replace(v, evidence=v.evidence[1:2]))
    report = rematch(site_store, [narrower], channels=CHANNELS, now=T0)
    assert report.queued == 0
    assert "update" not in kinds(site_store)
    [after] = [m for m in site_store.list_matches() if m.article_id == SEED]
    assert (after.rule_version, after.evidence) == ("3:narrow", before.evidence[1:2])


def test_an_edit_of_the_quoted_sentences_sends_one_update_per_channel(
    site_store: Store, matchers: list[Matcher], site: Site
) -> None:
    rematch(site_store, matchers, channels=CHANNELS, now=T0)
    seed = site.by_id[SEED]
    edited = plain_text(seed).replace(
        "a roadmap to normalize ties between Syria and Turkey will be drafted",
        "a roadmap to restore ties between Syria and Turkey is ready")
    site_store.upsert_article(record(seed, edited))
    reports = [rematch(site_store, matchers, channels=CHANNELS, now=T0) for _ in range(3)]
    assert [r.queued for r in reports] == [len(CHANNELS), 0, 0]
    assert [r.updated for r in reports] == [1, 0, 0]
    updates = [a for a in site_store.outbox_rows() if a.kind == "update"]
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


def test_without_channels_an_edit_refreshes_the_match_and_queues_nothing(
    site_store: Store, matchers: list[Matcher], site: Site
) -> None:
    rematch(site_store, matchers, channels=CHANNELS, now=T0)
    rows = kinds(site_store)
    seed = site.by_id[SEED]
    edited = plain_text(seed).replace("will be drafted", "is ready")
    site_store.upsert_article(record(seed, edited))
    report = rematch(site_store, matchers, channels=(), now=T0)
    assert (report.updated, report.queued) == (1, 0)
    assert kinds(site_store) == rows
    [match] = [m for m in site_store.list_matches() if m.article_id == SEED]
    assert any("is ready" in e["sentence"] for e in match.evidence)


@pytest.mark.parametrize("change", ["spaces", "newlines", "nbsp", "soft-hyphen", "zero-width"])
def test_whitespace_and_layout_changes_never_alert(
    site_store: Store, matchers: list[Matcher], site: Site, change: str
) -> None:
    rematch(site_store, matchers, channels=CHANNELS, now=T0)
    seed = site.by_id[SEED]
    text = plain_text(seed)
    changed = {
        "spaces": text.replace(" ", "  "),
        "newlines": text.replace("\n\n", "\n \n\n").replace(". ", ".\n"),
        "nbsp": text.replace(" ", "\u00a0"),
        "soft-hyphen": text.replace("roadmap", "road\u00admap"),
        "zero-width": text.replace("Syria", "Sy\u200bria", 1),
    }[change]
    assert changed != text
    site_store.upsert_article(record(seed, changed))
    report = rematch(site_store, matchers, channels=CHANNELS, now=T0)
    assert report.queued == 0


def test_a_lost_match_is_listed_and_kept(
    site_store: Store, matchers: list[Matcher], site: Site
) -> None:
    rematch(site_store, matchers, channels=CHANNELS, now=T0)
    seed = site.by_id[SEED]
    [old] = [m for m in site_store.list_matches() if m.article_id == SEED]
    blind = NewRules(matchers[0], "4:blind", lambda doc, v: (
        Verdict(topic=v.topic, rule_version=v.rule_version, matched=False)
        if doc.title == seed.title else v))
    report = rematch(site_store, [blind], channels=CHANNELS, now=T0)
    assert report.lost == [Change(SEED, DEFAULT_SITE, TOPIC, seed.title, old.url, old.rule,
                                  old.grade)]
    assert (report.gained, report.queued) == ([], 0)
    assert report.updated == len(positives(site)) - 1
    kept = {m.article_id: m for m in site_store.list_matches()}
    assert set(kept) == positives(site)
    assert kept[SEED] == old  # untouched: its alert may have been sent
    assert rematch(site_store, [blind], channels=CHANNELS, now=T0).lost == report.lost


def test_not_written_it_reports_what_would_change_and_writes_nothing(
    site_store: Store, matchers: list[Matcher], site: Site
) -> None:
    report = rematch(site_store, matchers, channels=CHANNELS, now=T0, write=False)
    assert sorted(c.article_id for c in report.gained) == sorted(positives(site))
    assert report.queued == 0
    assert site_store.list_matches() == []
    assert site_store.outbox_rows() == []


def test_a_gained_report_of_a_story_is_threaded_under_its_first_alert(
    store: Store, matchers: list[Matcher]
) -> None:
    first, copy = pair("reheadlined")
    store.upsert_article(article_record(first, "wire", "a1"))
    store.upsert_article(article_record(copy, "tribune", "b1"))
    report = rematch(store, matchers, channels=CHANNELS, now=T0)
    assert sorted(c.site for c in report.gained) == ["tribune", "wire"]
    rows = sorted(store.outbox_rows(), key=lambda r: r.id)
    assert [(r.site, r.kind) for r in rows] == [
        ("wire", "alert"), ("wire", "alert"), ("tribune", "update"), ("tribune", "update")]
    assert {r.refers_to for r in rows if r.kind == "update"} == {alert_key("wire", TOPIC, "a1")}
    assert len({m.story_id for m in store.list_matches()}) == 1
    assert rematch(store, matchers, channels=CHANNELS, now=T0).queued == 0
