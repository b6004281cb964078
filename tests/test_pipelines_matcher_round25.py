"""Detection round 25, one behaviour each, on the real topic file, written as variants of the
classes dev_blind49 to dev_blind52 left to the rules (coreference across sentences most of
all) rather than as copies of any row: an object pronoun after a cue's link ("talks with
him", «переговорил с ним») as the last subject; Syria's "interim authorities" after the fall
of Assad; a call promised ("would phone Assad"); the ministers of a format convening
(«собрались»); the last of a list of guests after "as well as"; an olive branch hinted at;
"the head of state" after a time phrase («В тот же день глава государства …»); an office
word after a closing phrase («В конце министр …»); joining a meeting by phone; each with its
near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: the Moscow talks, the 2023 campaign, after 2024-12-08
TALKS = datetime(2023, 1, 18, tzinfo=UTC)
CAMPAIGN = datetime(2023, 5, 6, tzinfo=UTC)
AFTER = datetime(2025, 9, 1, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

ABBAS = ("Syria's defence minister Ali Mahmoud Abbas led the delegation. {} said the talks "
         "with {} were businesslike.")
ABBAS_RU = ("Сирийскую делегацию возглавлял министр обороны Али Махмуд Аббас. По словам {}, "
            "разговор с {} шел о курдских отрядах.")

CASES += dated("an_object_pronoun_after_the_link", [
    (ABBAS.format("Akar", "him"), TALKS, True),
    (ABBAS_RU.format("Акара", "ним"), TALKS, True),
    ("Министр иностранных дел Сирии Фейсал Мекдад был в Белграде. Мевлют Чавушоглу "
     "признался, что коротко переговорил с ним там в кулуарах.", TALKS, True),
    # the speaker is a third party's
    (ABBAS.format("Shoigu", "him"), TALKS, False),
    (ABBAS_RU.format("Шойгу", "ним"), TALKS, False),
])

KURUM = "Murat Kurum, Turkey's urbanisation minister, signed a protocol with {}."

CASES += dated("interim_authorities_after_assad", [
    (KURUM.format("the interim authorities"), AFTER, True),
    ("Министр Мурат Курум подписал протокол с временными властями о восстановлении жилья.",
     AFTER, True),
    # another country's interim authorities
    (KURUM.format("Bangladesh's interim authorities"), AFTER, False),
])

CASES += dated("a_call_promised", [
    ("Candidate Kemal Kilicdaroglu said he would phone Assad on his first day.", CAMPAIGN,
     True),
    # a call to a third party about Syria; a handset
    ("Kilicdaroglu said he would phone Putin to discuss Syria.", CAMPAIGN, False),
    ("Turkish phone operators expanded coverage in northern Syria.", CAMPAIGN, False),
])

CASES += dated("a_format_convening", [
    ("The foreign ministers of Russia, Iran, Syria and Turkey convened in Moscow on "
     "Wednesday.", CAMPAIGN, True),
    ("Министры иностранных дел России, Ирана, Сирии и Турции собрались в среду в Москве.",
     CAMPAIGN, True),
    # the format without Syria, talking about it; people, not governments
    ("The foreign ministers of Russia, Iran and Turkey convened in Moscow to discuss Syria.",
     CAMPAIGN, False),
    ("Министры иностранных дел Ирана, Ирака и Турции собрались в Анкаре, чтобы обсудить "
     "Сирию.", CAMPAIGN, False),
    ("Syrian refugees convened outside the Turkish consulate in Gaziantep.", CAMPAIGN, False),
])

VALVE = ("Turkish Energy Minister Alparslan Bayraktar opened the valve at a ceremony attended "
         "by {}, as well as officials from Azerbaijan and Qatar.")

CASES += dated("the_last_guest_after_as_well_as", [
    (VALVE.format("Syria's energy minister, Mohammad al-Bashir"), AFTER, True),
    # the guests are all third parties
    (VALVE.format("Iraq's energy minister"), AFTER, False),
])


OLIVE = datetime(2022, 8, 12, tzinfo=UTC)

CASES += dated("an_olive_branch_hinted_at", [
    ("Lira slides as Ankara hints at olive branch to Assad", OLIVE, True),
    # to someone else, or a hand to a third party over Syria
    ("Erdogan signals olive branch to Kurds in Syria", OLIVE, False),
    ("Ankara signals a hand of friendship to Iraq over Syria talks", OLIVE, False),
])


SHARAA_RU = ("Президент Сирии Ахмед аш-Шараа принял в Дамаске саудовских бизнесменов. В тот же "
             "день глава государства провел телефонный разговор с {} лидером.")
SHARAA = ("Syrian President Ahmed al-Sharaa met Saudi investors in Damascus. Later that day "
          "the head {} held a phone call with the Turkish leader.")

CASES += dated("the_head_of_state_later_that_day", [
    (SHARAA_RU.format("турецким"), AFTER, True),
    (SHARAA.format("of state"), AFTER, True),
    # a call with a third party; the head of someone else's delegation
    (SHARAA_RU.format("иорданским"), AFTER, False),
    (SHARAA.format("of the Saudi delegation"), AFTER, False),
])

CLOSING_RU = ("Министр энергетики Турции Алпарслан Байрактар выступил на форуме в Стамбуле. В "
              "конце министр сообщил, что отправится в {}, где вместе с {} властями подпишет "
              "документы о поставках газа.")

CASES += dated("the_minister_closing_a_speech", [
    (CLOSING_RU.format("Дамаск", "новыми"), AFTER, True),
    (CLOSING_RU.format("Багдад", "иракскими"), AFTER, False),
])

RIYADH = ("US President Donald Trump met {} in Riyadh on Wednesday. Turkish President Tayyip "
          "Erdogan joined by phone.")

CASES += dated("joining_by_phone", [
    (RIYADH.format("Syria's interim President Ahmed al-Sharaa"), AFTER, True),
    # a meeting without the other side
    (RIYADH.format("Saudi Crown Prince Mohammed bin Salman"), AFTER, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round25_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation
