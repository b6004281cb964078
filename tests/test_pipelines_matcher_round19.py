"""Detection round 19, one behaviour each, on the real topic file, written as variants of the
classes the kept-back files of round 18 (dev_blind19.jsonl to dev_blind22.jsonl) and the
last miss of dev_blind17.jsonl showed rather than as copies of any row: coreference ("the
prime minister" after "premier"; the speaker after an inverted speech tag, «…, заявил …
глава МИД Турции»; "the two governments" after a third party that only qualifies firms);
post-2024 steps and road maps told in passing (two ministers and others at one ceremony, «а
также представители …»; an office phrase coordinating the two, "Syria's Minister of Energy
and Turkish water authority"); a negated relation told by the capitals («В Анкаре и Дамаске
подтверждают …»); and the false alarms (a "Friends of Syria" meeting; a count of Syrians
in Turkey; someone else's tour of both capitals; aid flights "to both Damascus and
Turkey"; a ministry in its own capital; a window whose cue names its own partner; "the two
sides" after armed groups named by a side's adjective), with the near misses of each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 6, 1, tzinfo=UTC)

body = body_reader(AFTER)


#: (behaviour, text, date, relation): each behaviour with its near misses
Case = tuple[str, str, datetime, bool]
CASES: list[Case] = []


def dated(name: str, rows: list[tuple[str, datetime, bool]]) -> list[Case]:
    return [(name, text, when, relation) for text, when, relation in rows]


def plain(name: str, rows: list[tuple[str, bool]]) -> list[Case]:
    """Rows dated after 2024-12-08."""
    return [(name, text, AFTER, relation) for text, relation in rows]


BAYRAKTAR = "Turkish Energy Minister Alparslan Bayraktar"
БАЙРАКТАР = "Министр энергетики Турции Алпарслан Байрактар"

CASES += dated("a_ministry_in_its_own_capital_is_no_visitor", [
    # a ministry before "in"/«в» and a side's seat is that side's own, its field between
    (f"{БАЙРАКТАР} выступил в Анкаре. Министерство энергетики в Дамаске объявило о новых "
     "тендерах.", AFTER, False),
    (f"{BAYRAKTAR} spoke in Ankara. The energy ministry in Damascus announced new tenders.",
     AFTER, False),
    # the other side's minister there is still a visit
    (f"{БАЙРАКТАР} выступил в Анкаре. Затем министр выступил в Дамаске.", AFTER, True),
    (f"{БАЙРАКТАР} прибыл в Дамаск.", AFTER, True),
])

CASES += dated("a_name_or_a_count_after_a_side_is_no_party", [
    # a coalition or conference named after a side meets about it, not with it
    ("Foreign Minister Mevlut Cavusoglu attended a Friends of Syria meeting in Paris.",
     BEFORE, False),
    ("Глава МИД Турции Мевлют Чавушоглу принял участие во встрече группы «Друзья Сирии» в "
     "Париже.", BEFORE, False),
    # a count of people named by a side is a statistic, whatever "first in years" says
    ("The number of Syrians in Turkey fell below three million for the first time in eight "
     "years.", AFTER, False),
    ("Число сирийцев в Турции впервые за восемь лет опустилось ниже трех миллионов.",
     AFTER, False),
    ("Количество сирийцев под временной защитой в Турции сократилось.", AFTER, False),
    # near misses: a meeting with the side's minister, a first between the two
    ("Foreign Minister Mevlut Cavusoglu met Syria's foreign minister Faisal Mekdad in "
     "Moscow.", BEFORE, True),
    ("Ankara and Damascus reopened the Kassab crossing for the first time in 13 years.",
     AFTER, True),
])

CASES += plain("the_prime_minister_is_the_premier", [
    # "the prime minister" borrows the side "premier" was seen with
    ("Syria's interim premier toured Aleppo on Monday. On Tuesday the prime minister "
     "received Turkey's ambassador.", True),
    # someone else's premier
    ("Iraq's premier toured Basra on Monday. On Tuesday the prime minister received "
     "Turkey's ambassador.", False),
])

CASES += plain("companions_of_a_list_take_part", [
    # both sides' ministers at one ceremony, others after a companion phrase
    ("The ceremony was attended by Turkey's energy minister Alparslan Bayraktar, Syria's "
     "energy minister Mohammed al-Bashir, as well as envoys of Azerbaijan and Qatar.", True),
    ("В открытии участвовали министр торговли Турции Омер Болат, министр экономики Сирии "
     "Нидаль аш-Шаар, а также представители Иордании и Ирака.", True),
    # a third party coordinated with a side, no companion phrase: still the veto
    ("В открытии в Аммане участвовали министр торговли Турции Омер Болат и министр "
     "экономики Иордании.", False),
])

CASES += plain("someone_elses_tour_of_both_capitals", [
    # someone else's tour of both capitals: the side he met first is no subject
    ("Jordan's foreign minister Ayman Safadi met al-Sharaa in Damascus on Sunday, his "
     "second trip there this year, and went on to Ankara to meet Hakan Fidan.", False),
    ("Iraqi Foreign Minister Fuad Hussein visited al-Sharaa in Damascus on Monday, and "
     "later flew to Istanbul to meet Hakan Fidan.", False),
    ("Iraq's foreign minister met Ahmed al-Sharaa in Damascus and then travelled to Ankara, "
     "where he met Hakan Fidan.", False),
    # the side's own tour: the first side is the subject
    ("Hakan Fidan met al-Sharaa in Damascus on Sunday and went on to Amman to meet Ayman "
     "Safadi.", True),
])

CASES += dated("both_after_to_is_someone_elses_object", [
    # a pair governed by "to" after "both" is where someone else sent something
    ("Moscow sent aid flights to both Damascus and Ankara, and its emergencies ministry "
     "opened a hotline.", BEFORE, False),
    ("Russia sent aid flights to both Damascus and Ankara, and the Red Cross opened a "
     "collection.", BEFORE, False),
    # the pair as subject
    ("Damascus and Ankara opened a hotline.", AFTER, True),
])

CASES += plain("an_office_phrase_coordinates_the_two", [
    # the first side's office phrase, a conjunction, the other side
    ("Syria's Minister of Transport and Turkey's railway directorate agreed on Monday to "
     "restore the Aleppo line.", True),
    ("Syria's Minister of Water Resources and Turkish hydraulic officials agreed to share "
     "data on river flows.", True),
    # someone else's office
    ("Syria's Minister of Transport and Jordan's railway directorate agreed to restore "
     "the line to Turkey.", False),
])

CASES += plain("the_two_capitals_speaking", [
    # the two capitals opening the sentence speak for their governments
    ("В Анкаре и Дамаске подтверждают, что переговоры о торговом соглашении продолжаются, "
     "но документ пока не подписан.", True),
    ("In Ankara and Damascus, officials confirm that talks on a trade deal are continuing.",
     True),
    # a place named later, someone named right after the capitals
    ("В Анкаре и Дамаске египетские дипломаты провели отдельные переговоры.", False),
])

CASES += plain("the_speaker_after_an_inverted_tag", [
    # the speaker after an inverted tag is the subject: "Министр" and "по его словам" his
    ("Сирия делает серьезные шаги, заявил в интервью иорданскому телеканалу глава МИД "
     "Турции Хакан Фидан. Министр добавил, что Анкара уже провела с соседней страной "
     "консультации по обороне.", True),
    ("Syria is taking serious steps, Turkish Foreign Minister Hakan Fidan told Al Jazeera. "
     "The minister added that Ankara had held consultations with the neighbouring country.",
     True),
    # the speaker is someone else's minister
    ("Сирия делает серьезные шаги, заявил в интервью турецкому телеканалу глава МИД "
     "Иордании Айман Сафади. Министр добавил, что Амман уже провел с соседней страной "
     "консультации по обороне.", False),
])

CASES += plain("firms_of_a_third_country_are_no_state", [
    # a third party that only qualifies firms with a side is no state of "the two"
    ("Turkish mills sell flour to Syrian bakers via Turkish and Iraqi traders. Trucks now "
     "cross at Bab al-Hawa under a customs protocol signed between the two governments in "
     "May, and Turkey's exporters say Syria is their fastest-growing market.", True),
    # a state named: "the two governments" is unclear
    ("Turkish mills sell flour to Syria via Iraq, whose government charges transit fees. "
     "Trucks cross under a customs protocol signed between the two governments in May.",
     False),
])

CASES += dated("a_window_cue_with_its_own_partner", [
    # a window's cue with its own partner after "with", no side
    ("Erdogan has been mending ties with Gulf capitals and Egypt. In Damascus, officials "
     "condemned an Israeli strike.", BEFORE, False),
    ("Ankara is also repairing relations with Cairo and Abu Dhabi. Damascus said nothing.",
     BEFORE, False),
    # a side as the partner
    ("Ankara is also repairing relations with Damascus.", BEFORE, True),
])

CASES += plain("a_body_named_by_a_side_is_no_country", [
    # armed groups named by a side's adjective name no country for "the two sides"
    ("Fighting between the Syrian National Army and the SDF killed dozens. Turkish drones "
     "struck SDF positions. A US envoy is trying to broker a truce between the two sides.",
     False),
    # the two governments named before
    ("Turkish and Syrian officials met in Ankara. A US envoy is trying to broker a deal "
     "between the two sides.", True),
])

CASES += plain("someone_elses_act_in_a_capital_is_no_venue", [
    # a side's official and someone no side holds, coordinated before the act: their act
    # in the side's capital is no session the other side's official attended
    ("Al-Sharaa and SDF commander Mazloum Abdi signed an integration deal in Damascus. "
     "A Turkish security source said Ankara would follow the agreement closely.", False),
    ("Аш-Шараа и командующий СДС Мазлум Абди подписали в Дамаске соглашение. Турецкий "
     "источник заявил, что Анкара будет следить за выполнением договоренностей.", False),
    # a gathering there: the other side's official attending it is a visit
    ("Al-Sharaa and UN envoy Geir Pedersen opened a donors' conference in Damascus. "
     "Turkish Trade Minister Omer Bolat attended the session.", True),
])


@pytest.mark.parametrize(("text", "when", "relation"),
                         [pytest.param(text, when, relation, id=f"{name}-{number}")
                          for number, (name, text, when, relation) in enumerate(CASES)])
def test_round19_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body(matcher, text, when, title="Briefing").matched is relation
