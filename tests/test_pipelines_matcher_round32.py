"""Detection round 32, on the real topic file, written as variants of misses and false
alarms the rules left in development files (dev_blind72 to 88) and in dev_blind90 and 92
(each measured first) rather than as copies of the rows: a body named in the genitive
between an office and its country, a mission "in" a capital, a pronoun coordinated with the
other side, the partner a relative pronoun stands for after a list, an act the two held or
did together, "too" before a partner; and the traps next to them: "the two sides" of
another pair, ties with people, a party absent ("without Damascus"), a noun cue's own pair
in the Russian genitive."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader, headline_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: after the fall of Assad: visits count, the interim government is Syria's side
AFTER = datetime(2025, 8, 4, tzinfo=UTC)
#: the Assad years
BEFORE = datetime(2023, 4, 27, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

CASES += dated("a_body_named_between_an_office_and_its_country", [
    ("Хакан Фидан встретился с главой Бюро национальной безопасности Сирии Али Мамлюком.",
     BEFORE, True),
    ("Глава турецкой разведки Хакан Фидан прилетел в Москву. По данным агентства, там он "
     "встретился с главой Бюро национальной безопасности Сирии Али Мамлюком.", BEFORE, True),
    # the body is another country's
    ("Хакан Фидан встретился с главой Бюро национальной безопасности Ирака.", BEFORE, False),
])

CASES += dated("a_mission_in_the_other_sides_capital", [
    ("Turkey named a senior diplomat as charge d'affaires in Damascus.", AFTER, True),
    ("Turkey will soon name an ambassador in Damascus, Fidan said.", AFTER, True),
    # someone else's mission there
    ("Russia's ambassador in Damascus said Turkey must withdraw.", AFTER, False),
    ("Turkey must withdraw, Russia's ambassador in Damascus said.", AFTER, False),
])

CASES += dated("a_pronoun_coordinated_with_the_other_side", [
    ("Hulusi Akar, who also flew to the Russian capital for the session, later told Turkish "
     "reporters that the Syrian minister and he had agreed their staffs would keep working.",
     BEFORE, True),
    ("Akar spoke to reporters in Moscow. He said the Syrian minister and he had agreed to "
     "keep working.", BEFORE, True),
    # the speaker is someone else
    ("Putin spoke in Moscow. He said the Syrian minister and he had agreed to keep working.",
     BEFORE, False),
])

CASES += dated("whom_after_a_list_is_the_last_listed", [
    ("Среди гостей — президент Азербайджана Ильхам Алиев, премьер Пакистана и переходный "
     "президент Сирии Ахмед аш-Шараа, которого Реджеп Тайип Эрдоган принял в отдельном "
     "формате.", AFTER, True),
    ("Among the guests were Azerbaijan's Ilham Aliyev, Pakistan's prime minister and Syria's "
     "interim president Ahmed al-Sharaa, whom Erdogan received separately.", AFTER, True),
    # the one received is someone else
    ("Among the guests were Syria's al-Sharaa and Azerbaijan's Ilham Aliyev, whom Erdogan "
     "received separately.", AFTER, False),
])

CASES += dated("an_act_the_two_held_or_did_together", [
    ("Церемонию запуска провели министр энергетики Турции Альпарслан Байрактар и сирийский "
     "министр энергетики Мухаммед аль-Башир в присутствии представителей Азербайджана и "
     "Катара.", AFTER, True),
    ("Министр энергетики Турции Алпарслан Байрактар повернул вентиль вместе с министром "
     "энергетики Сирии Мухаммедом аль-Баширом.", AFTER, True),
    ("Министр энергетики Турции Алпарслан Байрактар повернул вентиль на газоизмерительной "
     "станции вместе с гостем — министром энергетики переходного правительства Мухаммедом "
     "аль-Баширом.", AFTER, True),
    # others with one side, or no officials
    ("Эрдоган вместе с Путиным осудил удары по Сирии.", AFTER, False),
    ("Эрдоган и Путин провели встречу в Сочи, сообщили сирийские СМИ.", AFTER, False),
])

CASES += dated("too_before_the_partner", [
    ("Премьер-министр Турции Бинали Йылдырым заявил, что после Израиля и России Анкара "
     "рассчитывает нормализовать отношения и с Сирией.", datetime(2016, 7, 14, tzinfo=UTC),
     True),
    # another partner
    ("Премьер-министр Турции Бинали Йылдырым заявил, что после Израиля и России Анкара "
     "рассчитывает нормализовать отношения и с Египтом, несмотря на войну в Сирии.",
     datetime(2016, 7, 14, tzinfo=UTC), False),
])

CASES += dated("the_two_sides_of_another_pair", [
    ("Saudi Arabia's foreign minister met Bashar al-Assad in Damascus, the first such visit "
     "since 2011.\n\nThe two sides discussed restoring ties and Syria's return to the Arab "
     "League.\n\nTurkey, which backs opposition factions in the north, had no immediate "
     "comment.", BEFORE, False),
    # the two the article named are the sides
    ("Erdogan and Syria's prime minister laid the foundation of a dam on the Orontes.\n\nThe "
     "Turkish prime minister arrived by helicopter; his Syrian opposite number drove up from "
     "Damascus.\n\nThe two premiers called the project a symbol of a decade of "
     "rapprochement.", datetime(2011, 2, 7, tzinfo=UTC), True),
])

CASES += dated("ties_with_people_are_no_relation", [
    ("About 500,000 Syrians have returned home from Turkey since December, the interior "
     "minister said.\n\nReturnees told reporters they were rebuilding ties with relatives "
     "who had stayed behind.", AFTER, False),
])

CASES += dated("a_party_absent_is_no_party", [
    ("Лавров, Фидан и Аракчи обсудили Сирию без Дамаска.", BEFORE, False),
    ("Russia, Iran and Turkey held talks on Syria without Damascus in Astana.", BEFORE, False),
    # someone else absent
    ("Fidan met al-Shaibani in Ankara without aides present.", AFTER, True),
])

CASES += dated("a_russian_noun_cues_own_pair_in_the_genitive", [
    ("Фидан приветствовал диалог Москвы и Дамаска.", AFTER, False),
    # the pair is the two sides
    ("Диалог Анкары и Дамаска возобновился.", AFTER, True),
    # a name in apposition is no genitive pair
    ("В церемонии участвовали министр энергетики Турции Алпарслан Байрактар, его сирийский "
     "коллега Мухаммед аль-Башир и представители Катарского фонда развития.", AFTER, True),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round32_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation


#: (headline, date, relation)
HEADLINES = [
    ("Лавров, Фидан и Аракчи обсудили Сирию без Дамаска", BEFORE, False),
    ("Фидан приветствовал диалог Москвы и Дамаска", AFTER, False),
    ("Turkey names charge d'affaires in Damascus", AFTER, True),
]


@pytest.mark.parametrize(("title", "when", "relation"), HEADLINES)
def test_round32_headline(matcher: Matcher, title: str, when: datetime,
                          relation: bool) -> None:
    assert headline_reader(AFTER)(matcher, title, when=when) is relation
