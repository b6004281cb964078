"""Detection round 28, one behaviour each, on the real topic file, written as variants of the
classes dev_blind69 to dev_blind72 left to the rules (measured first under rounds 26 and 27,
which changed none of their verdicts) rather than as copies of any row: the speaker's own
neighbour in a quote ("we sat at the same table with our neighbour's defence minister");
the two neighbours a third party speaks of wherever its name stands ("… for the two
neighbours to work together, Putin said"; «сотрудничества двух соседних стран»), an old
accord proposed as a base («может служить базой для …»); each with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: Putin's Adana proposal, the Moscow talks, after 2024-12-08
ADANA = datetime(2019, 1, 24, tzinfo=UTC)
TALKS = datetime(2022, 12, 30, tzinfo=UTC)
AFTER = datetime(2025, 10, 9, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

AKAR = ("Turkish Defence Minister Hulusi Akar briefed reporters on his trip to Moscow, where "
        "Syria was discussed. \"For the first time in eleven years we sat at the same table "
        "with {} defence minister,\" Akar said.")
ABU_QASRA = ("Murhaf Abu Qasra, Syria's defence minister, gave an interview on Sunday. {}, "
             "which regards the SDF as an offshoot of the PKK, has threatened to act. Abu Qasra "
             "said the ministry was negotiating with our northern neighbour a training package.")

CASES += dated("the_speakers_own_neighbour", [
    (AKAR.format("our neighbour's"), TALKS, True),
    (ABU_QASRA.format("Turkey"), AFTER, True),
    # someone else's minister; the neighbour is someone else's (Iraq's, said by Iraq)
    (AKAR.format("Russia's"), TALKS, False),
    ("Iraq's foreign minister said Baghdad was negotiating with our northern neighbour on "
     "water, as Syria's war went on.", AFTER, False),
])

KREMLIN = ("Vladimir Putin hosted Recep Tayyip Erdogan in the Kremlin on Wednesday for talks on "
           "Idlib and north-eastern Syria. The 1998 agreement signed in Adana could serve as "
           "the basis for the two neighbours to work together on security, {} said.")
KREMLIN_RU = ("Владимир Путин принял в Кремле Реджепа Тайипа Эрдогана; говорили об Идлибе и "
              "северо-востоке Сирии. Соглашение 1998 года может служить базой для "
              "сотрудничества двух соседних стран, сказал {}.")

CASES += dated("the_two_neighbours_a_third_party_speaks_of", [
    (KREMLIN.format("Putin"), ADANA, True),
    (KREMLIN_RU.format("Путин"), ADANA, True),
    # the speaker is one of the two: their own pair
    (KREMLIN.format("Erdogan"), ADANA, False),
    (KREMLIN_RU.format("Эрдоган"), ADANA, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round28_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation
