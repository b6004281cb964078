"""Detection round 29, one behaviour each, on the real topic file, written as variants of the
classes dev_blind78 and dev_blind79 left to the rules (measured first under round 28) rather
than as copies of any row: the side a speaker was asked about, meant by his pronouns later in
that sentence or the next ("Asked about Syria, Erdogan said he had invited its president";
«ответил на вопрос о президенте Сирии. … он предложил ему встречу»); a brief exchange with
the other side's minister; a venue between a meeting and its partner ("met in Moscow with
…"); landing at the other side's airport; the opposition's «временное правительство» before
December 2024; each with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: the Moscow intelligence talks, Erdogan's 2024 offers,
#: the Belgrade chat's report, after 2024-12-08
MOSCOW = datetime(2020, 1, 14, tzinfo=UTC)
OFFERS = datetime(2024, 7, 12, tzinfo=UTC)
BELGRADE = datetime(2022, 8, 13, tzinfo=UTC)
AFTER = datetime(2025, 2, 5, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

ASKED = ("Erdogan spoke to reporters on the plane back from the summit. Asked about {}, "
         "Erdogan said {} had invited its president to come to Turkey or to meet in a third "
         "country.")
ASKED_RU = ("Эрдоган выступил на пресс-конференции по итогам саммита. Отдельно он ответил на "
            "вопрос журналистов о президенте {} Башаре Асаде. По его словам, {} предложил ему "
            "провести встречу в Турции или в третьей стране.")

CASES += dated("the_side_a_speaker_was_asked_about", [
    (ASKED.format("Syria", "he"), OFFERS, True),
    (ASKED_RU.format("Сирии", "он"), OFFERS, True),
    ("Когда речь зашла о Сирии, Эрдоган сказал, что может пригласить ее президента в любой "
     "момент.", OFFERS, True),
    ("Asked about Syria, the prime minister said he was sure Turkey would return to normal "
     "relations with it as well.", OFFERS, True),
    # asked about someone else: its president is no side
    (ASKED.format("Iraq", "he"), OFFERS, False),
    # someone else named before the pronoun may be the one meant
    ("Asked about Syria, Erdogan said Putin had told him that talks were possible.", OFFERS,
     False),
    ("Asked about Syria, Erdogan said the Kremlin had told him that talks were possible.",
     OFFERS, False),
    # two sentences on, the question is over
    ("Asked about Syria, Erdogan spoke of refugees. He then turned to gas prices. He said "
     "Turkey would invite him to the opening.", OFFERS, False),
])

CASES += dated("a_brief_exchange_with_the_other_side", [
    ("Mevlut Cavusoglu addressed the ambassadors' conference in Ankara. Cavusoglu also told "
     "the ambassadors that he had a brief exchange with Mekdad on the sidelines of a meeting "
     "in Belgrade.", BELGRADE, True),
    # fire exchanged is no contact
    ("Turkish troops had a brief exchange of fire with Syrian army units near Manbij.",
     BELGRADE, False),
    ("Turkish and Syrian troops had a brief exchange of fire near Manbij.", BELGRADE, False),
])

CASES += dated("a_venue_between_a_meeting_and_its_partner", [
    ("Ali Mamlouk met on Monday in Moscow with the head of Turkey's intelligence "
     "organization Hakan Fidan, in a meeting hosted by the Russian side, sources said.",
     MOSCOW, True),
    ("Mamlouk met in Moscow with Fidan.", MOSCOW, True),
    # the partner after the venue is someone else
    ("Erdogan met in Moscow with Putin to discuss Syria.", MOSCOW, False),
    ("Fidan met in Doha with the Qatari emir to discuss Syria's future.", AFTER, False),
])

CASES += dated("landing_at_the_other_sides_airport", [
    ("Ahmed al-Sharaa, who was named Syria's interim president last week, landed at Ankara's "
     "Esenboga Airport on Tuesday afternoon.", AFTER, True),
    ("Turkish Foreign Minister Hakan Fidan landed at Damascus International Airport on "
     "Sunday.", AFTER, True),
    # people who are no officials
    ("Syrian refugees landed at Istanbul's airport on Tuesday.", AFTER, False),
    ("A Syrian Airlines plane landed at Istanbul airport.", AFTER, False),
])

DELEGATION = ("Министр иностранных дел Турции {} принял в Анкаре делегацию сирийского "
              "временного правительства.")

CASES += dated("the_interim_government_in_russian", [
    # before 2024-12-08 the "Syrian Interim Government" was the opposition's body in Azaz
    (DELEGATION.format("Мевлют Чавушоглу"), MOSCOW, False),
    (DELEGATION.format("Хакан Фидан"), AFTER, True),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round29_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation
