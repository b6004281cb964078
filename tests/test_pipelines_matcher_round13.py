"""Detection round 13, one behaviour each, on the real topic file, written as variants of the
classes dev_blind3.jsonl and dev_blind4.jsonl showed rather than as copies of any row:
Turkey's cabinet by full name, the intelligence services by name; headlinese (landing,
one table, "talking", joint acts in the present, visa-free travel, a colon before a
venue); routes, national football teams, "над", TurkStream and "former" as no party;
"local reconciliation"; briefing the other side; an office phrase's holder as a cue's
object; talks of two officials about the quake or refugees; an office opening a
contrastive clause; a government named by its seat as no venue; a presence's official
near its "in"; a contact told about by someone else; "Its …" as the last subject; a group
read as one side and a third party; a traveller's next stop; and the near misses of each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import CALM, headline_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 5, 1, tzinfo=UTC)
#: the Moscow formats of 2022-2023
TALKS = datetime(2023, 5, 1, tzinfo=UTC)
QUAKE = datetime(2023, 3, 1, tzinfo=UTC)

found = headline_reader(AFTER)


@pytest.mark.parametrize(("title", "text"), [
    ("Round-up", "Health Minister Kemal Memisoglu held talks in Damascus with Syria's health "
                 "minister on Monday."),
    ("Round-up", "Schools will get new books under a protocol signed during Education Minister "
                 "Yusuf Tekin's visit to Damascus."),
    ("Round-up", "Environment Minister Murat Kurum spoke in Ankara.\n\nKurum later flew to "
                 "Damascus for talks on water."),
])
def test_a_cabinet_minister_by_full_name_is_turkeys(matcher: Matcher, title: str,
                                                    text: str) -> None:
    assert found(matcher, title, text)


@pytest.mark.parametrize("text", [
    "Health Minister Kemal Memisoglu held talks in Baku on Syrian refugees.",
    "Education Minister Yusuf Tekin's visit to Baku ended with a deal on Syrian students.",
])
def test_a_cabinet_minister_elsewhere_is_no_contact(matcher: Matcher, text: str) -> None:
    assert not found(matcher, "Round-up", text)


@pytest.mark.parametrize("title", [
    "MIT, Mukhabarat in talks on border security", "MIT and Mukhabarat talking again",
])
def test_the_intelligence_services_by_name(matcher: Matcher, title: str) -> None:
    assert found(matcher, title, when=BEFORE)


@pytest.mark.parametrize("title", [
    "Jordan's Mukhabarat and MIT in talks on Syria", "MIT researchers talking about Syria",
    "Mukhabarat files opened as Turkey watches",
])
def test_another_countrys_service_or_an_institute_is_no_side(matcher: Matcher,
                                                              title: str) -> None:
    assert not found(matcher, title, when=BEFORE)


@pytest.mark.parametrize(("title", "when"), [
    ("Fidan lands in Damascus", AFTER),
    ("Round-up", AFTER),
    ("Turkey, Syria at one table in Moscow", TALKS),
    ("Ankara and Damascus talking again, officials say", TALKS),
    ("Turkish, Syrian ministers open rebuilt bridge", AFTER),
    ("Ankara, Damascus agree on visa-free travel", AFTER),
    ("Turkey-Syria detente: Baghdad offers venue", TALKS),
])
def test_headlinese(matcher: Matcher, title: str, when: datetime) -> None:
    text = ("Davutoglu touched down in the Syrian capital before dawn." if title == "Round-up"
            else CALM)
    assert found(matcher, title, text, when if title != "Round-up" else BEFORE)


@pytest.mark.parametrize(("title", "when"), [
    ("Fidan lands in Baku for talks on Syria", AFTER),
    ("Turkey, Iraq at one table on Syria's water", TALKS),
    ("Ankara and Baghdad talking again about Syria", TALKS),
    ("Turkish, Syrian firms open joint plant", AFTER),
    ("Budget airline to launch Istanbul-Damascus route", AFTER),
    ("Turkey extends visa-free travel to Iraqis as Syria votes", AFTER),
    ("Iraq-Turkey detente: Syria watches", TALKS),
])
def test_headlinese_near_misses(matcher: Matcher, title: str, when: datetime) -> None:
    assert not found(matcher, title, when=when)


@pytest.mark.parametrize(("title", "text"), [
    ("Syria's national football team arrived in Antalya for a training camp", CALM),
    ("Round-up", "Эрдоган и Путин договорились восстановить связи после кризиса над Сирией."),
    ("Round-up", "Поставки по «Турецкому потоку» и соглашение с Сирией обсудили в Кремле."),
    ("Round-up", "Песков ответил на вопрос о контактах бывшего сирийского лидера с турецкой "
                 "стороной."),
    ("Round-up", "Turkish monitors said rebels had left the district under a local "
                 "reconciliation scheme run by the Syrian government."),
])
def test_no_party_of_the_relation(matcher: Matcher, title: str, text: str) -> None:
    assert not found(matcher, title, text)


@pytest.mark.parametrize(("title", "text"), [
    ("Syria's foreign minister arrived in Antalya for a forum", CALM),
    ("Round-up", "Песков ответил на вопрос о контактах сирийского лидера с турецкой "
                 "стороной."),
    ("Shaibani briefs Ankara on Moscow talks", CALM),
])
def test_the_same_with_a_party(matcher: Matcher, title: str, text: str) -> None:
    assert found(matcher, title, text)


def test_briefing_someone_else_is_no_contact(matcher: Matcher) -> None:
    assert not found(matcher, "Fidan briefs reporters on Syria")


def test_an_office_phrase_held_by_the_opposition_is_someone_else(matcher: Matcher) -> None:
    text = ("Erdogan received leaders of the Syrian National Coalition in Ankara and said "
            "Assad would answer for the siege.")
    assert not found(matcher, "Round-up", text, BEFORE)
    assert found(matcher, "Round-up", text.replace("National Coalition", "government"),
                 datetime(2010, 5, 1, tzinfo=UTC))


def test_two_officials_talking_about_the_quake_are_in_contact(matcher: Matcher) -> None:
    text = ("After his talks in Damascus with Syria's health minister, Fidan said field "
            "hospitals for quake victims would stay open.")
    assert found(matcher, "Round-up", text)
    assert not found(matcher, "Round-up", "Turkish rescuers met with Syrian rescuers after "
                     "the earthquake.", QUAKE)


def test_an_office_opens_a_contrastive_clause(matcher: Matcher) -> None:
    assert not found(matcher, "Round-up", "The Syrian delegation met Russian officials, while "
                     "opposition delegates met Turkish diplomats.", TALKS)
    assert found(matcher, "Round-up", "Turkish diplomats met the Syrian delegation, while "
                 "opposition delegates waited outside.", TALKS)


def test_a_government_named_by_its_seat_is_no_venue(matcher: Matcher) -> None:
    text = ("Аш-Шараа провел переговоры в Кремле. Это его первая поездка после смены власти "
            "в Дамаске.\n\nВ тот же день Эрдоган провел телефонный разговор с президентом "
            "США.")
    assert not found(matcher, "Round-up", text)
    text = ("В Дамаске открылась инвестиционная конференция.\n\nМинистр торговли Турции "
            "Омер Болат выступил на конференции.")
    assert found(matcher, "Round-up", text)


def test_the_visit_venue_official_is_no_object_of_someone_elses_contact(
        matcher: Matcher) -> None:
    text = ("Lavrov and Fidan held talks in Ankara.\n\nLavrov said Moscow was in contact with "
            "the new authorities in Damascus.")
    assert not found(matcher, "Round-up", text)


def test_a_presence_official_stands_near_the_place(matcher: Matcher) -> None:
    assert not found(matcher, "Round-up", "Flight prices to Damascus have dropped by nearly "
                     "half over the past six months, according to tour operators in Istanbul.")
    assert found(matcher, "Round-up", "Syria's foreign minister, who arrived on Sunday, "
                 "spoke to reporters in Istanbul.")


@pytest.mark.parametrize(("text", "contact"), [
    # told by someone no side holds: the teller's contact
    ("Lavrov briefed Fidan on his talks with Syria's new authorities.", False),
    ("Российская делегация проинформировала турецких коллег о контактах с новыми сирийскими "
     "властями.", False),
    ("Путин рассказал Эрдогану о переговорах с аш-Шараа.", False),
    # told by a side, or of a pair: still theirs
    ("Fidan briefed Lavrov on his talks with Syria's new authorities.", True),
    ("Эрдоган рассказал Путину о переговорах с аш-Шараа.", True),
    ("Лавров заявил о переговорах между Анкарой и Дамаском.", True),
    # nobody told, the contact's owner named after the preposition
    ("Лавров рассказал о контактах турецкой стороны с Дамаском.", True),
])
def test_a_contact_told_about_is_the_tellers(matcher: Matcher, text: str,
                                             contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


def test_its_opening_a_sentence_is_the_last_subject(matcher: Matcher) -> None:
    text = ("Syria's new government is seeking grain. Its agriculture minister agreed with "
            "Turkey on deliveries.")
    assert found(matcher, "Round-up", text)
    assert not found(matcher, "Round-up", text.replace("Syria's new", "Iraq's").replace(
        "deliveries", "deliveries to Syria"))


def test_a_group_of_one_side_and_a_third_party_is_theirs(matcher: Matcher) -> None:
    text = ("Сближение Эр-Рияда с Дамаском продолжается. Захарова назвала сближение двух "
            "стран важным.\n\nЭрдоган в тот же день провел переговоры с эмиром.")
    assert not found(matcher, "Round-up", text, TALKS)
    assert found(matcher, "Round-up", text.replace("Эр-Рияда", "Анкары"), TALKS)


@pytest.mark.parametrize("title", [
    "Medvedev visits Damascus, then Ankara", "Kremlin envoy flies to Ankara and then Damascus",
])
def test_a_third_partys_tour_of_both_capitals(matcher: Matcher, title: str) -> None:
    assert not found(matcher, title, when=BEFORE)


def test_a_sides_own_tour_still_counts(matcher: Matcher) -> None:
    assert found(matcher, "Fidan lands in Damascus, then flies on to Amman")


@pytest.mark.parametrize(("text", "both"), [
    # the outlet's own capital as the place a format met: the two ministers are the sides'
    ("Syria's defence minister arrived in Moscow on Tuesday. Turkey's defence minister Akar "
     "spoke to reporters after returning from Moscow.\n\nThe two ministers agreed to meet "
     "again.", True),
    ("Министр обороны Сирии прибыл в Москву. Министр обороны Турции Акар вернулся из "
     "Москвы.\n\nСтороны договорились продолжить встречи.", True),
    # a capital visited, or the outlet's own officials met: someone else
    ("Syria's defence minister visited Paris. Turkey's defence minister Akar spoke to "
     "reporters.\n\nThe two ministers agreed to meet again.", False),
    ("Министр обороны Сирии встретился с Путиным. Министр обороны Турции Акар вернулся из "
     "Москвы.\n\nСтороны договорились продолжить встречи.", False),
])
def test_a_city_arrived_in_is_no_one_met(matcher: Matcher, text: str, both: bool) -> None:
    assert found(matcher, "Round-up", text, TALKS) is both


@pytest.mark.parametrize(("text", "mediation"), [
    ("Moscow held parallel consultations with Ankara and Damascus, relaying each other's "
     "positions.", True),
    ("Москва вела консультации с Анкарой и Дамаском, передавая сторонам позиции друг "
     "друга.", True),
    # someone else's contact with both, relaying nothing; or relaying with a third party
    ("Moscow held parallel consultations with Ankara and Damascus.", False),
    ("Moscow held consultations with Ankara and Baghdad, relaying each other's positions on "
     "Syria.", False),
])
def test_relaying_each_sides_positions_is_mediation(matcher: Matcher, text: str,
                                                    mediation: bool) -> None:
    assert found(matcher, "Round-up", text, BEFORE) is mediation
