"""Detection round 26, one behaviour each, on the real topic file, written as variants of the
classes dev_blind61 to dev_blind64 left to the rules (deep mentions and coreference in long
stories, English and Russian) rather than as copies of any row: a mediator's "between the two
neighbours" (the agent is none of the two); a Russian ministry's portfolio before the country
(«министр по чрезвычайным ситуациям Сирии»); a pronoun after an opening phrase naming a third
party's place ("After Riyadh, he …"); the guest met or the host thanked in Russian («гостя
встретил Фидан»); the pair a headline named, for "the two governments" paragraphs later; the
table the two sat at («за столом сидели Акар и Аббас»); a pronoun after a companion phrase
(«Вместе с Гюлером он подписал …»); each with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: Putin's Adana proposal, the Moscow talks, after 2024-12-08
ADANA = datetime(2019, 1, 24, tzinfo=UTC)
TALKS = datetime(2022, 12, 29, tzinfo=UTC)
AFTER = datetime(2025, 9, 1, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

LAVROV = ("Sergei Lavrov said Moscow understood Turkey's security concerns but insisted on "
          "Syria's territorial integrity. {} a dialogue between the two neighbours, he said.")
PUTIN = ("Vladimir Putin and Recep Tayyip Erdogan met in the Kremlin. Afterwards the Russian "
         "leader recalled the accord signed in Adana in 1998, under which Damascus undertook to "
         "stop sheltering the PKK. {} the accord could serve as a basis for cooperation "
         "between the two neighbours.")

CASES += dated("a_mediator_between_the_two_neighbours", [
    (LAVROV.format("Moscow would now seek to start"), ADANA, True),
    (PUTIN.format("He said"), ADANA, True),
    # «сотрудничества двух соседей»: after a cue, the speaker Russia's president
    ("Путин и Эрдоган провели переговоры в Кремле. Российский лидер напомнил о договоре, "
     "по которому Дамаск в 1998 году обязался не укрывать РПК. По словам Путина, договор "
     "может стать основой для сотрудничества двух соседей.", ADANA, True),
    # no agent apart: a thing, not a speaker; the home country's own pair is no neighbours'
    (PUTIN.format("It was said that"), ADANA, False),
    ("Putin met Erdogan in Sochi to discuss Syria. Moscow wants cooperation between the two "
     "countries to grow, he said.", ADANA, False),
])

EMERGENCIES_RU = "Министр по чрезвычайным ситуациям {} обсудил с турецкими коллегами учения."

CASES += dated("a_ministry_portfolio_before_the_country", [
    (EMERGENCIES_RU.format("Сирии"), AFTER, True),
    # a third party's minister; the situation in Syria is a topic, not an official
    (EMERGENCIES_RU.format("Ирака"), AFTER, False),
    ("Анкара обсудила ситуацию в Сирии с турецкими экспертами.", AFTER, False),
])

TRAVELS = ("Syria's interim president Ahmed al-Sharaa spent the week abroad. After {}, he "
           "flew on Tuesday to Ankara, where he held talks with President Erdogan.")

CASES += dated("a_pronoun_after_a_third_party_place", [
    (TRAVELS.format("Riyadh"), AFTER, True),
    # the pronoun is still al-Sharaa's; but no comma sets the place apart
    ("Syria's interim president Ahmed al-Sharaa spent the week abroad. After Riyadh he "
     "said little about Ankara.", AFTER, False),
    # the pronoun's subject is a third party's
    ("Jordan's King Abdullah spent the week abroad. After Riyadh, he flew to Ankara, where "
     "he held talks with President Erdogan.", AFTER, False),
])

GUEST_RU = ("Министр иностранных дел {} Асаад аш-Шейбани завершил турне по региону. В здании "
            "министерства на Балгате гостя встретил Хакан Фидан.")

CASES += dated("the_guest_met_in_russian", [
    (GUEST_RU.format("Сирии"), AFTER, True),
    # someone else's minister is the guest
    ("Министр иностранных дел Ирана Аббас Аракчи завершил турне по региону. В здании "
     "министерства на Балгате гостя встретил Хакан Фидан.", AFTER, False),
    # the guest is the subject himself (the nominative): Erdogan abroad, attacking Assad
    ("Президент Турции Реджеп Тайип Эрдоган провел переговоры в Тунисе с президентом "
     "Туниса. На пресс-конференции гость назвал Башара Асада террористом.", ADANA, False),
])

TABLE_RU = ("Министр обороны России Сергей Шойгу провел в Москве переговоры. Помимо него, за "
            "столом сидели Хулуси Акар и {}.")

CASES += dated("the_table_they_sat_at", [
    (TABLE_RU.format("Али Махмуд Аббас"), TALKS, True),
    ("Хулуси Акар и Али Махмуд Аббас сидели за одним столом.", TALKS, True),
    # a third party at the table; the other side elsewhere
    (TABLE_RU.format("министр обороны Ирана"), TALKS, False),
    ("Акар сидел за столом с Путиным, Асад выступал по телевидению.", TALKS, False),
])

COMPANION_RU = ("Министр обороны Сирии Мурхаф Абу Касра начал турне по региону. Вместе с {} "
                "он подписал меморандум о подготовке военных кадров.")

CASES += dated("a_pronoun_after_a_companion", [
    (COMPANION_RU.format("Яшаром Гюлером"), AFTER, True),
    ("Al-Shaibani arrived in Baku. Together with Fidan, he signed a memorandum.", AFTER,
     True),
    # the companion is a third party's
    (COMPANION_RU.format("министром обороны Катара"), AFTER, False),
    ("Fidan spoke in Doha. Together with Qatar's emir he signed a memorandum.", AFTER, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round26_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation


EUPHRATES = ("The river that waters half of northern Syria is at its lowest level in decades. "
             "Farmers near Raqqa say they have lost two harvests in a row.\n\n"
             "Engineers blame a dry winter and upstream dams. Canals built in the 1970s run "
             "empty for weeks.\n\n"
             "Officials of the two governments met in Gaziantep last week and agreed to set up "
             "a technical committee that will share flow data.")


@pytest.mark.parametrize(("title", "relation"), [
    pytest.param("Turkey, Syria and a shrinking Euphrates", True, id="the_headline_pair"),
    # a third party in the headline; the earthquake names them apart; one side only
    pytest.param("Turkey, Syria, Iraq and a shrinking Euphrates", False,
                 id="a_third_party_in_the_headline"),
    pytest.param("Turkey, Syria and the earthquake's rivers", False,
                 id="the_earthquake_headline"),
    pytest.param("Syria and a shrinking Euphrates", False, id="one_side_in_the_headline"),
])
def test_round26_the_two_governments_a_headline_named(matcher: Matcher, title: str,
                                                      relation: bool) -> None:
    assert body_reader(AFTER)(matcher, EUPHRATES, AFTER, title=title).matched is relation
