"""Detection round 15, one behaviour each, on the real topic file, written as variants of the
classes dev_blind7.jsonl, dev_blind8.jsonl and dev_blind9.jsonl showed rather than as copies
of any row: a side told of is no member of "the three countries"; rules of engagement; the
outlet's own country paired with a side owns a window's cue; manner adverbs as no bridge
words; "works … with"; co-participants listed before the other side; another verb's object
as no third party; travel needing an official; those permitted as the visit's subject; the
outlet's firms as no party; an office after an opening phrase; "its embassy"; a name made no
party owning no office; military acts as no party; Russian word order for a partner before
the cue; visits of people; place clauses after ", where"; members of the cue's object;
welcoming officials; joint bodies; rebuilding and aid sent; an official before ", who";
overtures and snubs; tours across venues; linking their systems; and the near misses of
each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import headline_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 5, 1, tzinfo=UTC)

found = headline_reader(AFTER)


@pytest.mark.parametrize(("text", "members"), [
    # a side after "on", "about", "о": what the format talked of, not one of its members
    ("The envoy said Russia, Iran and Turkey long aligned their views on Syria, and that the "
     "three countries would keep exchanging views.", False),
    ("Officials recalled that Moscow, Tehran and Ankara had argued for years about Syria; "
     "the three countries will consult again.", False),
    ("Дипломат напомнил, что Россия, Иран и Турция годами спорили о Сирии, но три страны "
     "продолжат консультации.", False),
    # a member named in any other role still is one
    ("Energy from Azerbaijan reached Syria through Turkey under a deal the three countries "
     "signed in Baku.", True),
    ("Ministers of Iraq, Turkey and Syria met in Baghdad on Syria's water, and the three "
     "countries agreed to meet monthly.", True),
])
def test_a_side_told_of_is_no_member_of_the_list(matcher: Matcher, text: str,
                                                 members: bool) -> None:
    assert found(matcher, "Round-up", text) is members


@pytest.mark.parametrize(("text", "contact"), [
    # the army's terms for opening fire: no engagement between the two
    ("Ankara said its rules of engagement on the Syrian border had changed after the regime "
     "downed the jet.", False),
    ("Erdogan said the Syrian regime would now face a new rule of engagement.", False),
    # engagement with the other side still is one
    ("Ankara said its engagement with the Syrian government would deepen.", True),
])
def test_rules_of_engagement_are_no_engagement(matcher: Matcher, text: str,
                                               contact: bool) -> None:
    assert found(matcher, "Round-up", text, BEFORE) is contact


@pytest.mark.parametrize(("text", "window"), [
    # the outlet's own country coordinated with a side owns the relation word: another pair's
    ("Erdogan told a rally that Turkey sent troops to end Assad's rule.\n\nRussia and Turkey "
     "have been repairing ties since the summer.", False),
    ("Assad said Turkish troops must leave Idlib. Turkey and Russia want to mend ties.",
     False),
    ("Эрдоган заявил, что Турция ввела войска, чтобы покончить с правлением Асада. Россия и "
     "Турция восстанавливают отношения с лета.", False),
    # … or hyphenated with it
    ("Assad said Turkish troops must leave. Erdogan hailed the normalisation of "
     "Russian-Turkish ties.", False),
    ("Асад заявил, что турецкие войска должны уйти. Эрдоган отметил нормализацию "
     "российско-турецких отношений.", False),
    # named apart from the side, it is no pair of the cue
    ("Assad received a Kremlin envoy in Damascus. According to Russian sources, Turkey wants "
     "to restore relations.", True),
    ("Асад принял в Дамаске посланника Кремля. По данным российских источников, Турция хочет "
     "восстановить отношения.", True),
])
def test_the_outlets_country_paired_with_a_side_owns_a_window_cue(matcher: Matcher, text: str,
                                                                  window: bool) -> None:
    assert found(matcher, "Round-up", text, BEFORE) is window


@pytest.mark.parametrize(("text", "contact"), [
    # a manner adverb or "everything" between a cue and its "with": no bridge word
    ("The Syrians, analysts say, coordinate everything with Ankara.", True),
    ("Syria now coordinates closely with Ankara on the border.", True),
    ("Syria spoke directly with Ankara about the dam.", True),
    ("Сирия взаимодействует напрямую с Анкарой.", True),
    # the partner after it is still who it is: someone else, or people
    ("Ankara coordinates closely with Washington on Syria.", False),
    ("Turkish charities coordinate everything with Syrian refugees in Gaziantep.", False),
    ("Турецкие фонды взаимодействуют напрямую с сирийскими беженцами.", False),
])
def test_a_manner_adverb_is_no_bridge_word(matcher: Matcher, text: str, contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # "works with", an adverb inside it
    ("Turkey works closely with the new authorities in Damascus.", True),
    ("Ankara worked quietly with the government in Damascus on the dam.", True),
    # with someone else, or firms and people
    ("Turkey worked closely with Russia on Syria.", False),
    ("Turkish firms work closely with Syrian traders.", False),
])
def test_working_with_the_other_side_an_adverb_between(matcher: Matcher, text: str,
                                                       contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # someone else named first, then the other side, one list after "with" or "met"
    ("Fidan held a three-way meeting with U.S. envoy Tom Barrack and Syria's Foreign "
     "Minister Asaad al-Shaibani.", True),
    ("Fidan met Jordan's Ayman Safadi and Syria's Asaad al-Shaibani in Amman on Monday.",
     True),
    ("Erdogan held talks with Rubio and al-Shaibani to discuss sanctions.", True),
    ("Фидан провел встречу с госсекретарем США Марко Рубио и министром иностранных дел "
     "Сирии Асаадом аш-Шейбани.", True),
    # the side opening a clause of its own, or no side after the "and"
    ("Fidan met Tom Barrack and al-Shaibani visited Baghdad.", False),
    ("Fidan met Jordan's Ayman Safadi and discussed Syria.", False),
    ("Erdogan met Rubio and Syria's Kurdish commanders in Ankara.", False),
    ("Фидан встретился с Томом Барраком, и аш-Шейбани улетел в Доху.", False),
    # whose meeting it was: the pair after "of" or a Russian genitive met each other
    ("Erdogan criticised the meeting of Trump and al-Sharaa.", False),
    ("Эрдоган раскритиковал встречу Трампа и аш-Шараа.", False),
])
def test_someone_else_listed_before_the_other_side_is_a_co_participant(
        matcher: Matcher, text: str, contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # a third party that another verb took as its object, then "and" and the same subject
    ("Erdogan hosted Qatar's emir and then met Syria's foreign minister.", True),
    ("On Thursday Fidan hosted NATO foreign ministers and held a three-way meeting with "
     "U.S. envoy Tom Barrack and Syria's foreign minister.", True),
    # a clause with a subject of its own after the "and", or the third party as subject
    ("Erdogan hosted Qatar's emir and the emir met Syria's foreign minister.", False),
    ("Erdogan hosted Qatar's emir, who then met Syria's foreign minister.", False),
])
def test_another_verbs_object_is_no_third_party_of_the_next_act(matcher: Matcher, text: str,
                                                                contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "visit"), [
    # an official or a government going to the other side, the perfect too
    ("Al-Shaibani has been to Ankara more often than to any other capital this year.", True),
    ("Syria's foreign minister had been to Turkey twice before the summit.", True),
    ("Turkey's top diplomat landed in the Syrian capital on Sunday.", True),
    ("Fidan flew to Damascus on Monday.", True),
    # people going there: no visit between the governments
    ("Many Syrians have been to Turkey to see relatives since the spring.", False),
    ("Turkish truck drivers travelled to Syria dozens of times this year.", False),
    ("Syrian students went to Turkey for the exams.", False),
])
def test_travel_to_the_other_side_needs_an_official(matcher: Matcher, text: str,
                                                   visit: bool) -> None:
    assert found(matcher, "Round-up", text) is visit


@pytest.mark.parametrize(("text", "visit"), [
    # a government permitting people, no side's officials, to visit: they visit, not it
    ("Since March, Turkish authorities have allowed heads of households to make short visits "
     "to Syria before moving back.", False),
    ("The interior ministry in Ankara set up a scheme permitting one member of each family "
     "to visit Syria twice a year.", False),
    # permitting an official of a side: still a visit
    ("Ankara allowed Syria's foreign minister to visit Hatay after the floods.", True),
    ("Turkey allowed its trade minister to visit Damascus despite the strikes.", True),
])
def test_those_permitted_are_the_subject_of_the_visit(matcher: Matcher, text: str,
                                                     visit: bool) -> None:
    assert found(matcher, "Round-up", text) is visit


@pytest.mark.parametrize(("text", "pair"), [
    # the outlet's own country named only by its firms is no party: "the two countries"
    # are the sides named around that sentence
    ("Турецкий порт Искендерун нарастил перевалку на 10%. Основная часть грузов идет в "
     "Сирию. Российские компании тоже везут грузы в сирийские порты. Транзит упростил протокол, "
     "который министры транспорта двух стран подписали в марте.", True),
    ("Turkey's port of Iskenderun handled 10% more boxes. Most of the cargo goes on to "
     "Syria. Russian companies ship grain to Syrian ports that way too. Transit eased "
     "after the transport ministers of the two countries signed a protocol in March.", True),
    # named by its diplomats, it is a party: "the two countries" is then unclear
    ("Турецкий порт Искендерун нарастил перевалку на 10%. Основная часть грузов идет в "
     "Сирию. Российские дипломаты тоже обсуждают маршрут в сирийские порты. Транзит "
     "упростил протокол, который министры транспорта двух стран подписали в марте.", False),
])
def test_the_outlets_firms_are_no_party_of_the_two_countries(matcher: Matcher, text: str,
                                                            pair: bool) -> None:
    assert found(matcher, "Round-up", text) is pair


@pytest.mark.parametrize(("text", "contact"), [
    # an office word after a sentence-opening prepositional phrase and its comma is the
    # subject, the last one named; "he" in the next sentence is then that subject too
    ("Erdogan addressed the UN in New York on Tuesday.\n\nAt a reception in New York, the "
     "president spoke about Syria. He said he could meet Assad.", True),
    ("Erdogan addressed the UN in New York on Tuesday.\n\nAt a reception at the Turkish House "
     "in New York, the president spoke about Syria. He said he could meet Assad.", True),
    # the last one named is someone else's president
    ("Putin addressed the UN in New York on Tuesday.\n\nAt a reception at the Turkish House "
     "in New York, the president spoke about Syria. He said he could meet Assad.", False),
])
def test_an_office_after_an_opening_phrase_is_the_subject(matcher: Matcher, text: str,
                                                          contact: bool) -> None:
    assert found(matcher, "Round-up", text, datetime(2023, 9, 25, tzinfo=UTC)) is contact


@pytest.mark.parametrize(("text", "mission"), [
    # the subject's own mission in the other's capital: the country acts as a state
    ("Turkey halted all work at its embassy in Damascus on Monday.", True),
    ("Syria kept its embassy in Ankara open despite the row.", True),
    ("Турция приостановила работу своего посольства в Дамаске.", True),
    # someone else's mission, people, or an ambassador told as background
    ("Saudi Arabia reopened its embassy in Damascus on Monday.", False),
    ("Turkish firms said their embassy contacts in Damascus had helped.", False),
    ("Turkey withdrew its ambassador from Damascus in March.", False),
])
def test_its_mission_makes_the_subject_a_state(matcher: Matcher, text: str,
                                               mission: bool) -> None:
    assert found(matcher, "Round-up", text, datetime(2012, 6, 1, tzinfo=UTC)) is mission


@pytest.mark.parametrize(("title", "text", "contact"), [
    # before 2024-12-08 "Syrian opposition" is no party: it does not make "the opposition"
    # read later Syria's
    ("Fidan hosts Syrian opposition leaders", "The foreign minister met members of the "
     "opposition's negotiating team in Ankara on Monday.", False),
    # Turkey's own opposition discussing the relation still counts
    ("Turkish opposition unveils foreign policy plan", "The opposition says it would "
     "restore full relations with Damascus.", True),
])
def test_a_sides_name_made_no_party_owns_no_office(matcher: Matcher, title: str, text: str,
                                                    contact: bool) -> None:
    assert found(matcher, title, text, BEFORE) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # a military act named by its side is no party of a pair
    ("The leaders of Russia, Iran and Turkey met in Ankara and pledged to calm fighting in "
     "Syria, despite rifts over the future of Assad and the Turkish operation in Afrin.",
     False),
    ("The leaders of Russia, Iran and Turkey met in Ankara and pledged to calm fighting in "
     "Syria, despite rifts over the fate of Assad and the Turkish incursion.", False),
    # a side's official named with it is still one
    ("Erdogan told Assad's envoy in person that the operation would go on.", True),
])
def test_a_military_act_named_by_its_side_is_no_party(matcher: Matcher, text: str,
                                                      contact: bool) -> None:
    assert found(matcher, "Round-up", text, BEFORE) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # in English the side between "with" and a noun cue modifies the cue: its own support
    ("Syria's defence ministry is rebuilding an army of ex-rebel units raised for years "
     "with Turkish support.", False),
    # the Russian order names the partner there
    ("Сирия восстановит с Турцией отношения.", True),
    ("Анкара ведет с Дамаском переговоры о границе.", True),
])
def test_a_side_before_an_english_noun_cue_is_no_partner(matcher: Matcher, text: str,
                                                         contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # a visit whose own object is people ("visiting relatives") is theirs: no pair's contact
    ("A Turkish budget airline will add flights between Istanbul and Damascus in July, "
     "citing demand from Syrians visiting relatives.", False),
    ("Bus firms run daily trips between Gaziantep and Aleppo for Syrians visiting family.",
     False),
    # the two discussing people, or their officials doing so, still are in contact
    ("Turkey and Syria are talking refugees, officials said.", True),
    ("Turkish and Syrian ministers agreed to resume flights between Istanbul and Damascus, "
     "citing demand from Syrians visiting relatives.", True),
])
def test_a_visit_of_people_binds_no_pair(matcher: Matcher, text: str, contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # ", where" opens a clause about the place with a subject of its own (the outlet's
    # country too): no party of a cue before it
    ("Putin and Erdogan also discussed the war in Syria, where Russia backs Assad's army "
     "against rebels armed by Ankara.", False),
    ("Путин и Эрдоган обсудили войну в Сирии, где Россия поддерживает армию Асада против "
     "повстанцев, которых вооружает Анкара.", False),
    # a clause whose subject is a side, or a pronoun, still meets the traveller
    ("Erdogan went to Damascus, where Syria's president received him.", True),
    ("Fidan arrived in Damascus, where he met al-Sharaa for three hours.", True),
])
def test_a_place_clause_with_its_own_subject_is_apart(matcher: Matcher, text: str,
                                                      contact: bool) -> None:
    assert found(matcher, "Round-up", text, datetime(2016, 6, 29, tzinfo=UTC)) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # the other side named a member of the group a cue took as its object
    ("Ankara seeks normal relations with every neighbour, Syria included.", True),
    ("Turkey wants good ties with all its neighbours, including Syria.", True),
    # another member, or people's trade
    ("Turkey wants good ties with all its neighbours, notably Iraq.", False),
    ("Turkish firms want more trade with all neighbours, Syria included.", False),
])
def test_a_side_named_a_member_of_the_cues_object(matcher: Matcher, text: str,
                                                  contact: bool) -> None:
    assert found(matcher, "Round-up", text, BEFORE) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # welcoming or greeting the other side's named official in person
    ("Erdogan welcomed al-Sharaa at the presidential complex with an official ceremony.",
     True),
    ("Erdogan greeted al-Shaibani at the door of the Vahdettin Mansion.", True),
    ("Эрдоган приветствовал аш-Шараа в президентском комплексе.", True),
    # welcoming a country's step, or someone else
    ("Erdogan welcomed Syria's decision to join the coalition.", False),
    ("Erdogan welcomed Saudi Arabia's crown prince, who later met al-Sharaa.", False),
    ("Эрдоган приветствовал решение Сирии.", False),
])
def test_welcoming_the_other_sides_official(matcher: Matcher, text: str,
                                            contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # a standing body of the two: academies, forces, funds, boards, headquarters
    ("Turkey, Syria to form joint army academy", True),
    ("Ankara and Damascus set up a joint task force on smuggling.", True),
    ("Анкара и Дамаск создадут совместный штаб по борьбе с контрабандой.", True),
    # firms' or federations' bodies, or another pair's
    ("Turkish and Syrian firms launch joint fund.", False),
    ("Turkey, Iraq set up joint force; Syria watches", False),
])
def test_a_joint_body_of_the_two(matcher: Matcher, text: str, contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "aid"), [
    # rebuilding for the other side after 2024-12-08 is aid
    ("Turkey pledges $1bn to rebuild Syria's power grid", True),
    ("Ankara will reconstruct Syria's air bases, officials said.", True),
    # firms, another donor, or a side's own rebuilding
    ("Turkish firms will rebuild Syria's power grid.", False),
    ("Qatar pledged to rebuild Syria's grid, Turkey said.", False),
    ("Turkey is rebuilding its quake zone while Syria waits.", False),
])
def test_rebuilding_for_the_other_side_is_aid(matcher: Matcher, text: str, aid: bool) -> None:
    assert found(matcher, "Round-up", text) is aid


@pytest.mark.parametrize(("text", "aid"), [
    # aid sent to the other side after 2024-12-08
    ("Turkey sends 200 trucks of aid to Damascus government", True),
    ("Ankara sent military equipment to the Syrian army last week.", True),
    # sent by someone else, or by charities
    ("The UN sent aid to Syria through Turkey.", False),
    ("Saudi Arabia sent aid to Damascus, Turkey said.", False),
    ("Turkish charities sent aid to Syria.", False),
])
def test_aid_sent_to_the_other_side(matcher: Matcher, text: str, aid: bool) -> None:
    assert found(matcher, "Round-up", text) is aid


@pytest.mark.parametrize(("text", "visit"), [
    # an official's phrase before ", who": the relative clause's subject is that official
    ("The Syrian minister, who was in Ankara last week, said power imports would double.",
     True),
    ("Syria's energy minister, who was in Ankara last week, said imports would double.",
     True),
    # firms or refugees, or a clause about someone else
    ("Syria's energy firms, which were in Ankara last week, said imports would double.",
     False),
    ("Syrian refugees, who were in Ankara last week, said rents would double.", False),
])
def test_an_officials_phrase_is_the_antecedent_of_who(matcher: Matcher, text: str,
                                                      visit: bool) -> None:
    assert found(matcher, "Round-up", text) is visit


@pytest.mark.parametrize(("text", "relation"), [
    # overtures and snubs toward the other side's leader are news about the relation
    ("Assad snubs Erdogan", True),
    ("Erdogan extends hand to Assad", True),
    ("Erdogan reached out to Assad through Moscow.", True),
    # toward someone else, or help for people
    ("Erdogan snubbed Netanyahu at the summit.", False),
    ("Turkey extended a helping hand to Syrian refugees.", False),
    ("Турция протянула руку помощи сирийским беженцам.", False),
])
def test_overtures_and_snubs(matcher: Matcher, text: str, relation: bool) -> None:
    assert found(matcher, "Round-up", text, datetime(2023, 6, 1, tzinfo=UTC)) is relation


@pytest.mark.parametrize(("text", "contact"), [
    # a traveller's stops on both sides, a venue after each: someone else's tour, and "the
    # two countries" told there are his and one side
    ("Medvedev met Assad in Damascus and then Erdogan in Ankara.", False),
    ("Shoukry met Assad in Damascus and then Cavusoglu in Mersin, who said the two countries "
     "would soon exchange ambassadors.", False),
    # one side's official meeting two of the other's, or the two named apart
    ("Davutoglu met Assad in Damascus and then Moallem in Aleppo.", True),
    ("Davutoglu met Assad in Damascus, and the two countries agreed to lift visas.", True),
])
def test_a_tour_of_both_sides_across_venues(matcher: Matcher, text: str,
                                           contact: bool) -> None:
    assert found(matcher, "Round-up", text, BEFORE) is contact


@pytest.mark.parametrize(("text", "joint"), [
    # the two governments joining their own systems
    ("Traders said the rally followed news that Damascus and Ankara would link their payment "
     "systems.", True),
    ("Ankara and Damascus will connect their electricity grids next year.", True),
    # someone linking the two, firms, or another pair
    ("Reports linked Damascus and Ankara to the smuggling ring.", False),
    ("Turkish and Syrian firms linked their IT systems.", False),
    ("Iraq and Jordan linked their grids, Turkey said.", False),
])
def test_the_two_linking_their_systems(matcher: Matcher, text: str, joint: bool) -> None:
    assert found(matcher, "Round-up", text) is joint
