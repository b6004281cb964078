"""Detection round 21, one behaviour each, on the real topic file, written as variants of the
classes dev_blind29 and dev_blind31 showed rather than as copies of any row: a cue's own pair
given after "between" (someone no side holds in it makes the cue theirs); "the three
countries" counted against the list they stand for; people after a possessive pronoun; a
conversation as a contact; each with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: before 2024-12-08 (2011, 2019) and after
EARLY = datetime(2011, 8, 9, tzinfo=UTC)
BEFORE = datetime(2019, 10, 11, tzinfo=UTC)
AFTER = datetime(2025, 6, 1, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []


CASES += dated("a_cue's_own_pair_after_between", [
    # someone no side holds in the pair: the contact, the memorandum are theirs
    ("Lavrov said Moscow would seek contacts between Damascus and the Kurds, and that Russia "
     "understood Turkey's security concerns.", BEFORE, False),
    ("Assad praised the Sochi memorandum between Putin and Erdogan as a step that limited "
     "the damage.", BEFORE, False),
    ("Лавров заявил, что Москва будет добиваться контактов между Дамаском и курдами и "
     "понимает озабоченность Турции.", BEFORE, False),
    # the pair is the two sides: still theirs
    ("Lavrov said Moscow would seek contacts between Damascus and Ankara, and that Russia "
     "understood Turkey's security concerns.", BEFORE, True),
    ("Assad praised the memorandum between Syria and Turkey as a step forward.", BEFORE,
     True),
    ("Лавров заявил, что Москва будет добиваться контактов между Дамаском и Анкарой.",
     BEFORE, True),
])

CASES += dated("a_side_only_in_another_cue's_pair", [
    # the Syrian government is named only as a party of the dialogue with the opposition
    ("Fidan held talks in Doha and called for a dialogue between the Syrian government and "
     "the opposition.", BEFORE, False),
    # named apart as the talks' partner
    ("Fidan held talks with the Syrian government and called for a dialogue between "
     "Damascus and the opposition.", BEFORE, True),
])

CASES += dated("the_three_countries_are_the_list_of_three", [
    # a list of three without Syria; Damascus named apart in the same sentence
    ("The foreign ministers of Russia, Iran and Turkey met in Doha as rebels threatened to "
     "cut Damascus off from the coast. The three countries called for a dialogue.",
     BEFORE, False),
    # a list of three holding both sides
    ("The defence ministers of Russia, Syria and Turkey met in Moscow on Wednesday. The "
     "three countries agreed to set up a working group.", BEFORE, True),
])

CASES += dated("people_after_a_possessive_pronoun", [
    ("Turkish Foreign Minister Hakan Fidan said Assad had failed to reach out to his "
     "people.", BEFORE, False),
    # an official of the other side after the possessive, and a place after "the"
    ("Erdogan reached out to his Syrian counterpart.", AFTER, True),
    ("Syrian Trade Minister Nidal al-Shaar visited the city in July and opened a joint "
     "office with the Turkish trade ministry.", AFTER, True),
])

CASES += dated("a_conversation_is_a_contact", [
    ("Cavusoglu said he had a brief conversation with his Syrian counterpart Faisal Mekdad "
     "on the sidelines of a regional meeting.", BEFORE, True),
    ("Чавушоглу рассказал, что у него была короткая беседа с сирийским коллегой "
     "Мекдадом.", BEFORE, True),
    # with someone else, or about the other side
    ("Erdogan had a conversation with Putin about Syria.", BEFORE, False),
    ("The conversation in Turkey about Syrian refugees has turned sour.", AFTER, False),
])

CASES += dated("words_to_the_other_side_said_in_public", [
    # told before an audience or the media: rhetoric, no contact
    ("Erdogan told Assad to step down in a speech to party deputies.", EARLY, False),
    ("Эрдоган в выступлении перед депутатами призвал Асада уйти в отставку.", EARLY, False),
    ("In an interview with state television, Erdogan urged Assad to step down.", EARLY,
     False),
    # told in person, whatever the tone
    ("Erdogan told Assad's envoy in Ankara that the crackdown must end at once.", EARLY,
     True),
    ("Эрдоган на встрече в Анкаре призвал спецпосланника Асада прекратить насилие.", EARLY,
     True),
])

CASES += dated("an_old_treaty_as_a_legal_basis_now", [
    ("Putin told Erdogan that the 1998 Adana agreement between Turkey and Syria could serve "
     "as a legal basis for security along their shared border.", BEFORE, True),
    ("Путин заявил, что Аданское соглашение 1998 года между Турцией и Сирией может служить "
     "правовой основой для обеспечения безопасности на границе.", BEFORE, True),
    # the same treaty as a justification: a yardstick
    ("Erdogan said the 1998 Adana agreement between Turkey and Syria gave Turkey the legal "
     "basis to strike across the border.", BEFORE, False),
    ("Эрдоган заявил, что Аданское соглашение 1998 года между Турцией и Сирией дает Турции "
     "право наносить удары.", BEFORE, False),
])

CASES += dated("a_protest_note_to_the_other_side", [
    ("Ankara sent a protest note to Damascus over the downed jet.", EARLY, True),
    ("Анкара направила Дамаску ноту протеста.", EARLY, True),
    ("Syria's foreign ministry handed a protest note to the Turkish ambassador.", EARLY,
     True),
    # a note to someone else about the other side
    ("Turkey sent a protest note to Russia over the strikes in Syria.", BEFORE, False),
    ("Анкара направила Москве ноту протеста из-за ударов в Сирии.", BEFORE, False),
])

CASES += dated("an_act_at_one_site_alongside_the_other_side's_official", [
    ("Turkish Energy Minister Alparslan Bayraktar opened the valves at a ceremony alongside "
     "Syria's energy minister and Azerbaijan's economy minister.", AFTER, True),
    # alongside someone else, or people who are no officials
    ("Turkish Energy Minister Alparslan Bayraktar opened the valves at a ceremony alongside "
     "Azerbaijan's economy minister.", AFTER, False),
    ("Turkish Energy Minister Alparslan Bayraktar opened the valves at a ceremony alongside "
     "Syrian engineers.", AFTER, False),
])

CASES += dated("a_table_shared_with_the_other_side", [
    ("The Syrian government delegation shared a table with Turkish officials at the "
     "plenary.", BEFORE, True),
    # the opposition's delegation, a third party's officials, people who are no officials
    ("The Syrian opposition delegation shared a table with Turkish officials at the "
     "plenary.", BEFORE, False),
    ("The Turkish delegation shared a table with Iranian officials at the talks on Syria.",
     BEFORE, False),
    ("Syrian and Turkish students shared a table at the cafeteria.", AFTER, False),
])

CASES += dated("the_deal_an_earlier_sentence_told_as_others'", [
    # "the deal" is the one two others made a sentence before
    ("Russia and the United States agreed in Geneva on Saturday on a plan for Syria to "
     "surrender its chemical weapons. Turkey, which has pushed for military action, said the "
     "deal must not become an excuse to let Assad's forces continue conventional "
     "bombardments.", BEFORE, False),
    ("Россия и США договорились в Женеве о плане по химоружию Сирии. Турция, которая "
     "добивалась ударов, заявила, что сделка не должна позволить Асаду продолжать "
     "бомбардировки.", BEFORE, False),
    # the two sides tied to a deal of their own
    ("Russia and Iran brokered talks in Moscow. Turkey and Syria signed the deal on "
     "Tuesday.", BEFORE, True),
    ("Russia and the United States agreed in Geneva on a plan for Syria's chemical weapons. "
     "Erdogan said Turkey's deal with Assad on border security would hold.", BEFORE, True),
])

CASES += dated("an_encounter_is_a_meeting", [
    ("The session was the first public encounter between Turkish and Syrian ministers since "
     "2011.", BEFORE, True),
    # another pair, or armies and jets
    ("The session was the first public encounter between Turkish and Iranian ministers since "
     "2011.", BEFORE, False),
    ("Turkish troops had a deadly encounter with Syrian government forces near Idlib.",
     BEFORE, False),
    ("Turkish jets had an encounter with Syrian jets over the border.", BEFORE, False),
])

CASES += dated("the_relation_broken_as_news", [
    ("Ankara and Damascus: a rupture with no end in sight", BEFORE, True),
    ("The rift between Turkey and Syria deepened after the downing of the jet.", EARLY, True),
    ("Разрыв между Анкарой и Дамаском продолжается.", BEFORE, True),
    # a pipe's rupture, another pair's rift
    ("A pipeline rupture in Turkey cut gas supplies to Syria.", BEFORE, False),
    ("The rift between Turkey and Russia over Syria deepened.", BEFORE, False),
])

CASES += dated("a_treaty_between_the_two", [
    ("Договор о транзитных перевозках между Сирией и Турцией вступит в силу в ноябре.",
     AFTER, True),
    ("The transit treaty between Syria and Turkey takes effect in November.", AFTER, True),
    # an old treaty cited as a yardstick, another pair's treaty
    ("Turkey invoked the 1921 Treaty of Ankara over the Suleyman Shah tomb in Syria.",
     BEFORE, False),
    ("Турция сослалась на договор 1921 года о гробнице Сулеймана Шаха в Сирии.", BEFORE,
     False),
    ("Договор между Россией и Турцией о поставках газа в Сирию вступил в силу.", AFTER,
     False),
])

CASES += dated("a_message_delivered_to_the_other_side's_official", [
    ("Davutoglu delivers Ankara's 'final word' to Assad in six-hour session", EARLY, True),
    ("Давутоглу передал Асаду послание Эрдогана.", EARLY, True),
    # delivered to a country, to people who are no officials, to someone else
    ("Turkey delivered aid to Syria.", EARLY, False),
    ("Turkey delivered weapons to Syrian rebels.", EARLY, False),
    ("Erdogan delivered a letter to Putin about Assad.", EARLY, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round21_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation
