"""Detection round 11 (issue 12), one behaviour each, on the real topic file, written as
variants of earlier mechanisms (titles and demonyms for names, headlinese, semicolons,
Russian forms) rather than as copies of any row: a third party that is only what the two
discussed ("Syria's president, Turkey's president discuss Israeli strikes"); an official
right before "in" the other side's country ("Turkish FM in Syria"); backing, eras, joint
bodies, weighing together, one table; "the visitors"; a semicolon parting two stories; a
sentence-opening pronoun before "the two presidents"; "X in A, Y in B"; a strict window
beside a third party; "the country to the south"; the pre-2024 Syrian Interim Government
and National Coalition; a Kurdish group as the two's topic; and the near misses of each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Document, Matcher

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 5, 1, tzinfo=UTC)


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


@pytest.mark.parametrize("title", [
    "Turkish foreign minister in Syria", "Turkish FM in Syria", "Fidan in Syria",
    "Syria's Shaibani in Turkey", "Syrian leader in Turkey on first foreign trip",
    "Глава МИД Турции — в Сирии", "Сирийский лидер — в Турции",
])
def test_an_official_of_one_side_in_the_other_country_is_a_visit(
        matcher: Matcher, title: str) -> None:
    assert found(matcher, title)


@pytest.mark.parametrize(("title", "text", "when"), [
    ("Turkish troops in Syria on alert", "The lira was steady.", AFTER),
    ("Turkish intelligence in Syria nabs PKK suspect", "The lira was steady.", AFTER),
    ("Syrian students in Turkey protest fees", "The lira was steady.", AFTER),
    ("Round-up", "The Turkish foreign minister spoke about the situation in Syria.", AFTER),
    ("Турецкие военные в Сирии", "Рынки спокойны.", AFTER),
    ("Turkish FM in Syria remarks anger Damascus", "The lira was steady.", BEFORE),
])
def test_no_official_or_before_the_fall_of_assad_is_no_visit(
        matcher: Matcher, title: str, text: str, when: datetime) -> None:
    assert not found(matcher, title, text, when)


@pytest.mark.parametrize(("title", "text"), [
    ("Ankara backs Syria's new rulers", "The lira was steady."),
    ("Erdogan vows to stand by Syria's new government", "The lira was steady."),
    ("Damascus hails 'new era' with Ankara", "The lira was steady."),
    ("Ankara and Damascus to set up joint operations room", "The lira was steady."),
    ("Турецкие и сирийские военные провели совместные учения", "Рынки спокойны."),
    ("Round-up", "Turkish and Syrian troops held joint drills near Aleppo."),
])
def test_headline_verbs_of_backing_eras_and_joint_bodies(
        matcher: Matcher, title: str, text: str) -> None:
    assert found(matcher, title, text)


@pytest.mark.parametrize(("title", "text"), [
    ("Turkey backs Syria's territorial integrity at UN", "The lira was steady."),
    ("Saudi Arabia backs Syria's new rulers, Turkey's lira falls", "The lira was steady."),
    ("Round-up", "Turkish-backed factions clashed with the SDF in Syria."),
    ("Round-up", "Turkey will stand by Syrian refugees, Erdogan said."),
    ("Round-up", "Turkey and Russia held joint patrols in Syria."),
    ("Обзор", "Турция и Россия провели совместные учения у границы с Сирией."),
])
def test_backing_a_principle_or_a_third_party_s_joint_act_is_not(
        matcher: Matcher, title: str, text: str) -> None:
    assert not found(matcher, title, text)


def test_the_visitors_a_side_hosted_are_the_other_side(matcher: Matcher) -> None:
    assert found(matcher, "Round-up", "A Syrian delegation led by the defence minister came to "
                                      "Ankara. Guler hosted the visitors.")
    assert not found(matcher, "Round-up", "A Saudi delegation led by the defence minister came "
                                          "to Ankara. Guler hosted the visitors.")


@pytest.mark.parametrize("title", [
    "Emir hosts Sharaa; Erdogan in Baku",
    "Saudi crown prince hosts Sharaa; Erdogan in Baku",
])
def test_a_semicolon_parts_two_stories_of_a_headline(matcher: Matcher, title: str) -> None:
    assert not found(matcher, title)


@pytest.mark.parametrize(("title", "text"), [
    ("Erdogan hosts Sharaa; leaders agree on energy", "The lira was steady."),
    ("Round-up", "Erdogan met Sharaa in Ankara; the two agreed to expand trade."),
])
def test_a_contact_before_a_semicolon_still_counts(matcher: Matcher, title: str, text: str) -> None:
    assert found(matcher, title, text)


def test_a_sentence_opening_pronoun_is_one_of_the_two_named_after_it(matcher: Matcher) -> None:
    lead = "Erdogan spoke with the leaders of Jordan and Egypt on Monday. "
    assert found(matcher, "Round-up", lead + "He then phoned Ahmed al-Sharaa, aides said, and "
                                             "the two presidents agreed to coordinate.")
    assert not found(matcher, "Round-up", lead + "He then phoned the Jordanian king, aides said, "
                                                 "and the two leaders agreed to coordinate on "
                                                 "Syria.")


@pytest.mark.parametrize("title", [
    "Fidan in Riyadh, Qatari minister in Damascus",
    "Шейбани в Эр-Рияде, эмир в Анкаре",
])
def test_who_was_where_a_list_of_places_is_no_visit(matcher: Matcher, title: str) -> None:
    assert not found(matcher, title, "Рынки спокойны." if "в" in title.split() else
                     "The lira was steady.")


def test_an_apposition_before_in_keeps_the_visit(matcher: Matcher) -> None:
    assert found(matcher, "Round-up", "Omer Bolat, Turkey's trade minister, opened a fair in "
                                      "Damascus on Friday.")


def test_a_relation_word_takes_no_side_across_a_semicolon(matcher: Matcher) -> None:
    assert not found(matcher, "Round-up", "Erdogan hailed a new era for Turkey's economy; "
                                          "Syria's pound fell.")


@pytest.mark.parametrize(("title", "text", "when"), [
    ("Turkish, Syrian defence ministers mull joint air-defence network", "The lira was steady.",
     AFTER),
    ("Ankara, Damascus weigh rail link revival", "The lira was steady.", AFTER),
    ("Assad hails 'historic era' in ties with Ankara", "The lira was steady.", BEFORE),
    ("Министры обороны Турции и Сирии сядут за стол переговоров в Москве", "Рынки спокойны.",
     BEFORE),
    ("Обзор", "Представители Анкары и Дамаска впервые сели за один стол.", BEFORE),
])
def test_headlinese_of_weighing_together_eras_and_one_table(
        matcher: Matcher, title: str, text: str, when: datetime) -> None:
    assert found(matcher, title, text, when)


@pytest.mark.parametrize(("title", "text"), [
    ("Turkish, Syrian farmers eye bumper wheat crop", "The lira was steady."),
    ("Turkey and Syria consider football friendly", "The lira was steady."),
    ("Turkey, Israel mull deconfliction line in Syria", "The lira was steady."),
    ("Round-up", "Syria's president recalled the Assad era, while Turkish media mocked him."),
    ("Обзор", "Представители Ирана и Турции сели за стол переговоров по Сирии."),
])
def test_no_two_officials_weigh_it_or_no_praised_era(
        matcher: Matcher, title: str, text: str) -> None:
    assert not found(matcher, title, text)


def test_a_window_whose_other_side_stands_alone_still_counts(matcher: Matcher) -> None:
    # its near miss, a third party beside the side in the neighbouring sentence, is held by
    # dev_blind2.jsonl (tests/test_pipelines_matcher_corpus.py)
    assert found(matcher, "Round-up", "Turkey's foreign ministry welcomed the news. Analysts "
                                      "say Damascus hopes to curb smuggling. Normalization with "
                                      "Ankara is expected to be completed soon.")


def test_the_syrian_interim_government_is_the_side_only_after_the_fall_of_assad(
        matcher: Matcher) -> None:
    text = "{} met the head of the Syrian Interim Government in Ankara."
    assert not found(matcher, "Round-up", text.format("Cavusoglu"), BEFORE)
    assert found(matcher, "Round-up", text.format("Fidan"), AFTER)


def test_the_country_to_the_south_is_the_other_side_the_article_names(matcher: Matcher) -> None:
    text = "{} Erdogan said Turkey expected talks with the country to the south to continue."
    assert found(matcher, "Round-up", text.format("Syria was mentioned too."), BEFORE)
    assert not found(matcher, "Round-up", text.format("Iraq was mentioned too."), BEFORE)


@pytest.mark.parametrize("text", [
    "Cavusoglu met the leadership of the Syrian National Coalition.",
    "Turkish Foreign Minister Mevlut Cavusoglu met on Tuesday with the leadership of the Syrian "
    "National Coalition, the ministry said.",
])
def test_an_organisation_named_after_a_nonparty_demonym_is_nobody_s_official(
        matcher: Matcher, text: str) -> None:
    assert not found(matcher, "Round-up", text, BEFORE)


def test_a_title_after_a_demonym_still_names_the_official(matcher: Matcher) -> None:
    assert found(matcher, "Round-up", "Fidan met Syrian Economy Minister Nidal al-Shaar in "
                                      "Ankara.")


@pytest.mark.parametrize("text", [
    "Turkey and Syria set up a security mechanism to monitor the SDF's integration.",
    "Turkish officials say a mechanism set up with Damascus is monitoring the SDF's "
    "integration.",
])
def test_a_kurdish_group_as_the_topic_of_the_two_is_no_veto(matcher: Matcher, text: str) -> None:
    assert found(matcher, "Round-up", text)


@pytest.mark.parametrize(("text", "when"), [
    ("Турецкие военные и сирийские власти обменялись обвинениями после операции против YPG.",
     AFTER),
    ("Turkey and the SDF exchanged fire near Manbij in Syria.", AFTER),
    ("Damascus and the SDF signed a deal after Turkey launched its offensive.", BEFORE),
])
def test_operations_against_kurdish_groups_still_veto(
        matcher: Matcher, text: str, when: datetime) -> None:
    assert not found(matcher, "Round-up", text, when)
