"""Detection round 18, one behaviour each, on the real topic file, written as variants of the
classes dev_blind17.jsonl and dev_blind18.jsonl showed rather than as copies of any row:
coreference across sentences in long articles (a group phrase whose pair was fixed earlier,
though the sentence names one side again later on; a subject pronoun after an opening phrase
that names only a place, "At Aleppo station he was met by …", and the official right after a
venue opening the sentence, a visit after 2024-12-08; "the two neighbours" whose pair the
sentence names after the phrase; the teller after an object's comma, "… with Erdogan, the
president said", no partner coordinated with it; "On Monday the minister …", an office after
an opening time phrase as the subject; "the government there" after "back to Damascus"; "the
two sides" as one side and a third party named before the phrase, and no pair across a
headline's semicolon; "the government in Damascus" as Damascus' own office; "the two
governments" a paragraph past the last one naming a side; "Syria's northern neighbour" as
Turkey; an office after "according to"/"по данным" as the teller, no party; a host's own
meeting with a third party is no venue for the other side's official; a side's capital
as where someone else came from, «Шукри из Дамаска отправился в Турцию»); post-2024
steps ("restoring links between the two", "planned jointly with Syria's ministry", "opened
the fair with Turkey's trade minister"); and the near misses of each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2022, 6, 1, tzinfo=UTC)

body = body_reader(AFTER)


def found(matcher: Matcher, text: str, when: datetime = AFTER, title: str = "Briefing") -> bool:
    return body(matcher, text, when, title=title).matched


QASRA = "Murhaf Abu Qasra opened a new academy in Homs. The next day the minister travelled north."
КАСРА = "Мурхаф Абу Касра открыл академию в Хомсе. На следующий день министр вылетел на север."
FIDAN = "Hakan Fidan spoke in Brussels on Tuesday. A day later the minister flew to Baghdad."
ФИДАН = "Хакан Фидан выступил в Брюсселе. На следующий день министр вылетел в Багдад."


@pytest.mark.parametrize(("text", "relation"), [
    # "the two ministers" are the pair read so far (one side by "the minister", the other
    # named in the sentence before the phrase), though a side is named again in a later clause
    (f"{QASRA} At a meeting with Yasar Guler, the two ministers agreed on a plan under which "
     "Syrian cadets will train at Turkish academies.", True),
    (f"{QASRA} In a closed meeting with Yasar Guler, the two defence chiefs reviewed a "
     "programme that would send Syrian officers abroad.", True),
    (f"{КАСРА} На встрече с Яшаром Гюлером два министра согласовали программу, по которой "
     "сирийские офицеры пройдут обучение.", True),
    # the other minister is a third party's: the later side names no one of the pair
    (f"{FIDAN} In talks with Fuad Hussein, the two diplomats discussed a scheme that would "
     "let Syrian refugees return.", False),
    (f"{ФИДАН} На встрече с Фуадом Хусейном два министра обсудили план, по которому "
     "сирийские беженцы смогут вернуться.", False),
    # the other side never named as a party: "Syrian officers" alone are no second minister
    (f"{QASRA} The two ministers reviewed a training programme for Syrian officers.", False),
])
def test_a_group_phrase_keeps_its_pair_when_a_side_comes_later(
        matcher: Matcher, text: str, relation: bool) -> None:
    assert found(matcher, text) is relation


URALOGLU = "Abdulkadir Uraloglu, Turkey's transport minister, travelled on the train."
УРАЛОГЛУ = "Абдулкадир Уралоглу, министр транспорта Турции, ехал в кабине локомотива."


OPENING_PLACE = [
    # the pronoun after an opening phrase naming only the other side's city is the last
    # subject, and he is there: a visit after 2024-12-08
    (f"{URALOGLU} At Aleppo station he was met by the governor.", AFTER, True),
    (f"{URALOGLU} In Aleppo he was met by local officials.", AFTER, True),
    (f"{УРАЛОГЛУ} В Алеппо он встретился с губернатором провинции.", AFTER, True),
    ("Asaad al-Shaibani spoke to reporters in Damascus. In Gaziantep he was met by the "
     "governor.", AFTER, True),
    # a third party's city, the side's own city, before 2024-12-08, or no official as subject
    (f"{URALOGLU} In Baghdad he was met by local officials.", AFTER, False),
    ("Хакан Фидан выступил в понедельник в Анкаре. В Багдаде он встретился с губернатором.",
     AFTER, False),
    ("Asaad al-Shaibani spoke to reporters on Monday. In Aleppo he was met by the governor.",
     AFTER, False),
    (f"{URALOGLU} In Aleppo he was met by local officials.", BEFORE, False),
    ("Turkish contractors won a tender on Monday. In Aleppo they were met by the governor.",
     AFTER, False),
    ("Hakan Fidan spoke in Ankara on Monday. In Aleppo, Iraqi officials met the governor.",
     AFTER, False),
]


HOTELS = "Hotels on the coast are full for the summer."
ГОСТИНИЦЫ = "Гостиницы на побережье заполнены на все лето."


@pytest.mark.parametrize(("text", "relation"), [
    # the pair of "the two neighbours" named after the phrase, in any role, and no one else
    (f"{HOTELS} The tourism ministers of the two neighbours agreed to market tours combining "
     "the Turkish riviera with Latakia.", True),
    (f"{HOTELS} The two countries agreed last week to open a ferry line from Turkish ports to "
     "Latakia.", True),
    (f"{ГОСТИНИЦЫ} Министры туризма двух стран договорились продавать туры, объединяющие "
     "турецкое побережье с Латакией.", True),
    # the sides named after it are what was discussed, not who the two are
    (f"{HOTELS} The two leaders also discussed Syria's reconstruction, the Turkish presidency "
     "said.", False),
    (f"{ГОСТИНИЦЫ} Министры туризма двух стран обсудили туры по Турции и Сирии.", False),
    # the two are a third pair named just before
    ("Jordan and Iraq signed a trade deal on Monday. The two countries agreed to ship Turkish "
     "goods to Syria.", False),
    # a third party in the sentence itself
    (f"{HOTELS} The two countries agreed to ship Turkish goods to Syria through Jordan.", False),
])
def test_a_group_phrase_may_name_its_pair_after_it(matcher: Matcher, text: str,
                                                  relation: bool) -> None:
    assert found(matcher, text) is relation


ASSAD = "Syrian President Bashar al-Assad gave a long television interview on Wednesday."
АСАД = "Президент Сирии Башар Асад дал в среду большое интервью."


@pytest.mark.parametrize(("text", "relation"), [
    # an office phrase after the object's comma, then "said": the main clause's teller, no
    # second partner coordinated with the object
    (f"{ASSAD} Asked whether he would sit down with Recep Tayyip Erdogan, the president said "
     "there would be no such meeting.", True),
    (f"{ASSAD} Asked if he would sit down with Erdogan, the president told the interviewer "
     "that the time was not right.", True),
    (f"{АСАД} На вопрос, сядет ли он за стол переговоров с Эрдоганом, президент заявил, что "
     "такой встречи не будет.", True),
    # the object is a third party's leader, or the teller is a third party's
    (f"{ASSAD} Asked whether he would sit down with Mohammed bin Salman, the president said "
     "no.", False),
    ("Asked whether he would sit down with Erdogan, the Iraqi president said no.", False),
])
def test_a_teller_after_the_objects_comma_is_no_second_partner(
        matcher: Matcher, text: str, relation: bool) -> None:
    assert found(matcher, text, BEFORE) is relation


OPENING_TIME = [
    # an office word right after an opening time phrase, no comma between, is the subject:
    # the last subject's office
    ("Ahmet Davutoglu returned to Ankara on Sunday. On Monday the minister's office announced "
     "that all activity at the embassy in Damascus was suspended.", BEFORE, True),
    ("Hakan Fidan returned to Ankara on Sunday. On Monday the minister flew to Damascus.",
     AFTER, True),
    ("Хакан Фидан вернулся в Анкару в воскресенье. В понедельник министр вылетел в Дамаск.",
     AFTER, True),
    # the last subject is a third party's minister
    ("Fuad Hussein returned to Baghdad on Sunday. On Monday the minister flew to Damascus.",
     AFTER, False),
    ("Фуад Хусейн вернулся в Багдад в воскресенье. В понедельник министр вылетел в Дамаск.",
     AFTER, False),
    ("Fuad Hussein returned to Baghdad on Sunday. On Monday the minister met Hakan Fidan.",
     AFTER, False),
]


@pytest.mark.parametrize(("text", "when", "relation"), OPENING_PLACE + OPENING_TIME)
def test_a_subject_after_an_opening_phrase_is_the_last_one(
        matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert found(matcher, text, when) is relation


PLAN = "Kemal Kilicdaroglu, who leads Turkey's main opposition party, presented a plan."


@pytest.mark.parametrize(("text", "relation"), [
    # "the government there": the side whose place the sentence named last before it
    (f"{PLAN} The alliance would send an ambassador back to Damascus and negotiate with the "
     "government there on the return of refugees.", True),
    (f"{PLAN} He would reopen the embassy in Damascus and talk to the authorities there about "
     "border security.", True),
    # the place named last is a third party's, or no contact with the office
    (f"{PLAN} The alliance would send an ambassador back to Baghdad and negotiate with the "
     "government there on the return of refugees to Syria.", False),
    (f"{PLAN} He would send refugees back to Syria and leave the government there alone.",
     False),
    (f"{PLAN} He wants refugees to return to Syria, where the government there has no money "
     "for housing.", False),
])
def test_the_government_there_is_the_last_places(matcher: Matcher, text: str,
                                                 relation: bool) -> None:
    assert found(matcher, text, BEFORE) is relation


SAFADI = ("Jordan's Foreign Minister Ayman Safadi shuttles between Damascus and Ankara. On Monday "
          "he was in Damascus.")
ДАМАСК_SDF = "Дамаск и СДС подписали соглашение; Анкара осторожно приветствует"


@pytest.mark.parametrize(("title", "text", "relation"), [
    # one side and a third party before "the two sides": those two, not an earlier pair
    ("Briefing", f"{SAFADI} There he met Ahmed al-Sharaa, and the two sides agreed to reopen "
     "a border crossing.", False),
    ("Briefing", f"{SAFADI} There he met Ahmed al-Sharaa, and the two sides discussed "
     "electricity exports.", False),
    # … but a side's own official before the phrase with the other side ("he" = Fidan)
    ("Briefing", "Hakan Fidan flew to Damascus on Monday. There he met Ahmed al-Sharaa, and the "
     "two sides agreed to reopen a border crossing.", True),
    # a headline naming the two sides only across a semicolon holds no pair
    ("Damascus and SDF sign integration deal; Ankara cautiously welcomes",
     "The deal was signed in Damascus. The two sides agreed to form committees to carry out "
     "the deal.", False),
    (ДАМАСК_SDF, "Документ подписан в Дамаске. Стороны договорились создать комитеты.", False),
    # … but one clause naming both is a pair
    ("Damascus and Ankara sign trade deal",
     "The deal was signed on Monday. The two sides agreed to form committees to carry out "
     "the deal.", True),
])
def test_the_two_sides_are_the_nearest_pair_of_one_clause(matcher: Matcher, title: str,
                                                         text: str, relation: bool) -> None:
    assert found(matcher, text, title=title) is relation


ERDOGAN_HATAY = ("In Turkey, President Erdogan visited Hatay and said the government would rebuild "
                 "every house.")


@pytest.mark.parametrize(("text", "when", "relation"), [
    # "the government in Damascus" is Damascus' own, not the Turkish government last seen
    (f"{ERDOGAN_HATAY} Across the border, the government in Damascus appealed for aid, while "
     "rebel-held Idlib received almost nothing from Turkey.", BEFORE, False),
    ("Hakan Fidan spoke in Ankara on Monday. The government in Damascus held its first "
     "cabinet meeting in the Turkish-built palace.", AFTER, False),
    # and still the partner of a contact with the other side
    ("Hakan Fidan spoke in Ankara on Monday. He said Turkey would coordinate every step with "
     "the government in Damascus.", AFTER, True),
    ("Хакан Фидан выступил в Анкаре. Он сказал, что Турция согласует каждый шаг с властями в "
     "Дамаске.", AFTER, True),
    ("Hakan Fidan spoke in Ankara on Monday. The government in Damascus has asked him for "
     "help with its power grid.", AFTER, True),
])
def test_the_government_in_a_seat_is_that_sides(matcher: Matcher, text: str, when: datetime,
                                                 relation: bool) -> None:
    assert found(matcher, text, when) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # links restored between the two, a step planned jointly with the other side's ministry
    ("Ankara said the trial run was part of restoring links between Turkey and Syria.", True),
    ("Turkey's transport ministry said the trial had been planned jointly with Syria's "
     "transport ministry.", True),
    ("Министерство транспорта Турции сообщило, что испытание подготовлено совместно с "
     "министерством транспорта Сирии.", True),
    # with people who are no government, or with a third party's ministry
    ("Turkey's ministry said the programme was part of restoring links with the Syrian "
     "diaspora in Europe.", False),
    ("Turkey's ministry said the programme was part of restoring ties with the Syrian "
     "community in Germany.", False),
    ("Turkey's transport ministry said the trial had been planned jointly with Iraq's "
     "transport ministry to carry Syrian goods.", False),
    ("Turkish firms, jointly with Syrian traders, opened a market in Gaziantep.", False),
])
def test_links_restored_and_steps_planned_jointly(matcher: Matcher, text: str,
                                                  relation: bool) -> None:
    assert found(matcher, text) is relation


@pytest.mark.parametrize(("text", "relation"), [
    # an act at one site done "with" a named official of the other side, the subject's office
    # read past its field ("public works", "water resources") to a relative clause
    ("Syria's public works minister, who opened the fair with Turkey's trade minister, said "
     "tenders would follow.", True),
    ("Syria's water resources minister, who toured the dam with Turkey's energy minister, said "
     "the flow would rise.", True),
    # "with" something or someone that is no official of the other side
    ("Turkey's energy minister opened the plant with Syrian gas from the new pipeline.", False),
    ("Turkey's trade minister opened the fair with Syrian exporters.", False),
    ("Turkey's trade minister opened the fair with Iraq's trade minister, hoping for Syrian "
     "orders.", False),
    # a session held in a city of one side, the other side's official there a sentence later
    ("Foreign ministers of the Organisation of Islamic Cooperation met in Istanbul on Monday. "
     "Syria's foreign minister Asaad al-Shaibani attended the session.", True),
    # the host's own meeting with someone no side holds is no session the other side attends
    ("In Ankara on the same day, Erdogan received the emir of Qatar for talks on gas. Ahmed "
     "al-Sharaa said he would visit other European capitals later in the year.", False),
    ("В тот же день в Анкаре Эрдоган принял эмира Катара для переговоров о газе. Ахмед "
     "аш-Шараа заявил, что посетит другие европейские столицы.", False),
    # a side's capital as where someone no side holds came from: his route, no pair
    ("Шукри из Дамаска отправился в Турцию.", False),
    ("Из Дамаска Шукри вылетел в Турцию и встретился с главой турецкого МИД Мевлютом "
     "Чавушоглу в Мерсине.", False),
    # … but a side's official or delegation from there travels for it
    ("Мекдад из Дамаска отправился в Турцию.", True),
    ("Из Дамаска Шейбани вылетел в Анкару и встретился с Фиданом.", True),
    ("Делегация из Дамаска прибыла в Анкару.", True),
])
def test_who_shares_a_site_with_the_other_sides_official(matcher: Matcher, text: str,
                                                         relation: bool) -> None:
    assert found(matcher, text) is relation


MERSIN = "Syrian exporters are again using the Turkish port of Mersin."
МЕРСИН = "Сирийские экспортеры снова пользуются турецким портом Мерсин."


@pytest.mark.parametrize(("text", "relation"), [
    # a group phrase one paragraph past the last naming a side, the paragraph between read too
    (f"{MERSIN}\n\nWaiting times at the border have fallen to two days.\n\nThe change followed "
     "an agreement between the two governments that set common customs procedures.", True),
    (f"{МЕРСИН}\n\nОчереди на границе сократились до двух дней.\n\nПеремены последовали за "
     "соглашением двух правительств об общих таможенных процедурах.", True),
    # no group phrase of the sides, a third pair between, or two paragraphs between
    (f"{MERSIN}\n\nWaiting times at the border have fallen to two days.\n\nThe change followed "
     "a quarrel between the two firms that run the terminal.", False),
    (f"{MERSIN}\n\nJordan and Iraq signed a transit deal on Monday.\n\nThe change followed an "
     "agreement between the two governments on customs.", False),
    (f"{MERSIN}\n\nWaiting times have fallen.\n\nPrices are steady.\n\nThe change followed an "
     "agreement between the two governments on customs.", False),
])
def test_a_group_phrase_a_paragraph_further_on(matcher: Matcher, text: str,
                                               relation: bool) -> None:
    assert found(matcher, text) is relation


SHAIBANI = "Asaad al-Shaibani returned to Damascus on Sunday."
ШЕЙБАНИ = "Асаад аш-Шейбани вернулся в Дамаск в воскресенье."


@pytest.mark.parametrize(("text", "relation"), [
    # "Syria's northern neighbour" is Turkey, in an article that never names it otherwise
    (f"{SHAIBANI} On Monday he flew to the capital of Syria's northern neighbour for talks.",
     True),
    (f"{ШЕЙБАНИ} В понедельник он вылетел в столицу северного соседа Сирии для переговоров.",
     True),
    # another compass point, or no official of the other side
    (f"{SHAIBANI} On Monday he flew to the capital of Syria's southern neighbour for talks.",
     False),
    ("Refugees fled to Syria's northern neighbour during the war.", False),
])
def test_syrias_northern_neighbour_is_turkey(matcher: Matcher, text: str,
                                             relation: bool) -> None:
    assert found(matcher, text) is relation


BOLAT = "Turkish Trade Minister Omer Bolat toured Hatay on Tuesday."
БОЛАТ = "Министр торговли Турции Омер Болат во вторник посетил Хатай."


@pytest.mark.parametrize(("text", "relation"), [
    # the office after a prepositional phrase of attribution tells the news, no party of it
    (f"{BOLAT} According to the ministry, exports rose thanks to supplies to Syria and Iraq.",
     False),
    (f"{БОЛАТ} По данным ведомства, экспорт вырос за счет поставок в Сирию и Ирак.", False),
    # the office as the subject, or after a verb of saying, is still the side's
    (f"{BOLAT} The ministry said it would supply Syria's government with wheat.", True),
    (f"{БОЛАТ} Министерство поставит сирийскому правительству пшеницу.", True),
    (f"{BOLAT} He said the ministry had signed a cooperation agreement with its Syrian "
     "counterpart.", True),
])
def test_an_office_after_according_to_tells_the_news(matcher: Matcher, text: str,
                                                    relation: bool) -> None:
    assert found(matcher, text) is relation
