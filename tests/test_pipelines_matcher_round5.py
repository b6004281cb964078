"""Detection round 5 (issue 12), one behaviour each, on the real topic file: coreference two
or three sentences back, post-2024 ties told in passing, and the vetoes of hostile contacts
and old treaties named without a year."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.matcher import Document, Matcher, Verdict, load_topic

TOPIC_FILE = Path(__file__).resolve().parents[1] / "config" / "topics" / "syria-turkey.toml"
AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_topic(TOPIC_FILE))


def body(matcher: Matcher, text: str, when: datetime | None = AFTER, title: str = "") -> Verdict:
    return matcher.evaluate(Document(title=title, body=text, published=when))


# --- third parties that are not the cue's party ---------------------------------------------


@pytest.mark.parametrize("text", [
    # the source of the report, after a comma
    "Turkish and Syrian officials held a second round of talks on water sharing in Baghdad, "
    "Iraqi officials said.",
    # co-participants named after "together with"
    "Делегации Сирии и Турции вместе с иракскими военными договорились во вторник открыть "
    "общий пункт связи.",
])
def test_a_third_party_aside_from_the_cue_is_no_veto(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses


def test_a_third_party_as_the_cues_own_party_still_vetoes(matcher: Matcher) -> None:
    text = ("Iraqi and Turkish officials held talks in Ankara on the Development Road; Syria "
            "was not invited.")
    assert not body(matcher, text).matched


# --- hostile contacts and old treaties --------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Асад принял российских сенаторов. На встрече с ними Асад заявил, что присутствие Анкары "
    "в Идлибе незаконно.",
    "Асад в понедельник встретился с российскими сенаторами и заявил, что Анкара будет "
    "изгнана из Идлиба.",
])
def test_an_attack_on_the_other_side_told_to_visitors_is_no_contact(matcher: Matcher,
                                                                      text: str) -> None:
    assert not body(matcher, text, BEFORE).matched


@pytest.mark.parametrize("text", [
    "Ankara said the Adana accord with Damascus lets its troops chase militants into Syria.",
    "Ankara says the deal it signed with Hafez al-Assad lets its troops chase militants.",
    "В Анкаре считают, что Аданское соглашение с Дамаском позволяет преследовать боевиков.",
])
def test_a_treaty_named_without_a_year_is_still_a_yardstick(matcher: Matcher, text: str) -> None:
    assert not body(matcher, text, BEFORE).matched


@pytest.mark.parametrize("text", [
    "Ankara and Damascus have started talks on updating the Adana accord.",
    "Putin said the Adana agreement could be the basis for cooperation between Ankara and "
    "Damascus.",
    "Анкара и Дамаск начали переговоры об обновлении Аданского соглашения.",
])
def test_the_named_treaty_revived_is_news(matcher: Matcher, text: str) -> None:
    assert body(matcher, text, BEFORE).matched


def test_a_city_of_the_treaty_name_is_no_yardstick(matcher: Matcher) -> None:
    """Only the treaty's name dates a cue: talks held in the city of Adana are news."""
    assert body(matcher, "Shaibani held talks with Fidan in Adana on Monday.").matched
