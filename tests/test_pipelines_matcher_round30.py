"""Detection round 30, on the real topic file, written as variants of a miss dev_blind82 left
to the rules (measured first under round 29) rather than as a copy of the row: a third party
of two words ("Saudi Arabia") that an earlier verb took as its object is no subject of the
next verb ("Al-Sharaa visited Saudi Arabia and then flew to Ankara"), as a one-word name
("Riyadh") was not already; with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: al-Sharaa's first trips abroad, after 2024-12-08
TOUR = datetime(2025, 2, 12, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

CASES += dated("a_two_word_third_party_is_the_object_visited", [
    ("Al-Sharaa visited Saudi Arabia and then flew to Ankara.", TOUR, True),
    ("Al-Sharaa visited Saudi Arabia last week and flew to Ankara on Tuesday.", TOUR, True),
    ("Syria's interim president Ahmed al-Sharaa began his first foreign tour. He visited "
     "Saudi Arabia earlier this month and then flew to Ankara, where President Tayyip "
     "Erdogan pledged help with rebuilding.", TOUR, True),
    # the one-word name, as before
    ("Al-Sharaa visited Riyadh earlier this month and then flew to Ankara.", TOUR, True),
    # the third party is the one who travels
    ("Fidan hosted Saudi Arabia's foreign minister, who then flew to Damascus.", TOUR, False),
    ("Al-Sharaa met Saudi Arabia's crown prince, who later flew to Ankara.", TOUR, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round30_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(TOUR)(matcher, text, when, title="Briefing").matched is relation
