"""Canaries on plain data: when one is due, what makes it fail, how it reads as a monitor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.config import ConfigError, load_config
from crawler.health import canaries
from crawler.health.canaries import CanaryResult, due, verdict
from crawler.health.coverage import given_up_payload, headline_from_url

NOW = datetime(2026, 6, 23, 12, 0, tzinfo=UTC)
URL = "https://www.themoscowtimes.com/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087"
DAY = timedelta(hours=24)


def state(ok: bool, hours_ago: float, checker: str = "v1") -> dict[str, object]:
    return {URL: CanaryResult(URL, ok, "" if ok else "HTTP 404", "Roadmap", (
        NOW - timedelta(hours=hours_ago)).isoformat(), '"e1"', "Wed, 10 May 2023", checker
    ).as_state()}


def test_a_canary_is_due_once_a_day_with_its_validators() -> None:
    assert due([URL], {}, NOW, DAY, "v1") == [(URL, None)]
    assert due([URL], state(True, 3), NOW, DAY, "v1") == []
    assert due([URL], state(True, 25), NOW, DAY, "v1") == [(URL, ('"e1"', "Wed, 10 May 2023"))]
    assert due([URL], state(True, 0.01), NOW, timedelta(0), "v1") != []  # canary_hours = 0


def test_a_failing_canary_is_checked_every_run_in_full() -> None:
    assert due([URL], state(False, 0.1), NOW, DAY, "v1") == [(URL, None)]


def test_new_rules_or_extractor_fetch_the_canary_whole() -> None:
    assert due([URL], state(True, 3), NOW, DAY, "v2") == [(URL, None)]


@pytest.mark.parametrize(("args", "says"), [
    ((None, "zone", "", []), "no article any more"),
    (("Roadmap", "no_body", "", [{"title"}]), "no article body could be extracted (no_body)"),
    (("Roadmap", "generic", "Some other text.", []), "it no longer matches the rules"),
    (("Roadmap", "zone", "Unrelated text.", [{"title"}]), "matches on its headline only"),
])
def test_what_makes_a_canary_fail(args: tuple, says: str) -> None:  # type: ignore[type-arg]
    assert says in verdict(*args)


def test_a_body_match_passes_whatever_the_path() -> None:
    assert verdict("Roadmap", "generic", "Syria and Turkey mend ties.", [{"title", "body"}]) == ""


def test_canary_readings() -> None:
    failed = CanaryResult(URL, False, "fetching it failed: HTTP 410", "Roadmap")
    [reading] = canaries.readings([URL], [failed], {})
    assert reading.monitor == "canary a81087"
    assert reading.tripped is True
    assert reading.reason == (f"canary a81087 (Roadmap) failed: fetching it failed: HTTP 410 "
                              f"<{URL}>")
    [ok] = canaries.readings([URL], [CanaryResult(URL, True, "", "Roadmap")], {})
    assert ok.tripped is False
    [unchecked] = canaries.readings([URL], [], state(True, 3))
    assert unchecked.tripped is None


def test_canaries_in_config_must_be_article_urls(tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.toml"
    good.write_text(f'[sites.moscowtimes]\ncanaries = ["{URL}", "/2024/01/02/x-a85000"]\n')
    assert load_config(good, env={}).site.canaries[1] == "/2024/01/02/x-a85000"
    bad = tmp_path / "bad.toml"
    bad.write_text('[sites.moscowtimes]\ncanaries = ["/news"]\n')
    with pytest.raises(ConfigError, match=r"sites.moscowtimes.canaries in .*ending in -a<ID>"):
        load_config(bad, env={})
    assert load_config(None, env={}).site.canaries == [
        "/2023/05/10/russia-says-roadmap-in-the-works-to-mend-syria-turkey-ties-a81087"]


def test_a_given_up_article_is_reported_with_a_headline_and_its_link() -> None:
    assert headline_from_url(URL) == "Russia says roadmap in the works to mend syria turkey ties"
    payload = given_up_payload(81087, URL, "", "http_403: Forbidden", NOW)
    assert payload["headline"].startswith("Russia says roadmap")
    assert payload["url"] == URL
    stored = given_up_payload(81087, URL, "Russia Says Roadmap", "timeout", NOW)
    assert stored["headline"] == "Russia Says Roadmap"
    assert stored["key"] == payload["key"]  # one notice per article and day


def test_crawled_headlines_are_printable_and_bounded_in_reasons() -> None:
    hostile = CanaryResult(URL, False, "gone", "Roadmap\x1b[2J\u009b31m" + "x" * 500)
    [reading] = canaries.readings([URL], [hostile], {})
    assert "\x1b" not in reading.reason
    assert "\u009b" not in reading.reason
    assert len(reading.reason) < 400
