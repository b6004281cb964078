"""Detection round 22, one behaviour each, on the real topic file, written as variants of the
classes dev_blind32, dev_blind33 and dev_blind34 showed rather than as copies of any row: an
event told before named at a clause's close ("— заявил он по итогам встречи"); "his
counterpart" after "his Jordanian counterpart"; the outlet's own no given name ("tells Putin
Damascus must …"); «Сирийских демократических сил» a name; tour operators no government; a
third party closing a list "alongside" opens; a passive clause with no office word ("No
agreement has been signed with Turkey"); "the ministers" named one by one; a field word
before an office ("Syria's tourism minister"); a ribbon cut together; mediation in a
country; each with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: before 2024-12-08 (2012, 2019) and after
EARLY = datetime(2012, 7, 1, tzinfo=UTC)
BEFORE = datetime(2019, 10, 11, tzinfo=UTC)
AFTER = datetime(2025, 6, 1, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []


CASES += dated("an_event_told_before_closing_a_clause", [
    # the meeting is the one told before (with the opposition): "the regime" in the quote is
    # no party of it
    ("Премьер-министр Турции Эрдоган принял в Анкаре делегацию сирийской оппозиции. «Режим "
     "доживает последние дни», — заявил он по итогам встречи.", EARLY, False),
    ("Erdogan received leaders of the Syrian opposition in Ankara. \"The regime's days are "
     "numbered,\" he said after the meeting.", EARLY, False),
    # the meeting names its party, or the one told before is the pair's
    ("«Мы договорились продолжить контакты», — заявил Эрдоган по итогам встречи с Асадом.",
     EARLY, True),
    ("\"We agreed to keep in touch,\" Erdogan said after the meeting with Assad.", EARLY,
     True),
    ("Давутоглу встретился в Дамаске с Асадом. «Режим должен прекратить насилие», — заявил "
     "он по итогам встречи.", EARLY, True),
])


CASES += dated("his_counterpart_last_qualified_by_a_third_country", [
    # "his Jordanian counterpart" fixed the counterpart; Syria named as the talks' topic
    ("Turkish Foreign Minister Hakan Fidan hosted his Jordanian counterpart in Ankara for "
     "talks dominated by Syria. Fidan said his counterpart had recently visited Damascus.",
     AFTER, False),
    ("Глава МИД Турции Хакан Фидан принял в Анкаре своего иранского коллегу для переговоров "
     "по Сирии. Фидан сообщил, что его коллега недавно посетил Дамаск.", AFTER, False),
    # the counterpart qualified as the other side's, or the other side named since
    ("Глава МИД Турции Хакан Фидан принял в Анкаре своего сирийского коллегу для "
     "переговоров. Фидан сообщил, что его коллега недавно посетил Дамаск.", AFTER, True),
    ("Turkish Foreign Minister Hakan Fidan hosted his Jordanian counterpart in Ankara for "
     "talks on Syria. Syria's foreign minister Asaad al-Shaibani arrived the next day. Fidan "
     "told his counterpart that Turkey would help.", AFTER, True),
    ("Turkish Foreign Minister Hakan Fidan hosted his Jordanian counterpart in Ankara for "
     "talks dominated by Syria. Fidan later flew to Damascus, where he told his counterpart "
     "that Turkey would help.", AFTER, True),
])


CASES += dated("the_outlet's_own_is_no_given_name", [
    # "Putin" is whom he told, not a given name of "Damascus": the side is the message's
    ("Erdogan tells Putin Damascus must stop bombing Idlib", BEFORE, False),
    ("Erdogan told Putin Assad must stop the offensive on Idlib.", BEFORE, False),
    ("Эрдоган заявил Путину Дамаск должен прекратить удары по Идлибу.", BEFORE, False),
    # the other side's official told, whatever the tone
    ("Erdogan tells Assad's envoy Damascus must stop bombing Idlib", BEFORE, True),
    ("Cavusoglu tells Mekdad Ankara wants calm on the border", BEFORE, True),
])


CASES += dated("a_russian_name_opened_by_a_side's_adjective", [
    # «Сирийских демократических сил» is the SDF (a name: only its first word capitalized),
    # no half of «стороны» read later
    ("Турецкие беспилотники атаковали позиции Сирийских демократических сил у Кобани. Анкара "
     "не комментировала удары. Американские военные призвали стороны соблюдать договоренность "
     "о прекращении огня.", AFTER, False),
    ("Turkish drones struck positions of the Syrian Democratic Forces near Kobani. Ankara did "
     "not comment. US officers urged the sides to respect the ceasefire agreement.", AFTER,
     False),
    # the two governments named before «стороны»
    ("Турецкие беспилотники атаковали позиции курдов у Кобани. Власти Сирии и Анкара провели "
     "переговоры. Стороны договорились соблюдать договоренность о прекращении огня.", AFTER,
     True),
    ("Министр обороны Турции принял в Анкаре министра обороны Сирии. Стороны договорились о "
     "совместной работе против Сирийских демократических сил.", AFTER, True),
])


CASES += dated("the_travel_trade_is_no_government", [
    ("Турецкие туроператоры фиксируют рост спроса на поездки в Сирию.", AFTER, False),
    ("Turkish tour operators report rising demand for trips to Syria.", AFTER, False),
    # a government's step named next to them
    ("Турецкие туроператоры фиксируют рост спроса на поездки в Сирию после того, как министр "
     "торговли Турции посетил Дамаск.", AFTER, True),
    ("Turkish officials report rising demand for trips to Syria after the two governments "
     "agreed to resume flights.", AFTER, True),
])


CASES += dated("a_list_a_companion_phrase_opens", [
    # the other side's official first in the list after "alongside", a third party after:
    # all took part
    ("At the signing in Damascus, Syria's energy minister Mohammad al-Bashir sat alongside "
     "Turkish Energy Minister Alparslan Bayraktar and Qatari officials.", AFTER, True),
    ("Министр энергетики Сирии подписал соглашение вместе с Алпарсланом Байрактаром и "
     "катарскими чиновниками.", AFTER, True),
    # the list holds no official of the other side, or the side is what was discussed
    ("At the signing in Doha, Syria's energy minister sat alongside Qatari officials and "
     "Turkish businessmen.", AFTER, False),
    ("At the signing in Doha, Turkish Energy Minister Alparslan Bayraktar sat alongside "
     "Qatari officials and discussed Syria's power plants.", AFTER, False),
])


CASES += dated("a_passive_clause_naming_no_office", [
    # the agent is the last subject, the other side, though no office word is read here
    ("Syria's information ministry denied on Tuesday reports about foreign air bases. \"No "
     "defence agreement has been signed with Turkey. Talks are continuing,\" a spokesman "
     "said.", AFTER, True),
    ("Министерство информации Сирии во вторник опровергло сообщения об иностранных базах. "
     "«Никаких соглашений не было подписано с Турцией», — заявил представитель.", AFTER,
     True),
    # the last subject a third party or no government, or the object a third party
    ("Qatar's information ministry denied on Tuesday reports about foreign air bases. \"No "
     "defence agreement has been signed with Turkey,\" a spokesman said.", AFTER, False),
    ("Syrian refugees protested in Gaziantep on Monday. \"No agreement has been signed with "
     "Turkey,\" a spokesman said.", AFTER, False),
    ("Syria's information ministry denied on Tuesday reports about foreign air bases. \"No "
     "defence agreement has been signed with Qatar,\" a spokesman said.", AFTER, False),
])


CASES += dated("the_ministers_named_one_by_one", [
    # each side's minister named in a sentence of its own: "the ministers" are the two
    ("Министр образования Турции принял участие в открытии кампуса. На церемонии "
     "присутствовал министр высшего образования Сирии. Министры договорились о признании "
     "дипломов.", AFTER, True),
    ("Turkey's education minister attended the opening of the campus. Syria's education "
     "minister was also present. The ministers agreed to recognise diplomas.", AFTER, True),
    # a third party's minister among them, or one side's only
    ("Turkey's education minister met Qatar's education minister in Doha. Syria's higher "
     "education minister was not there. The ministers agreed to recognise diplomas.", AFTER,
     False),
    ("Министр образования Турции встретился в Дохе с министром образования Катара. Министр "
     "образования Сирии в Дохе не был. Министры договорились о признании дипломов.", AFTER,
     False),
    ("Turkey's education minister spoke about Syrian students on Monday. The ministers "
     "agreed to raise scholarships.", AFTER, False),
])


CASES += dated("a_field_word_before_an_office", [
    # "tourism" names the minister's field, not the trade: the minister is an official
    ("Syria's tourism minister and Turkey's trade minister inaugurated the hotel.", AFTER,
     True),
    # the trade itself, or a word that is no field
    ("Syria's tourism revenue and Turkey's exports both rose, the ministers said.", AFTER,
     False),
    ("Syrian Kurdish leaders and Turkey's trade minister attended the ceremony in Erbil.",
     AFTER, False),
])


CASES += dated("a_ribbon_cut_together", [
    ("Among the guests at the ribbon-cutting were Syria's tourism minister and Turkey's trade "
     "minister Omer Bolat.", AFTER, True),
    ("Министр туризма Сирии и министр торговли Турции перерезали ленточку.", AFTER, True),
    # people who are no officials, one side's official only, or a third party's
    ("Among the guests at the ribbon-cutting were Syrian and Turkish businessmen.", AFTER,
     False),
    ("Turkey's trade minister attended a ribbon-cutting in Gaziantep with Syrian "
     "businessmen.", AFTER, False),
    ("Министр торговли Турции и министр экономики Катара перерезали ленточку на ярмарке в "
     "Сирии.", AFTER, False),
])


CASES += dated("mediation_in_a_country", [
    # the conflict's place, not a party
    ("Турецкий МИД отметил, что Анкара уже использовала опыт посредничества в Сирии, где "
     "работает с Россией.", BEFORE, False),
    ("The Turkish foreign ministry said Ankara had drawn on its experience of mediation in "
     "Syria, where it works with Russia.", BEFORE, False),
    # mediation between the two
    ("Москва предложила посредничество в диалоге между Анкарой и Дамаском.", BEFORE, True),
    ("Russia offered mediation between Ankara and Damascus.", BEFORE, True),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round22_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation
