"""Detection round 17, one behaviour each, on the real topic file, written as variants of the
classes dev_blind12.jsonl and dev_blind13.jsonl showed rather than as copies of any row:
headline idioms of seeking or awaiting the other side, whose object stands in the possessive
between the idiom's two words ("knocking on Assad's door", "the ball is in Ankara's court");
and the near misses of each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import headline_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2022, 6, 1, tzinfo=UTC)

found = headline_reader(AFTER)


@pytest.mark.parametrize(("title", "when", "relation"), [
    # an idiom of seeking the other side, the side in the possessive inside it
    ("Kilicdaroglu: 'Erdogan is knocking on Assad's door'", BEFORE, True),
    ("Erdogan knocks on Damascus' door", AFTER, True),
    ("Mekdad: the ball is in Turkey's court", BEFORE, True),
    ("Fidan says the ball is now in Syria's court", AFTER, True),
    ("Эрдоган стучится в дверь Дамаска", AFTER, True),
    ("Мекдад: мяч на стороне Анкары", BEFORE, True),
    # the possessor is a third party, or the idiom is about people who are no side
    ("Erdogan knocks on Putin's door over Syria", AFTER, False),
    ("Erdogan: the ball is in Washington's court on Syria", AFTER, False),
    ("Turkish police knocking on Syrians' doors in Gaziantep", AFTER, False),
    ("Turkish police knocked on Syrian refugees' doors in Istanbul", AFTER, False),
    # the idiom's words apart, in their literal senses
    ("Turkish court jails Syrian smuggler", AFTER, False),
    ("Syrian ball boys at a Turkish court", AFTER, False),
])
def test_a_headline_idiom_holds_its_object_in_the_possessive(
        matcher: Matcher, title: str, when: datetime, relation: bool) -> None:
    assert found(matcher, title, when=when) is relation


SPOKE = "Turkish Foreign Minister Hakan Fidan spoke in Brussels on Tuesday."
ВЫСТУПИЛ = "Министр иностранных дел Турции Хакан Фидан выступил во вторник в Брюсселе."


@pytest.mark.parametrize(("text", "relation"), [
    # a quotation running over two sentences, its tag after the second: the first-person
    # words of the first are the speaker's, the last subject
    (f'{SPOKE} "Every step we take will be coordinated with the government in Damascus. We '
     'want no clash with anyone," the minister said.', True),
    (f'{SPOKE} "Our plans will be agreed with Damascus first."', True),
    (f"{ВЫСТУПИЛ} «Любые наши шаги будут согласованы с Дамаском. Войны мы не хотим», — "
     "сказал министр.", True),
    (f"{ВЫСТУПИЛ} «Мы согласуем эти шаги с правительством в Дамаске. Других планов нет».",
     True),
    # no quotation: "we" is the outlet's or anyone's
    (f"{SPOKE} Our correspondents say the plans will be agreed with Damascus.", False),
    (f"{ВЫСТУПИЛ} Наши источники говорят, что шаги согласуют с Дамаском.", False),
    # a quotation whose first-person word follows another party named inside it
    (f'{SPOKE} "Iraq says our plans will be agreed with Damascus."', False),
    # a quotation closed inside its sentence by someone else's tag is the tag's
    (f'{SPOKE} "Our plans will be agreed with Damascus," an Iraqi official said.', False),
])
def test_a_quotation_running_on_is_the_last_speakers(matcher: Matcher, text: str,
                                                     relation: bool) -> None:
    assert found(matcher, "Briefing", text) is relation
