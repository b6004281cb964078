"""Detection round 6 (issue 12), one behaviour each, on the real topic file: a pronoun after
an opening time phrase, a side's capital named by a seat word, "the three countries" of the
same sentence, an alliance fixed earlier, a decision of both governments, and the near
misses each must leave alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2023, 4, 1, tzinfo=UTC)


body = body_reader(AFTER)


# --- a subject pronoun after an opening time phrase ------------------------------------------


def test_a_pronoun_after_a_capitalized_time_phrase_is_the_last_subject(matcher: Matcher) -> None:
    text = ("Syria's foreign minister Asaad al-Shaibani began a tour in Doha on Monday. On "
            "Wednesday he held talks in Ankara.")
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses
    assert "he" in verdict.evidence[0].terms


def test_a_name_in_the_opening_phrase_is_no_time_phrase(matcher: Matcher) -> None:
    # "On Wednesday Jordan's minister": the pronoun rule needs the pronoun itself to open
    text = ("Syria's foreign minister Asaad al-Shaibani began a tour in Doha on Monday. On "
            "Wednesday Jordan's Safadi held talks in Ankara.")
    assert not body(matcher, text).matched


# --- a side's capital named by a seat word ------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Ibrahim Kalin, head of Turkey's intelligence agency, was in the Syrian capital on Saturday.",
    "Глава турецкой разведки Ибрагим Калын в субботу находился в столице Сирии.",
])
def test_an_official_in_the_other_sides_capital_is_a_visit(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses
    assert verdict.evidence[0].rule == "visit-presence"


@pytest.mark.parametrize("text", [
    "Turkish troops were seen in the Syrian capital.",
    "Syrian refugees in the Turkish capital protested on Sunday.",
])
def test_no_official_in_the_capital_is_no_visit(matcher: Matcher, text: str) -> None:
    assert not body(matcher, text).matched


def test_before_the_fall_of_assad_a_capital_is_no_visit(matcher: Matcher) -> None:
    text = "Ibrahim Kalin, head of Turkey's intelligence agency, was in the Syrian capital."
    assert not body(matcher, text, BEFORE).matched


# --- "the three countries" of the same sentence -------------------------------------------------


@pytest.mark.parametrize("text", [
    "Gas from Azerbaijan began flowing to Syria through Turkey under an agreement signed by the "
    "energy ministers of the three countries in Baku.",
    "Азербайджанский газ пошел в Сирию через Турцию по соглашению, которое подписали министры "
    "энергетики трех стран.",
])
def test_the_three_countries_of_one_sentence_are_its_parties(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses


def test_three_countries_without_both_sides_are_not_the_pair(matcher: Matcher) -> None:
    text = ("Gas from Azerbaijan began flowing to Georgia through Turkey under an agreement "
            "signed by the energy ministers of the three countries. Syria hopes for the same.")
    assert not body(matcher, text).matched


# --- an alliance fixed earlier, a decision of both governments, carriers ------------------------


def test_the_alliance_is_the_side_it_was_named_with(matcher: Matcher) -> None:
    text = ("Kemal Kilicdaroglu, the candidate of Turkey's opposition alliance, spoke in Izmir "
            "on Tuesday. Most of the speech was about prices.\n\nAides said the alliance "
            "would send an envoy to the government in Damascus.")
    assert body(matcher, text, BEFORE).matched


def test_a_decision_of_both_governments_is_a_joint_act(matcher: Matcher) -> None:
    text = ("Пункт пропуска Акчакале в понедельник открылся для грузовиков по решению "
            "правительств Турции и Сирии.")
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses
    assert verdict.evidence[0].rule == "joint-act"


def test_a_decision_of_two_countries_without_officials_is_no_joint_act(matcher: Matcher) -> None:
    text = "Пункт пропуска открылся для грузовиков по решению Турции и Сирии."
    assert not body(matcher, text).matched


@pytest.mark.parametrize("text", [
    "Сирийский перевозчик Fly Cham в четверг открыл ежедневный рейс в Стамбул.",
    "The Syrian carrier Fly Cham opened a daily flight to Istanbul on Thursday.",
])
def test_an_airline_of_one_side_is_no_government_step(matcher: Matcher, text: str) -> None:
    assert not body(matcher, text).matched


# --- an agentless clause: its agent is the last subject -----------------------------------------


@pytest.mark.parametrize("text", [
    "Turkey's defence minister Yasar Guler said that training of Syrian officers had begun. The "
    "programme was agreed with the government in Damascus in March.",
    "Министр обороны Турции Яшар Гюлер заявил, что подготовка сирийских офицеров началась. "
    "Программа была согласована с правительством в Дамаске в марте.",
])
def test_an_agentless_clause_takes_the_last_subject(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses


@pytest.mark.parametrize("text", [
    # the sentence before names a third party: the agent may be it
    "Jordan's King Abdullah spoke in Amman with Turkey's ambassador. The programme was agreed "
    "with the government in Damascus.",
    # an unknown name opening the clause is its subject, not an agentless clause
    "Syria's foreign minister criticized Turkey's presence in Afrin. Lavrov later met his "
    "Turkish counterpart in Antalya.",
    # the last subject is the object's own side
    "Syria's defence minister said training had begun. The programme was agreed with the "
    "government in Damascus.",
])
def test_an_agentless_clause_borrows_no_third_party_or_same_side(matcher: Matcher,
                                                                  text: str) -> None:
    assert not body(matcher, text).matched


# --- an office after an opening phrase and its comma; a chargé d'affaires -------------------------


def test_the_minister_after_an_opening_phrase_is_the_last_subject(matcher: Matcher) -> None:
    text = ("Hakan Fidan spent the day in Doha with Qatari officials. In the evening, the "
            "minister flew on to Damascus.")
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses
    assert "minister" in verdict.evidence[0].terms


@pytest.mark.parametrize(("text", "expected"), [
    ("Burhan Koroglu was named Turkey's charge d'affaires in Damascus.", True),
    ("Турция назначила временного поверенного в делах в Дамаске.", True),
    ("Временный поверенный в делах США в Анкаре заявил, что Сирии нужна помощь.", False),
])
def test_a_charge_daffaires_is_an_ambassadors_cue(matcher: Matcher, text: str,
                                                   expected: bool) -> None:
    assert body(matcher, text).matched is expected


# --- trade steps by both governments ----------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Orders have tripled since Ankara and Damascus cut customs duties in the spring.", True),
    ("Заказы утроились с тех пор, как Анкара и Дамаск снизили таможенные пошлины.", True),
    ("Turkey lifted exit visa fees for Syrian refugees returning home.", False),
    ("Turkey and Syria both cut interest rates this month.", False),
])
def test_duties_cut_by_both_are_a_practical_step(matcher: Matcher, text: str,
                                                 expected: bool) -> None:
    assert body(matcher, text).matched is expected

