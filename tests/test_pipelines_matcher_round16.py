"""Detection round 16, one behaviour each, on the real topic file, written as variants of the
classes dev_blind10.jsonl and dev_blind11.jsonl showed rather than as copies of any row: a
third party telling the news in an attribution clause of its own is no party of it; a
headline's surname is the listed full name its body gives; firms named by their trade are no
side; sitting down with the other side; a speech tag after a closing quote; the partner of a
contact is not the subject's side; a chat and a joint chair; Russian reflexive meeting verbs; the
outlet's country as the subject of a window's cue; those holding an event take part in it;
the outlet's capital as a venue is no pair; a sentence-opening "his"; the two at one table;
calls and messages in other words; a side listed after a repeated link; a speech verb after
a quote names its speaker; more ministry fields before a Russian genitive side; and the near
misses of each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import CALM, headline_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 5, 1, tzinfo=UTC)

found = headline_reader(AFTER)


@pytest.mark.parametrize(("text", "contact"), [
    # a third party in a clause of its own that closes or opens the sentence, holding a word
    # of attribution, tells of the contact and takes no part in it
    ("Al-Shaibani had several bilateral meetings in Doha, among them one with Fidan, a Qatari "
     "official said.", True),
    ("According to Iraqi officials, al-Shaibani had several bilateral meetings in Baghdad, "
     "among them one with Fidan.", True),
    ("Аш-Шейбани провел в Дохе несколько двусторонних встреч, в том числе с Фиданом, "
     "сообщил катарский чиновник.", True),
    # a third party in the clause of the contact, or in one that holds no attribution, may
    # be a party of it
    ("Al-Shaibani had several bilateral meetings in Doha, among them one with Fidan and a "
     "Qatari official.", False),
    ("Al-Shaibani had several bilateral meetings in Doha, among them one with Fidan, while "
     "Qatari officials waited.", False),
    ("Аш-Шейбани провел в Дохе несколько двусторонних встреч, в том числе с Фиданом и "
     "катарским чиновником.", False),
])
def test_a_third_party_telling_the_news_is_no_party(matcher: Matcher, text: str,
                                                    contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("title", "text", "relation"), [
    # a headline naming a minister by surname, the body giving the listed full name
    ("Tekin: 'we want to restore ties with Syria'",
     "Education Minister Yusuf Tekin spoke at a school opening in Konya.", True),
    ("Шимшек: мы готовы восстановить отношения с Сирией",
     "Министр финансов Мехмет Шимшек выступил на форуме в Стамбуле.", True),
    # the same surname with another person's first name in the body, or no body name
    ("Tekin: 'we want to restore ties with Syria'",
     "Opposition deputy Ali Tekin spoke at a school opening in Konya.", False),
    ("Tekin: 'we want to restore ties with Syria'",
     "The speech at a school opening in Konya was broadcast live.", False),
])
def test_a_headline_surname_is_the_body_full_name(matcher: Matcher, title: str, text: str,
                                                  relation: bool) -> None:
    assert found(matcher, title, text, BEFORE) is relation


@pytest.mark.parametrize(("text", "step"), [
    # firms named by their trade are no side: a contract of theirs is no government's step
    ("A group of Turkish contractors signed a deal with Syria's housing ministry to rebuild "
     "Homs.", False),
    ("Two Turkish exporters agreed with the Syrian economy ministry to ship cement.", False),
    ("Турецкие поставщики договорились с сирийским министерством экономики о поставках "
     "цемента.", False),
    # the ministry or the minister of the side signing is one
    ("Turkey's trade ministry signed a deal with Syria's housing ministry to rebuild Homs.",
     True),
    ("Министерство торговли Турции договорилось с сирийским министерством экономики о "
     "поставках цемента.", True),
])
def test_firms_named_by_their_trade_are_no_side(matcher: Matcher, text: str,
                                                step: bool) -> None:
    assert found(matcher, "Round-up", text) is step


@pytest.mark.parametrize(("text", "contact"), [
    # sitting down with the other side, in any tense, is a meeting
    ("Davutoglu reached Damascus at noon. He sat down with Assad for six hours.", True),
    ("Davutoglu sits down with Moallem over dinner.", True),
    # sitting down with someone else, or alone
    ("Erdogan sat down with Putin in Sochi to talk about Syria.", False),
    ("Fidan sat down after a long day; Syria was not on the agenda.", False),
])
def test_sitting_down_with_the_other_side(matcher: Matcher, text: str, contact: bool) -> None:
    assert found(matcher, "Round-up", text, BEFORE) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # a speech tag after a closing quote is set off as after a comma: its pronoun is the
    # last subject, who speaks for his side ("we")
    ("Kalin was asked about the north. \"We keep regular contacts with Damascus,\" he said.",
     True),
    ("Калына спросили о севере. «Мы поддерживаем регулярные контакты с Дамаском», — "
     "заявил он.", True),
    # the speaker is the last subject: someone else's, or a contact with a third party
    ("Lavrov was asked about the north. \"We keep regular contacts with Damascus,\" he said.",
     False),
    ("Kalin was asked about the north. \"We keep regular contacts with Baghdad,\" he said.",
     False),
])
def test_a_speech_tag_after_a_quote_is_the_last_subject(matcher: Matcher, text: str,
                                                        contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # an untitled official met by one side's leader is the other party of that contact, not
    # one of the side's own: his later meeting with the other side is someone else's
    ("Syria's President Ahmed al-Sharaa met President Donald Trump at the White House on "
     "Monday, the first visit of a Syrian leader to Washington. Erdogan, who met Trump "
     "separately on Tuesday, had urged an end to sanctions.", False),
    ("Президент Сирии Ахмед аш-Шараа встретился с президентом Эммануэлем Макроном в Париже. "
     "Президент Турции Эрдоган, который беседовал с Макроном в четверг, призвал снять "
     "санкции.", False),
    ("Президент Сирии Ахмед аш-Шараа провел переговоры с премьер-министром Киром Стармером "
     "в Лондоне. Эрдоган, который тоже встречался со Стармером, призвал снять санкции.",
     False),
    # an untitled official who acts in a story naming one side is still that side's
    ("Turkey will resume gas exports next month. Energy Minister Ahmet Demir met "
     "al-Shaibani in Damascus on Monday.", True),
])
def test_the_partner_of_a_contact_is_not_the_subjects_side(matcher: Matcher, text: str,
                                                           contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("title", "when", "contact"), [
    # a chat on the sidelines and a body the two chair together are contacts
    ("Davutoglu, Muallem chat briefly at Tehran conference", BEFORE, True),
    ("Fidan and al-Shaibani to co-chair new economic council", AFTER, True),
    ("Фидан и аш-Шейбани будут сопредседателями экономического совета", AFTER, True),
    # with someone else, or a side alone
    ("Fidan chats with Lavrov about Syria in Antalya", AFTER, False),
    ("Сопредседателями форума стали Фидан и Лавров, речь шла о Сирии", AFTER, False),
    ("Turkey and Jordan to co-chair Syria donors' meeting", AFTER, False),
])
def test_a_chat_and_a_joint_chair_are_contacts(matcher: Matcher, title: str, when: datetime,
                                               contact: bool) -> None:
    assert found(matcher, title, CALM, when) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # meeting and talking told with a reflexive verb, the side a sentence back
    ("Аш-Шейбани прилетел в Эр-Рияд на конференцию. Там сирийский министр коротко увиделся "
     "с Фиданом.", True),
    ("Аш-Шейбани прилетел в Эр-Рияд на конференцию. В кулуарах он пообщался с Фиданом.",
     True),
    # with someone else
    ("Аш-Шейбани прилетел в Эр-Рияд на конференцию. В кулуарах он пообщался с Лавровым о "
     "Турции.", False),
])
def test_russian_reflexive_meeting_verbs(matcher: Matcher, text: str, contact: bool) -> None:
    assert found(matcher, "Итоги", text) is contact


@pytest.mark.parametrize(("text", "relation"), [
    # the outlet's own country before the cue, no side before it: the relation is its own,
    # whichever side the sentence next to it names
    ("Эрдоган говорил об армии в воскресенье. В Кремле заявили, что развивают отношения с "
     "новыми властями.", False),
    ("В новую армию вошли и отряды, действовавшие при поддержке Турции. В Москве заявили, "
     "что следят за развитием событий и поддерживают контакты с новыми властями.", False),
    # a side named before the cue is its subject, wherever it speaks
    ("Syria's new authorities welcomed the decision. In Moscow, Fidan said normalization "
     "would continue.", True),
])
def test_the_outlets_country_as_subject_owns_a_window_cue(matcher: Matcher, text: str,
                                                          relation: bool) -> None:
    assert found(matcher, "Round-up", text) is relation


@pytest.mark.parametrize(("text", "contact"), [
    # those who sponsor, host or broker an event take part in it, with the side attending
    ("A government delegation from Damascus joined the plenary as talks co-sponsored by "
     "Russia, Iran and Turkey opened in Astana.", True),
    ("Делегация Дамаска прибыла на переговоры при посредничестве России, Ирана и Турции.",
     True),
    # the side rejecting the event, the opposition attending, or the side only hosting
    ("The Syrian government boycotted the talks sponsored by Turkey and Qatar.", False),
    ("Assad criticized the talks sponsored by Turkey and Russia.", False),
    ("The Syrian opposition attended talks hosted by Turkey.", False),
])
def test_those_holding_an_event_take_part_in_it(matcher: Matcher, text: str,
                                                contact: bool) -> None:
    assert found(matcher, "Round-up", text, BEFORE) is contact


@pytest.mark.parametrize(("text", "relation"), [
    # the outlet's capital after "в" is where a side spoke, no pair with it
    ("Новые власти Сирии приветствовали решение. В Москве Фидан заявил, что нормализация "
     "продолжится.", True),
    # the outlet's country coordinated with the side still owns the cue
    ("Новые власти Сирии приветствовали решение. Москва и Анкара заявили, что нормализация "
     "их отношений продолжится.", False),
])
def test_the_outlets_capital_as_a_venue_is_no_pair(matcher: Matcher, text: str,
                                                   relation: bool) -> None:
    assert found(matcher, "Итоги", text) is relation


@pytest.mark.parametrize(("text", "contact"), [
    # a sentence-opening "his" is the last subject's, as "he" is
    ("Fidan flew to Doha for the forum. His meetings there included a session with "
     "al-Shaibani.", True),
    # someone else's, or a third party after it
    ("Lavrov flew to Doha for the forum. His meetings there included a session with "
     "al-Shaibani.", False),
    ("Fidan flew to Doha for the forum. His Qatari host later met al-Shaibani.", False),
])
def test_a_sentence_opening_his_is_the_last_subjects(matcher: Matcher, text: str,
                                                     contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # the two leaders at one table: a lunch, a dinner, a one-on-one
    ("Erdogan and al-Sharaa posed for photographers before a working lunch.", True),
    ("Erdogan gave a dinner in honour of al-Sharaa at Dolmabahce Palace.", True),
    ("Al-Sharaa and Erdogan then went into a one-on-one that lasted ninety minutes.", True),
    ("Эрдоган и аш-Шараа поужинали во дворце Долмабахче.", True),
    # one side at table with someone else
    ("Al-Sharaa dined with the emir of Qatar in Doha before flying on to Turkey.", False),
    ("Аш-Шараа поужинал с эмиром Катара в Дохе.", False),
])
def test_the_two_at_one_table(matcher: Matcher, text: str, contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # calls and messages in other words
    ("Erdogan telephoned Assad on Sunday evening.", True),
    ("Davutoglu rang Muallem late on Tuesday.", True),
    ("Erdogan was on the phone with Assad for an hour.", True),
    ("Erdogan and Assad exchanged messages on Eid.", True),
    # with someone else, about the other side
    ("Erdogan telephoned Putin about Syria on Sunday evening.", False),
    ("Assad rang Lavrov and exchanged messages with Tehran.", False),
])
def test_calls_and_messages_in_other_words(matcher: Matcher, text: str, contact: bool) -> None:
    assert found(matcher, "Round-up", text, datetime(2010, 5, 1, tzinfo=UTC)) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # the link repeated before the side listed after someone else: one sitting of the three
    ("Fidan flew to Moscow. There he sat down with Russia's Sergei Lavrov and with Asaad "
     "al-Shaibani, Syria's foreign minister.", True),
    ("Фидан прилетел в Москву. Там он встретился с Сергеем Лавровым и с министром "
     "иностранных дел Сирии Асаадом аш-Шейбани.", True),
    # someone else only
    ("Fidan flew to Moscow. There he sat down with Russia's Sergei Lavrov and with Iran's "
     "Abbas Araghchi to talk about Syria.", False),
])
def test_a_side_listed_after_a_repeated_link_is_a_co_participant(matcher: Matcher, text: str,
                                                                 contact: bool) -> None:
    assert found(matcher, "Round-up", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # a speech verb after a quote names its speaker, whom the article's one side fixes
    ("Сирийский фунт укрепился. «Мы ждем возвращения банков», — сказал министр экономики "
     "Нидаль Хаддад, вернувшийся с переговоров в Анкаре.", True),
    # a speech verb opening a clause takes its addressee
    ("Сирийский фунт укрепился. Эрдоган сказал премьер-министру Ливии Абдель Хамиду, что "
     "ждет возвращения банков.", False),
])
def test_a_speech_verb_after_a_quote_names_its_speaker(matcher: Matcher, text: str,
                                                       contact: bool) -> None:
    assert found(matcher, "Итоги", text) is contact


@pytest.mark.parametrize(("text", "contact"), [
    # a ministry's field between the office and a genitive side: that side's official
    ("Министр внутренних дел Турции подписал соглашение с министром местного "
     "самоуправления Сирии.", True),
    ("Управление гражданской авиации Турции договорилось с министерством гражданской "
     "авиации Сирии о рейсах.", True),
    # a field's noun with the side as a place
    ("Министр торговли Турции обсудил с коллегами рынок жилья Сирии.", False),
])
def test_more_ministry_fields_before_a_genitive_side(matcher: Matcher, text: str,
                                                     contact: bool) -> None:
    assert found(matcher, "Итоги", text) is contact
