"""Detection round 5 (issue 12), one behaviour each, on the real topic file: coreference two
or three sentences back, post-2024 ties told in passing, and the vetoes of hostile contacts
and old treaties named without a year."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 6, 1, tzinfo=UTC)


body = body_reader(AFTER)


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


# --- coreference two or three sentences back --------------------------------------------------


@pytest.mark.parametrize("text", [
    # each side in its own sentence, then "the two presidents"
    "Erdogan flew home from a summit in Astana on Friday. Ahmed al-Sharaa, Syria's interim "
    "president, had spoken there too. The two presidents met for an hour on the sidelines.",
    # a side named as a country, the other as a place, then "the two governments"
    "Turkish lenders are opening branches across Syria. Most are in Aleppo. A banking "
    "committee set up by the two governments meets monthly.",
    "Турецкие банки открывают отделения по всей Сирии. Большинство — в Алеппо. Рабочая группа "
    "двух правительств собирается ежемесячно.",
])
def test_the_two_named_across_sentences(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses


@pytest.mark.parametrize(("when", "text"), [
    (AFTER, "Turkish and Iraqi officials met in Basra on Monday. Syria, which wanted a route "
            "of its own, was not invited. The two countries agreed to build the road by 2028."),
    # a story naming them together without relating them ([coreference] apart)
    (datetime(2023, 2, 10, tzinfo=UTC),
     "The earthquake struck southern Turkey and northern Syria. The two countries have "
     "received aid from 90 nations."),
])
def test_the_two_are_not_read_across_a_third_party_or_a_quake(matcher: Matcher, when: datetime,
                                                              text: str) -> None:
    assert not body(matcher, text, when).matched


def test_his_counterpart_after_a_third_partys_minister_is_that_ministers(matcher: Matcher
                                                                          ) -> None:
    text = ("Fidan flew to Cairo on Sunday for talks with Egypt's foreign minister. They "
            "discussed Gaza. Fidan told his counterpart that Syria's unity mattered to Ankara.")
    assert not body(matcher, text).matched


@pytest.mark.parametrize("text", [
    # a third party named since the other side does not take the counterpart over
    "Fidan flew to Damascus on Sunday. He had met Qatar's emir the day before. He held talks "
    "with his counterpart on Monday.",
    "Syria's energy ministry praised its counterpart in Ankara for the new cooperation deal.",
    "Al-Shaibani flew to Doha on Monday. Qatar pledged money for salaries. Later Shaibani met his "
    "counterpart from Ankara at the airport.",
])
def test_a_counterpart_named_after_the_phrase_is_that_sides(matcher: Matcher, text: str) -> None:
    assert body(matcher, text).matched


@pytest.mark.parametrize("text", [
    "Syria's defence minister Murhaf Abu Qasra toured a drone factory near Ankara on Monday. "
    "He was shown the latest models. Later Yasar Guler received him.",
    "Министр обороны Сирии Мурхаф Абу Каср в понедельник осмотрел завод под Анкарой. Ему "
    "показали новые модели. Затем его принял Яшар Гюлер.",
])
def test_him_after_a_contact_verb_is_the_last_subject(matcher: Matcher, text: str) -> None:
    assert body(matcher, text).matched


def test_his_counterpart_after_a_contact_verb_is_not_him(matcher: Matcher) -> None:
    text = ("Министр обороны Сирии Абу Каср осмотрел завод. Затем Гюлер принял его коллегу "
            "из Иордании.")
    assert not body(matcher, text).matched


@pytest.mark.parametrize("text", [
    "Turkish buses can now drive through Syria to Jordan, Turkey's transport minister said. "
    "It follows a protocol the three countries signed in Amman.",
    "Турецкие автобусы теперь могут ехать через Сирию в Иорданию, заявил министр транспорта "
    "Турции. Это стало возможным после протокола, который подписали три страны.",
])
def test_the_three_countries_are_a_list_holding_both(matcher: Matcher, text: str) -> None:
    assert body(matcher, text).matched


@pytest.mark.parametrize(("title", "text"), [
    ("Sharaa in Doha, Erdogan Hosts King", ""),
    ("", "Аш-Шараа в Дохе, а Эрдоган в тот же день принимает короля Иордании."),
])
def test_a_ruler_as_the_object_is_someone_else(matcher: Matcher, title: str, text: str) -> None:
    assert not body(matcher, text, title=title).matched


# --- post-2024 ties: acts together, standing bodies -------------------------------------------


@pytest.mark.parametrize("text", [
    "Turkish and Syrian health ministers opened a rebuilt hospital in Idlib on Sunday.",
    "Министры здравоохранения Турции и Сирии в воскресенье открыли восстановленную больницу.",
])
def test_ministers_of_both_acting_together_are_a_tie(matcher: Matcher, text: str) -> None:
    assert body(matcher, text).matched


@pytest.mark.parametrize("text", [
    "Turkey and Syria both opened new cement plants this year.",
    "Turkey's defence minister toured the border while Syria's president opened a hospital.",
])
def test_countries_or_officials_acting_apart_are_no_joint_act(matcher: Matcher,
                                                              text: str) -> None:
    assert not body(matcher, text).matched


@pytest.mark.parametrize("text", [
    "The Turkey-Syria Joint Transport Committee held its session in Aleppo on Monday.",
    "В Алеппо впервые соберется турецко-сирийская межправительственная комиссия.",
])
def test_a_standing_body_of_the_two_is_a_contact(matcher: Matcher, text: str) -> None:
    assert body(matcher, text).matched


# --- an official at an event held in the other side's city ------------------------------------


@pytest.mark.parametrize("text", [
    "Arab and Muslim ministers met in Istanbul on Monday to discuss Gaza.\n\nSyria's foreign "
    "minister attended the session and spoke about Israeli strikes.",
    "В Анкаре открылся форум по восстановлению региона. Участники обсудили инвестиции.\n\n"
    "На форуме выступил министр экономики Сирии.",
])
def test_an_official_at_an_event_in_the_other_sides_city(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses
    assert verdict.rule == "visit-venue"


@pytest.mark.parametrize("text", [
    # the official names his own venue
    "Arab ministers met in Istanbul on Monday. Syria's foreign minister, speaking in Damascus, "
    "welcomed the meeting.",
    # the side is the object, not the subject
    "Turkey's ruling party held its congress in Ankara. A delegation will go to Damascus to "
    "meet Syria's ministers.",
    # no event: people gathered
    "Thousands gathered in Istanbul on Sunday. Syria's foreign minister said talks would "
    "continue.",
])
def test_no_visit_without_an_event_or_with_another_venue(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.rule != "visit-venue"


def test_an_event_before_2024_is_no_visit(matcher: Matcher) -> None:
    text = ("Arab ministers met in Istanbul on Monday.\n\nSyria's foreign minister attended the "
            "session.")
    assert not body(matcher, text, BEFORE).matched


def test_a_city_naming_an_event_is_its_venue(matcher: Matcher) -> None:
    text = ("The Antalya Diplomacy Forum opened on Friday with 20 heads of state.\n\nSyria's "
            "foreign minister attended a panel on the region.")
    verdict = body(matcher, text)
    assert verdict.rule == "visit-venue", verdict.near_misses


# --- officials fixed by the story -------------------------------------------------------------


@pytest.mark.parametrize("text", [
    # an office's field in capitals is no one's name; the venue names no one's minister
    "Syria's bond yields fell on Monday. \"Banks will come back,\" said Finance Minister "
    "Mohammed Barnieh, who returned from talks in Ankara last week.",
    # a listed full name, then the surname alone
    "Turkish car exports hit a record in May. Trade Minister Omer Bolat spoke at the "
    "exporters' meeting. Bolat will sign a customs protocol with the Syrian government in "
    "June.",
    "Экспорт турецких автомобилей достиг рекорда. Министр торговли Омер Болат выступил на "
    "собрании экспортеров. Болату предстоит подписать протокол с сирийским правительством.",
    # in a story naming one side only, an untitled speaker is that side's
    "Syria will mint new coins, the central bank governor said on Monday. He said it after "
    "returning from Istanbul, where he met Turkey's central bank governor.",
])
def test_an_official_fixed_by_the_story(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses


def test_a_border_province_is_a_seat_after_2024(matcher: Matcher) -> None:
    text = "Syria's economy minister toured textile factories in Gaziantep on Monday."
    assert body(matcher, text).rule == "visit-presence"
    assert not body(matcher, "Syrian traders met in Gaziantep on Monday to discuss prices, "
                             "Turkey's chamber of commerce said.").matched


def test_someone_elses_envoy_to_a_side_is_no_party(matcher: Matcher) -> None:
    text = ("The contract was signed in the presence of Ahmed al-Sharaa and Tom Barrack, the "
            "U.S. ambassador to Ankara.")
    assert not body(matcher, text).matched
    assert body(matcher, "The contract was signed in the presence of Ahmed al-Sharaa and "
                         "Nuh Yilmaz, Turkey's ambassador to Damascus.").matched


def test_a_joint_centre_of_the_two(matcher: Matcher) -> None:
    assert body(matcher, "Ankara and Damascus plan a joint military training centre near "
                         "Hama.").matched


# --- precision: what the round's readings must not take --------------------------------------


@pytest.mark.parametrize(("when", "text"), [
    # each minister met someone else: "both ministers" are not read across those sentences
    (AFTER, "Syria's foreign minister visited Paris on Monday. Turkey's foreign minister "
            "visited Berlin. Both ministers discussed Gaza with their hosts."),
    # a minister telling the media is no sign he was at the event
    (AFTER, "A NATO ministers' meeting opened in Antalya on Wednesday. Syria's foreign "
            "minister told Al Jazeera that Israel must leave the Golan."),
    (AFTER, "В Анталье открылся форум НАТО. Министр иностранных дел Сирии заявил телеканалу "
            "«Аль-Арабия», что Израиль должен уйти."),
    # one side discussing the other's attacks with the outlet's own country
    (BEFORE, "Cavusoglu discussed with Lavrov the Syrian government's attacks on Turkish "
             "posts in Idlib."),
    (BEFORE, "Чавушоглу обсудил с Лавровым атаки сирийских правительственных войск на "
             "турецкие посты."),
    (BEFORE, "Cavusoglu held talks with Foreign Minister Lavrov on the Syrian government's "
             "advance in Idlib."),
    (BEFORE, "Глава МИД Турции обсудил с госсекретарем США угрозы со стороны сирийского "
             "режима."),
])
def test_round5_readings_do_not_overreach(matcher: Matcher, when: datetime, text: str) -> None:
    assert not body(matcher, text, when).matched


@pytest.mark.parametrize("text", [
    "Damascus and Ankara will open a new border crossing near Jarablus next month.",
    # "the agency" is the ministry named before it
    "Министерство обороны Турции сообщило, что сирийские офицеры прошли обучение. Ведомство "
    "также подписало меморандум с сирийскими коллегами.",
])
def test_round5_steps_and_offices(matcher: Matcher, text: str) -> None:
    assert body(matcher, text).matched


# --- one government helping the other ---------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Turkey will help Syria's new government rebuild its army, Guler said.",
    "Турция поставит Сирии 2 млрд кубометров газа в год, заявил министр энергетики.",
    "Министр обороны Турции заявил, что армия поможет сирийскому правительству укрепить ПВО.",
])
def test_one_government_helping_the_other_is_a_tie(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.rule == "aid-linked", verdict.near_misses


@pytest.mark.parametrize(("when", "text"), [
    # a stated principle, not aid
    (AFTER, "Turkey supports Syria's territorial integrity, Erdogan said."),
    (AFTER, "Эрдоган заявил, что Турция поддерживает единство Сирии."),
    # the side after the verb is the relative clause's subject, not its object
    (AFTER, "Министерство обороны Сирии завершило интеграцию группировок, которые "
            "поддерживала Турция."),
    # a third party's aid to both
    (AFTER, "The United States will help Turkey and Syria fight Islamic State."),
    (AFTER, "США помогут Турции и Сирии в борьбе с ИГ."),
    # people, not a government; and before the fall of Assad
    (AFTER, "Syrian refugees in Turkey received help from Turkish charities."),
    (BEFORE, "Turkey will help Syria's rebels, Erdogan said."),
])
def test_help_that_is_no_tie(matcher: Matcher, when: datetime, text: str) -> None:
    assert not body(matcher, text, when).matched
