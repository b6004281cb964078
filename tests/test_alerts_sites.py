"""Alerts name their site: payload, webhook envelope, e-mail subject and body, times shown in
the site's time zone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pipelines.alerts.compose import compose
from pipelines.alerts.payload import build_payload
from pipelines.alerts.render import site_zone
from pipelines.alerts.webhook import envelope
from pipelines.storage import ArticleRecord, MatchRecord

PUBLISHED = datetime(2026, 11, 2, 21, 30, tzinfo=UTC)  # 00:30 the next day in Moscow


def payload(site: str, key: str = "12345") -> dict[str, Any]:
    article = ArticleRecord(
        article_id=7, url=f"https://{site}.example/a/{key}", headline="Турция и Сирия",
        subtitle="", authors=[], published=PUBLISHED, modified=None, section="", tags=[],
        language="ru", html_sha256="h", text="Турция и Сирия.", extraction="zone",
        fetched_at=PUBLISHED, site=site, key=key)
    match = MatchRecord(article_id=7, topic="syria-turkey", rule_version="1", rule="core",
                        grade="development", evidence=[], matched_at=PUBLISHED, site=site,
                        key=key)
    return build_payload(article, match, "Syria and Turkey")


def test_the_payload_and_the_webhook_envelope_carry_the_site_and_its_key() -> None:
    data = json.loads(envelope(payload("moscowtimes-ru"), "k1"))["data"]
    assert (data["site"], data["article_key"]) == ("moscowtimes-ru", "12345")


def test_the_subject_and_body_name_the_site_and_show_moscow_time() -> None:
    composed = compose(payload("moscowtimes-ru"))
    assert composed.subject == "[mtwatch] moscowtimes-ru · Syria and Turkey: Турция и Сирия"
    assert "Site:       moscowtimes-ru" in composed.text
    assert "2026-11-03 00:30 MSK (2026-11-02 21:30 UTC)" in composed.text
    assert "moscowtimes-ru" in composed.html


def test_a_site_is_shown_in_the_time_zone_it_is_given() -> None:
    composed = compose(payload("berlin-daily"), {"berlin-daily": "Europe/Berlin"})
    assert "2026-11-02 22:30 CET (2026-11-02 21:30 UTC)" in composed.text
    # a site nobody gave a zone, and a zone that does not exist: UTC
    assert "2026-11-02 21:30 UTC (2026-11-02 21:30 UTC)" in compose(payload("other")).text
    assert site_zone("x", {"x": "Mars/Olympus"}).key == "UTC"


def test_payloads_from_before_sites_keep_moscow_time_and_the_old_subject() -> None:
    old = {k: v for k, v in payload("moscowtimes").items() if k not in ("site", "article_key")}
    composed = compose(old)
    assert composed.subject.startswith("[mtwatch] Syria and Turkey: ")
    assert "2026-11-03 00:30 MSK" in composed.text
    assert "Site:" not in composed.text
