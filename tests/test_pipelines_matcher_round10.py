"""Detection round 10 (issue 12), one behaviour each, on the real topic file: a format's
members by their number ("the five"), office phrases closed by "of"/"from" before a list,
who was there as a list ("Participants included", "was represented by"), "Both foreign
ministers", "the two transport ministers", "together", "the two countries" of a pair named
beside a third party, a side's consulate in a city of the other; and the near misses:
"Стороны" after a sentence attacking the other side, a venue that is no side before a topic
("обсудил в Багдаде Сирию"), "the three countries" of a summit *on* Syria, national teams,
"the two men" named only as places, "signed it" of an old text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher, load_topic
from tests.helpers.topics import SYRIA_TURKEY as TOPIC_FILE
from tests.helpers.topics import body_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2023, 5, 1, tzinfo=UTC)
#: when Putin floated the Adana accord as a basis (an old text, five years and more back)
ADANA_TALK = datetime(2019, 1, 23, tzinfo=UTC)


body = body_reader(AFTER)


@pytest.mark.parametrize(("text", "when"), [
    # a format's members by their number, the list named a sentence or two before
    ("Ministers of Russia, Iran, Turkey and Syria met in Moscow. The four agreed to meet "
     "again in June.", BEFORE),
    ("Iraq hosted ministers from Jordan, Lebanon, Turkey and Syria in Baghdad. All five "
     "signed a water memorandum.", AFTER),
    ("Министры России, Ирана, Турции и Сирии встретились в Москве. Четыре министра "
     "договорились продолжить работу.", BEFORE),
    # an office phrase closed by "of"/"from" between the cue and the list or the object
    ("Turkey hosted foreign ministers of Syria, Jordan and Iraq in Ankara.", AFTER),
    ("Jordan hosted defence ministers, army chiefs and intelligence heads from Iraq, "
     "Turkey and Syria in Amman.", AFTER),
    ("Erdogan received delegations from Syria, Iraq and Jordan at the presidential complex.",
     AFTER),
    ("Иордания приняла министров иностранных дел, начальников генштабов и глав разведок "
     "Ирака, Ливана, Турции и Сирии.", AFTER),
    # who was there, as a list
    ("Participants included Syria's economy minister and Turkey's trade minister.", AFTER),
    ("Среди участников были министр энергетики Сирии и министр энергетики Турции.", AFTER),
    ("Syria was represented by Asaad al-Shaibani, and Turkey by Hakan Fidan.", AFTER),
    # a group read past an office's field; an office held by the countries after it
    ("Hakan Fidan and Asaad al-Shaibani were both in Riyadh on Sunday. Both foreign "
     "ministers agreed to set up a joint committee.", AFTER),
    ("Energy ministers of Turkey, Azerbaijan and Syria pressed the button together at a "
     "metering station in Kilis.", AFTER),
    # "the two transport ministers" after the two states named by their cities
    ("Turkish Airlines will fly between Istanbul and Aleppo from May. The route follows an "
     "aviation agreement signed by the two transport ministers in Damascus.", AFTER),
    # "the two countries" after a sentence coordinating them next to a third party
    ("Putin recalled the Adana accord of 1998 between Ankara and Damascus. He suggested the "
     "two countries use it as a basis for cooperation today.", ADANA_TALK),
    ("Putin floats 1998 pact as basis for Turkish-Syrian cooperation.", ADANA_TALK),
    # an official known by a full name after the side's possessive; a purpose after a venue
    ("Syria's Nidal al-Shaar held talks in Ankara on Monday.", AFTER),
    ("Turkish Trade Minister Omer Bolat in Damascus to boost trade", AFTER),
    # a capitalized title before the other side's name
    ("Asaad al-Shaibani is due to meet President Erdogan on Thursday.", AFTER),
    # thanks given to the other side's official
    ("Al-Sharaa thanks Erdogan for support in call", AFTER),
    ("Аш-Шараа поблагодарил Эрдогана за поддержку.", AFTER),
    # a side's mission in a city of the other side after the fall of Assad
    ("Turkey's consulate in Aleppo resumed work on Monday.", AFTER),
    ("Генеральное консульство Турции в Алеппо возобновило работу.", AFTER),
])
def test_a_format_or_a_mission_ties_the_two(matcher: Matcher, text: str,
                                            when: datetime) -> None:
    verdict = body(matcher, text, when)
    assert verdict.matched, verdict.near_misses


@pytest.mark.parametrize(("text", "when"), [
    # "Стороны" after a sentence attacking the other side: the parties of the encounter
    ("Министр иностранных дел Сирии провел переговоры в Тегеране с иранским коллегой. Он "
     "заявил, что турецкие войска должны покинуть сирийскую территорию и назвал их "
     "присутствие оккупацией. Стороны также обсудили израильские удары.", BEFORE),
    ("Syria's foreign minister held talks in Tehran with his Iranian counterpart. He said "
     "Turkish troops had to leave and called their presence an occupation. The two sides also "
     "discussed Israeli strikes.", BEFORE),
    # a venue that is no side, then a side as the topic discussed
    ("Министр обороны Турции обсудил в Багдаде Сирию.", AFTER),
    ("Министр обороны Турции обсудил в Эрбиле Сирию с курдскими властями.", AFTER),
    # the three countries of a summit on Syria, without Damascus
    ("Лидеры России, Ирана и Турции провели в Тегеране саммит по Сирии. Дамаск на саммите "
     "представлен не был. На саммите присутствовали министры иностранных дел трех стран.",
     BEFORE),
    ("Leaders of Russia, Iran and Turkey held a summit on Syria in Tehran. The three countries' "
     "foreign ministers attended too.", BEFORE),
    # sport
    ("Турецкая сборная сыграла товарищеский матч со сборной Сирии в Анталье.", AFTER),
    ("The Turkish national team beat Syria's squad 2-0 in Antalya.", AFTER),
    # an office phrase of someone else's people, or people who are no government
    ("Turkey hosted refugees from Syria, Iraq and Afghanistan.", AFTER),
    ("Turkey was represented by its ambassador, while Syria was not invited.", AFTER),
    ("Turkey and Syria together account for a fifth of the region's wheat harvest.", AFTER),
    # a title of someone else's official
    ("Erdogan met President Macron of France, then spoke about Syria.", AFTER),
    ("Erdogan met President Putin in Moscow and said Assad's forces must be punished.",
     datetime(2020, 3, 1, tzinfo=UTC)),
    # thanks to someone else, or thanks as a preposition
    ("Erdogan thanked Qatar's emir, while Syria's al-Sharaa thanked Saudi Arabia.", AFTER),
    ("Thanks to Turkish investment, Syria's power grid is recovering.", AFTER),
    # a firm after a side's possessive is no official
    ("Turkey's Koc Holding opened an office in Damascus.", AFTER),
    ("Turkey's Baykar signed a drone deal in Damascus.", AFTER),
    # people named across sentences only as places are nobody's officials
    ("Two lorry drivers crossed from Turkey into Syria on Monday. The two men later met "
     "reporters in Idlib.", AFTER),
    ("Turkish exports to Syria rose by a fifth this year. The two leaders of the exporters' "
     "union signed a cooperation deal.", AFTER),
    # an old text the pair signed, "it", without a revival
    ("Erdogan said the 1998 Adana agreement gave Turkey the right to pursue militants. He "
     "added that the two countries had signed it after a crisis.", ADANA_TALK),
])
def test_a_near_miss_stays_unmatched(matcher: Matcher, text: str, when: datetime) -> None:
    verdict = body(matcher, text, when)
    assert not verdict.matched, verdict.evidence


def test_the_round_keeps_the_old_lists_of_places() -> None:
    """"Trucks drive through Syria to Jordan … the three countries' ministers": a side named
    as a place on a route is a member of the three, unlike one named as a summit's topic."""
    matcher = Matcher(load_topic(TOPIC_FILE), second_opinion=False)
    verdict = body(matcher, "Turkish trucks can now drive through Syria to Jordan, Turkey's "
                            "transport minister said. The change follows a memorandum the "
                            "three countries' transport ministers agreed in Amman.")
    assert verdict.matched, verdict.near_misses
