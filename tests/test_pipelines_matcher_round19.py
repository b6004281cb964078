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


def found(matcher: Matcher, text: str, when: datetime = AFTER, title: str = "Briefing") -> bool:
    return body(matcher, text, when, title=title).matched


@pytest.mark.parametrize(("text", "when", "relation"), [
    # a ministry before "in"/«в» and a side's seat is that side's own, its field between
    ("Министр энергетики Турции Алпарслан Байрактар выступил в Анкаре. Министерство "
     "энергетики в Дамаске объявило о новых тендерах.", AFTER, False),
    ("Turkish Energy Minister Alparslan Bayraktar spoke in Ankara. The energy ministry in "
     "Damascus announced new tenders.", AFTER, False),
    # the other side's minister there is still a visit
    ("Министр энергетики Турции Алпарслан Байрактар выступил в Анкаре. Затем министр "
     "выступил в Дамаске.", AFTER, True),
    ("Министр энергетики Турции Алпарслан Байрактар прибыл в Дамаск.", AFTER, True),
])
def test_a_ministry_in_its_own_capital_is_no_visitor(
        matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert found(matcher, text, when) is relation


@pytest.mark.parametrize(("text", "when", "relation"), [
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
def test_a_name_or_a_count_after_a_side_is_no_party(
        matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert found(matcher, text, when) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # "the prime minister" borrows the side "premier" was seen with
    ("Syria's interim premier toured Aleppo on Monday. On Tuesday the prime minister "
     "received Turkey's ambassador.", True),
    # someone else's premier
    ("Iraq's premier toured Basra on Monday. On Tuesday the prime minister received "
     "Turkey's ambassador.", False),
])
def test_the_prime_minister_is_the_premier(matcher: Matcher, text: str, relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # both sides' ministers at one ceremony, others after a companion phrase
    ("The ceremony was attended by Turkey's energy minister Alparslan Bayraktar, Syria's "
     "energy minister Mohammed al-Bashir, as well as envoys of Azerbaijan and Qatar.", True),
    ("В открытии участвовали министр торговли Турции Омер Болат, министр экономики Сирии "
     "Нидаль аш-Шаар, а также представители Иордании и Ирака.", True),
    # a third party coordinated with a side, no companion phrase: still the veto
    ("В открытии в Аммане участвовали министр торговли Турции Омер Болат и министр "
     "экономики Иордании.", False),
])
def test_companions_of_a_list_take_part(matcher: Matcher, text: str, relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # someone else's tour of both capitals: the side he met first is no subject
    ("Jordan's foreign minister Ayman Safadi met al-Sharaa in Damascus on Sunday, his "
     "second trip there this year, and went on to Ankara to meet Hakan Fidan.", False),
    ("Iraqi Foreign Minister Fuad Hussein visited al-Sharaa in Damascus on Monday, and "
     "later flew to Istanbul to meet Hakan Fidan.", False),
    # the side's own tour: the first side is the subject
    ("Hakan Fidan met al-Sharaa in Damascus on Sunday and went on to Amman to meet Ayman "
     "Safadi.", True),
])
def test_someone_elses_tour_of_both_capitals(matcher: Matcher, text: str,
                                              relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "when", "relation"), [
    # a pair governed by "to" after "both" is where someone else sent something
    ("Moscow sent aid flights to both Damascus and Ankara, and its emergencies ministry "
     "opened a hotline.", BEFORE, False),
    ("Russia sent aid flights to both Damascus and Ankara, and the Red Cross opened a "
     "collection.", BEFORE, False),
    # the pair as subject
    ("Damascus and Ankara opened a hotline.", AFTER, True),
])
def test_both_after_to_is_someone_elses_object(matcher: Matcher, text: str, when: datetime,
                                                relation: bool) -> None:
    assert found(matcher, text, when) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # the first side's office phrase, a conjunction, the other side
    ("Syria's Minister of Transport and Turkey's railway directorate agreed on Monday to "
     "restore the Aleppo line.", True),
    ("Syria's Minister of Water Resources and Turkish hydraulic officials agreed to share "
     "data on river flows.", True),
    # someone else's office
    ("Syria's Minister of Transport and Jordan's railway directorate agreed to restore "
     "the line to Turkey.", False),
])
def test_an_office_phrase_coordinates_the_two(matcher: Matcher, text: str,
                                               relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # the two capitals opening the sentence speak for their governments
    ("В Анкаре и Дамаске подтверждают, что переговоры о торговом соглашении продолжаются, "
     "но документ пока не подписан.", True),
    ("In Ankara and Damascus, officials confirm that talks on a trade deal are continuing.",
     True),
    # a place named later, someone named right after the capitals
    ("В Анкаре и Дамаске египетские дипломаты провели отдельные переговоры.", False),
])
def test_the_two_capitals_speaking(matcher: Matcher, text: str, relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # the speaker after an inverted tag is the subject: "Министр" and "по его словам" his
    ("Сирия делает серьезные шаги, заявил в интервью иорданскому телеканалу глава МИД "
     "Турции Хакан Фидан. Министр добавил, что Анкара уже провела с соседней страной "
     "консультации по обороне.", True),
    # the speaker is someone else's minister
    ("Сирия делает серьезные шаги, заявил в интервью турецкому телеканалу глава МИД "
     "Иордании Айман Сафади. Министр добавил, что Амман уже провел с соседней страной "
     "консультации по обороне.", False),
])
def test_the_speaker_after_an_inverted_tag(matcher: Matcher, text: str,
                                           relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # a third party that only qualifies firms with a side is no state of "the two"
    ("Turkish mills sell flour to Syrian bakers via Turkish and Iraqi traders. Trucks now "
     "cross at Bab al-Hawa under a customs protocol signed between the two governments in "
     "May, and Turkey's exporters say Syria is their fastest-growing market.", True),
    # a state named: "the two governments" is unclear
    ("Turkish mills sell flour to Syria via Iraq, whose government charges transit fees. "
     "Trucks cross under a customs protocol signed between the two governments in May.",
     False),
])
def test_firms_of_a_third_country_are_no_state(matcher: Matcher, text: str,
                                               relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "when", "relation"), [
    # a window's cue with its own partner after "with", no side
    ("Erdogan has been mending ties with Gulf capitals and Egypt. In Damascus, officials "
     "condemned an Israeli strike.", BEFORE, False),
    ("Ankara is also repairing relations with Cairo and Abu Dhabi. Damascus said nothing.",
     BEFORE, False),
    # a side as the partner
    ("Ankara is also repairing relations with Damascus.", BEFORE, True),
])
def test_a_window_cue_with_its_own_partner(matcher: Matcher, text: str, when: datetime,
                                           relation: bool) -> None:
    assert found(matcher, text, when) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # armed groups named by a side's adjective name no country for "the two sides"
    ("Fighting between the Syrian National Army and the SDF killed dozens. Turkish drones "
     "struck SDF positions. A US envoy is trying to broker a truce between the two sides.",
     False),
    # the two governments named before
    ("Turkish and Syrian officials met in Ankara. A US envoy is trying to broker a deal "
     "between the two sides.", True),
])
def test_a_body_named_by_a_side_is_no_country(matcher: Matcher, text: str,
                                              relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "relation"), [
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
def test_someone_elses_act_in_a_capital_is_no_venue(matcher: Matcher, text: str,
                                                     relation: bool) -> None:
    assert found(matcher, text) is relation
