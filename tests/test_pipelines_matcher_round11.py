"""Detection round 11 (issue 12), one behaviour each, on the real topic file, written as
variants of earlier mechanisms (titles and demonyms for names, headlinese, Russian forms)
rather than as copies of any row: a third party that is only what the two discussed is no
veto when the sides are named by office ("Syria's president, Turkey's president discuss
Israeli strikes"); and the near misses of each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.matcher import Document, Matcher, load_topic

TOPIC_FILE = Path(__file__).resolve().parents[1] / "config" / "topics" / "syria-turkey.toml"
AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 5, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_topic(TOPIC_FILE))


def found(matcher: Matcher, title: str, text: str = "The lira was steady.",
          when: datetime = AFTER) -> bool:
    return matcher.evaluate(Document(title=title, body=text, published=when)).matched


@pytest.mark.parametrize(("title", "text"), [
    ("Syria's president, Turkey's president discuss Israeli strikes", "The lira was steady."),
    ("Syrian president, Erdogan discuss Israeli strikes", "The lira was steady."),
    ("Regional round-up", "Syria's new leader and the Turkish president discussed Israeli "
                          "strikes on Saturday."),
])
def test_a_third_party_discussed_by_sides_named_by_office_is_no_veto(
        matcher: Matcher, title: str, text: str) -> None:
    assert found(matcher, title, text)


@pytest.mark.parametrize(("title", "text"), [
    ("Syrian, Turkish presidents each meet Saudi crown prince", "The lira was steady."),
    ("Regional round-up", "Syria's president discussed Israeli strikes with Saudi officials, "
                          "and Turkey's president called for calm."),
])
def test_a_third_party_as_partner_still_vetoes(matcher: Matcher, title: str, text: str) -> None:
    assert not found(matcher, title, text)
