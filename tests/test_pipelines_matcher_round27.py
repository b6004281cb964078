"""Detection round 27, one behaviour each, on the real topic file, written as variants of the
classes dev_blind61 to dev_blind68 still left to the rules after round 26 rather than as
copies of any row: a side's mission reopened where the sentence before placed it ("… in
Damascus. Turkey's embassy reopened on Saturday"); a mediator helping an old accord work now
("Russia will facilitate the implementation of the 1998 Adana agreement"); who was in the
room ("Among those in the hall were …"); each with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: the Sochi memorandum, the week after 2024-12-08, a 2025
#: summit
SOCHI = datetime(2019, 10, 23, tzinfo=UTC)
REOPENING = datetime(2024, 12, 16, tzinfo=UTC)
SUMMIT = datetime(2025, 9, 15, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

CAPITALS = "Foreign capitals are moving to re-establish themselves in {}. {} reopened on Saturday."
CAPITALS_RU = "Иностранные дипломаты возвращаются в {}. {} в субботу вновь открыло двери."

CASES += dated("a_mission_reopened_where_the_sentence_before_placed_it", [
    (CAPITALS.format("Damascus", "Turkey's embassy"), REOPENING, True),
    (CAPITALS_RU.format("Дамаск", "Турецкое посольство"), REOPENING, True),
    # someone else's mission; a mission in a third capital; no mission at all
    (CAPITALS.format("Damascus", "Qatar's embassy"), REOPENING, False),
    (CAPITALS.format("Tripoli", "Turkey's embassy"), REOPENING, False),
    (CAPITALS.format("Damascus", "Turkey's airspace"), REOPENING, False),
])

ADANA = "Under the memorandum, Russia will {} the 1998 Adana agreement between Turkey and Syria."
ADANA_RU = "Россия будет {} Аданского соглашения 1998 года между Турцией и Сирией."

CASES += dated("a_mediator_helping_an_old_accord_work", [
    (ADANA.format("facilitate the implementation of"), SOCHI, True),
    (ADANA_RU.format("содействовать реализации"), SOCHI, True),
    # the accord quoted as a yardstick
    (ADANA.format("cite its rights under"), SOCHI, False),
    (ADANA_RU.format("ссылаться на положения"), SOCHI, False),
])

HALL = ("Leaders met in Doha on Monday for an emergency summit. Among those in the hall were "
        "Turkish President Recep Tayyip Erdogan, {} and Iraqi Prime Minister Mohammed Shia "
        "al-Sudani.")

CASES += dated("who_was_in_the_room", [
    (HALL.format("Syria's interim president Ahmed al-Sharaa"), SUMMIT, True),
    ("Лидеры собрались в Дохе на экстренный саммит. Среди присутствовавших были президент "
     "Турции Реджеп Тайип Эрдоган и президент Сирии Ахмед аш-Шараа.", SUMMIT, True),
    # the other side absent from the room
    (HALL.format("Iranian President Masoud Pezeshkian"), SUMMIT, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round27_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(REOPENING)(matcher, text, when, title="Briefing").matched is relation
