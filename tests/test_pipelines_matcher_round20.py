"""Detection round 20, one behaviour each, on the real topic file, written as variants of the
classes dev_blind27, dev_blind28 and dev_blind30 showed rather than as copies of any row: a
subject bound to its day (a quake's condolences cannot predate the quake); contacts in other
words (time spent with the other side over a longer span, a matter raised with it, a meeting
a mediator convenes, «дипотношения»), each with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader

#: the dates the probes are read at: before and after the February 2023 quake, and after
#: 2024-12-08
EARLY = datetime(2012, 10, 4, tzinfo=UTC)
QUAKE = datetime(2023, 2, 8, tzinfo=UTC)
BEFORE = datetime(2019, 6, 1, tzinfo=UTC)
AFTER = datetime(2025, 6, 1, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []


def dated(name: str,
          rows: list[tuple[str, datetime, bool]]) -> list[tuple[str, str, datetime, bool]]:
    """The rows of one behaviour, each named by it."""
    return [(name, text, when, relation) for text, when, relation in rows]


def case_params(cases: list[tuple[str, str, datetime, bool]]) -> list[Any]:
    """``cases`` as pytest params of (text, when, relation), each id'd by its behaviour and
    its place in the list."""
    return [pytest.param(text, when, relation, id=f"{name}-{number}")
            for number, (name, text, when, relation) in enumerate(cases)]


CASES += dated("a_subject_is_no_veto_before_its_day", [
    # condolences in 2012 answer a note on shelling: the 2023 quake cannot veto them
    ("Анкара передала Дамаску ноту протеста, а сирийское правительство в ответном послании "
     "выразило соболезнования семьям погибших.", EARLY, True),
    ("Ankara sent Damascus a protest note, and the Syrian government replied with a letter "
     "offering condolences to the victims' families.", EARLY, True),
    # after the quake the same words are about it: each side consoled apart
    ("Путин направил Эрдогану и Асаду послания с соболезнованиями в связи с "
     "землетрясением.", QUAKE, False),
    ("Putin sent Erdogan and Assad messages of condolence over the earthquake.", QUAKE,
     False),
])


CASES += dated("time_spent_with_the_other_side", [
    # a longer span between "spent" and "with"
    ("Turkish foreign minister Ahmet Davutoglu spent more than six hours with Bashar "
     "al-Assad.", EARLY, True),
    ("Давутоглу провел в Дамаске более шести часов с Асадом.", EARLY, True),
    # time spent with someone no side holds
    ("Turkish foreign minister Ahmet Davutoglu spent more than six hours with Iran's "
     "foreign minister discussing Syria.", EARLY, False),
])

CASES += dated("a_matter_raised_with_the_other_side", [
    ("Damascus had raised the issue of seasonal cross-border trade with Turkish officials.",
     BEFORE, True),
    ("Has Damascus raised the Euphrates flow with Ankara?", AFTER, True),
    ("Дамаск поднял вопрос о воде перед Анкарой.", AFTER, True),
    # raised with someone else, or a figure raised
    ("Damascus raised the issue of Turkish troops with Iranian officials.", BEFORE, False),
    ("Дамаск поднял вопрос о турецких войсках перед Ираном.", BEFORE, False),
    ("Turkey raised its trade with Syria by a fifth.", AFTER, False),
])

CASES += dated("a_meeting_a_mediator_convenes", [
    ("Russian diplomats are pressing to convene the Turkish and Syrian foreign ministers in "
     "Moscow.", QUAKE, True),
    ("Москва намерена созвать министров иностранных дел Турции и Сирии.", QUAKE, True),
    # a gathering without the other side
    ("Russia convened the Turkish and Iranian foreign ministers to discuss Syria.", QUAKE,
     False),
    ("Turkey convened its security council after Syrian shelling killed five.", EARLY, False),
])

CASES += dated("diplomatic_relations_in_short", [
    ("Эрдоган допустил восстановление дипотношений с Сирией.", BEFORE, True),
    ("Турция и Сирия восстановят дипотношения.", BEFORE, True),
    # another pair
    ("Эрдоган допустил восстановление дипотношений с Египтом.", BEFORE, False),
])


CASES += dated("a_new_chapter_in_russian", [
    ("Анкара и Дамаск открывают новую главу в отношениях.", AFTER, True),
    ("Турция и Сирия открывают новую главу, а рынки ждут.", AFTER, True),
    # another pair's chapter
    ("Эр-Рияд и Дамаск открывают новую главу, а Анкара ждет.", AFTER, False),
])


CASES += dated("a_third_party_named_by_its_capital_is_a_venue", [
    # "в столице Иордании", "in the capital of Jordan": where the meeting is, no veto on the
    # list of who met
    ("В столице Иордании прошла встреча министров иностранных дел, министров обороны и "
     "руководителей разведок Иордании, Сирии, Турции, Ирака и Ливана.", AFTER, True),
    ("В столице Катара прошла встреча министров иностранных дел Сирии и Турции.", AFTER,
     True),
    ("In the capital of Qatar, the Syrian and Turkish foreign ministers met on Monday.",
     AFTER, True),
    # the same third party as a party of the talks
    ("В столице Иордании министры иностранных дел Иордании и Турции обсудили Сирию.", AFTER,
     False),
    ("In the Jordanian capital, the foreign ministers of Jordan and Turkey discussed Syria.",
     AFTER, False),
    ("В столице Катара министр иностранных дел Турции обсудил Сирию с эмиром.", AFTER, False),
])


CASES += dated("a_country_opening_the_sentence_is_its_subject", [
    # "Turkey was the first.": the state is the subject a later "Its" borrows
    ("Syria's new authorities are courting Europe. Turkey was the first. Its embassy in "
     "Damascus reopened on December 14.", AFTER, True),
    ("Новые власти Сирии ищут признания. Турция была первой. Ее посольство в Дамаске "
     "возобновило работу 14 декабря.", AFTER, True),
    # someone else opens the sentence before "Its", or the side only owns the subject
    ("Syria's new authorities are courting Europe. Turkey was hit by floods. Egypt was the "
     "first. Its embassy in Damascus reopened on December 14.", AFTER, False),
    ("Syria's new authorities are courting Europe. Turkey's lira was the first to fall. Its "
     "embassy in Damascus reopened on December 14.", AFTER, False),
])


CASES += dated("a_bare_the_two_after_both_named_as_countries", [
    # "the two central banks": the pair named as countries a sentence back, as where no one
    # sentence names both
    ("Syrian and Turkish banks are expanding. Two Turkish banks opened branches in Aleppo. "
     "They followed an agreement signed by the two central banks in Damascus.", AFTER, True),
    # people by their noun need the sides' officials; someone else's central banks
    ("Syrian and Turkish banks are expanding. Two Turkish banks opened branches in Aleppo. "
     "The two men signed an agreement in Damascus.", AFTER, False),
    ("Syrian and Turkish banks are expanding. The two ministers signed an agreement in "
     "Damascus.", AFTER, False),
    ("Syrian and Turkish banks are expanding. Two Turkish banks opened branches in Aleppo. "
     "They followed an agreement signed by the central banks of Jordan and Iraq.", AFTER,
     False),
])


CASES += dated("a_title_of_coordinated_fields_is_no_bridge", [
    # "Treasury and Finance Minister" is one title before the name the cue takes
    ("Syrian Finance Minister Mohammed Yisr Barnieh, who met Treasury and Finance Minister "
     "Mehmet Simsek in Istanbul, said prices rose.", AFTER, True),
    ("Syrian Finance Minister Mohammed Yisr Barnieh met Treasury and Finance Minister Mehmet "
     "Simsek on Monday.", AFTER, True),
    # the same title of someone no side holds
    ("Syrian Finance Minister Mohammed Yisr Barnieh, who met Treasury and Finance Minister "
     "Ali Hassan Khalil in Beirut, said prices rose.", AFTER, False),
])


CASES += dated("someone_else_calling_both_made_two_calls", [
    # a third party's calls to each side, the pair coordinated after the cue
    ("Путин позвонил Эрдогану и Асаду, предложив помощь.", BEFORE, False),
    ("Putin phoned Erdogan and Assad to offer help.", BEFORE, False),
    # a side calling, or someone else hosting both at one table
    ("Erdogan phoned Assad and Putin.", BEFORE, True),
    ("Эрдоган позвонил Асаду.", BEFORE, True),
    ("Putin hosted Erdogan and Assad in Sochi.", BEFORE, True),
])


CASES += dated("a_side_owning_an_agenda_is_no_topic", [
    # "on Ankara's agenda": "on" governs the agenda, Ankara owns it
    ("Normalization with Damascus is back on Ankara's agenda.", BEFORE, True),
    ("Reconciliation with Ankara is high on the Syrian government's agenda.", BEFORE, True),
    # another pair's normalization on the agenda; a side still a topic after "on"
    ("Normalization with Cairo is back on Ankara's agenda, while Damascus waits.", BEFORE,
     False),
    ("Erdogan and Putin discussed the items on Syria's agenda.", BEFORE, False),
    ("Normalization with Egypt is back on Turkey's agenda after talks on Syria.", BEFORE,
     False),
])


CASES += dated("a_government's_forces_and_attacks_are_no_contact", [
    # the army is no party of a contact; a sentence on the other side's attacks holds no
    # pair for "the two presidents" read next
    ("Erdogan told Macron that Syrian government forces must pull back.", BEFORE, False),
    ("Эрдоган заявил Макрону, что сирийские правительственные войска должны отойти.", BEFORE,
     False),
    ("Erdogan said the regime's attacks had killed Turkish soldiers. The Kremlin said the two "
     "presidents agreed to meet in Moscow.", BEFORE, False),
    # the government itself, and the two presidents after a contact of theirs
    ("Erdogan told the Syrian government that its forces must pull back.", BEFORE, True),
    ("Erdogan said Assad's envoy had brought a letter. The two presidents agreed to meet in "
     "Moscow.", BEFORE, True),
])


CASES += dated("came_to_the_other_side's_city", [
    # «приезжал», and the city's adjective naming its fair
    ("На прошлой неделе министр торговли Турции Омер Болат, приезжавший на Дамасскую "
     "международную ярмарку, объявил о новых правилах на границе.", AFTER, True),
    ("Министр торговли Турции Омер Болат посетил Дамасскую международную ярмарку.", AFTER,
     True),
    ("Министр иностранных дел Турции Хакан Фидан приехал в Дамаск.", AFTER, True),
    # someone else came to the fair; people who are no officials
    ("Министр торговли Ирака, приезжавший на Дамасскую международную ярмарку, встретился с "
     "турецкими бизнесменами.", AFTER, False),
    ("Сирийские туристы приезжают в Стамбул.", AFTER, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round20_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation


#: (behaviour, headline, body, relation), dated after 2024-12-08: "обе страны" after an
#: office held by a country the lexicon does not list («премьер-министром Сербии»,
#: "Serbian Prime Minister") are that country and the side, not the pair the headline named
TITLED = [
    ("an_unlisted_country's_office_names_a_third_party", "Аш-Шараа и Эрдоган в Европе",
     "Временный президент Сирии Ахмед аш-Шараа провел переговоры с Эммануэлем Макроном. "
     "Президент Турции Реджеп Тайип Эрдоган встретился в Белграде с премьер-министром Сербии "
     "Милошем Вучевичем. Обе страны подписали соглашение о торговле.", False),
    ("an_unlisted_country's_office_names_a_third_party", "Al-Sharaa and Erdogan in Europe",
     "Al-Sharaa held talks in Paris with Emmanuel Macron. The same day, in Belgrade, Serbian "
     "Prime Minister Milos Vucevic received Erdogan. Both countries signed a trade "
     "agreement.", False),
    # the office of a side, or of the outlet's own country in a three-way meeting
    ("a_side's_office_is_no_third_party", "Аш-Шараа и Эрдоган в Европе",
     "Временный президент Сирии Ахмед аш-Шараа провел переговоры с Эммануэлем Макроном. "
     "Президент Турции Реджеп Тайип Эрдоган встретился в Белграде с министром иностранных "
     "дел Сирии. Обе страны подписали соглашение о торговле.", True),
    ("a_side's_office_is_no_third_party", "Al-Sharaa and Erdogan in Europe",
     "Al-Sharaa held talks in Paris with Emmanuel Macron. The same day, in Belgrade, Syrian "
     "Prime Minister Mohammed al-Bashir received Erdogan. Both countries signed a trade "
     "agreement.", True),
]


@pytest.mark.parametrize(("title", "text", "relation"),
                         [pytest.param(title, text, relation, id=f"{name}-{number}")
                          for number, (name, title, text, relation) in enumerate(TITLED)])
def test_round20_titled_case(matcher: Matcher, title: str, text: str, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, title=title).matched is relation
