"""Detection round 12, one behaviour each, on the real topic file, written as variants of
earlier mechanisms rather than as copies of any row: a contrastive clause ("…, while",
"…, а") parts the parties as a semicolon does; a leader's stance with "new Syria" after
2024-12-08; capitals as joint actors of "сверяют позиции"; awaiting the other leader's
answer; a hyphenated pair's trade target after 2024-12-08; and the near misses of each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2019, 5, 1, tzinfo=UTC)
#: when Ankara sought a meeting with Assad
WAIT = datetime(2022, 12, 1, tzinfo=UTC)

body = body_reader(AFTER)


def found(matcher: Matcher, title: str, text: str = "The lira was steady.",
          when: datetime = AFTER) -> bool:
    return body(matcher, text, when, title=title).matched


@pytest.mark.parametrize(("title", "text"), [
    ("Erdogan hailed a new chapter for Turkey's economy, while Syria's pound fell",
     "The lira was steady."),
    ("Erdogan hailed a new chapter for Turkey's economy, whereas Syria's pound fell",
     "The lira was steady."),
    ("Erdogan hailed a new chapter for Turkey's economy, while the Syrian pound fell",
     "The lira was steady."),
    ("Round-up", "Эрдоган объявил о новой эре для экономики Турции, а сирийский фунт упал."),
    ("Round-up", "Турция восстановит отношения с ЕС, а Сирия ввела пошлины."),
    ("Round-up", "Эрдоган призвал к нормализации экономики Турции, в то время как Сирия ввела "
                 "пошлины."),
])
def test_a_contrastive_clause_parts_the_parties(matcher: Matcher, title: str, text: str) -> None:
    assert not found(matcher, title, text)


@pytest.mark.parametrize(("title", "text"), [
    ("Erdogan met Sharaa in Ankara, while their ministers signed trade deals",
     "The lira was steady."),
    ("Erdogan hosted Sharaa while in Ankara", "The lira was steady."),
    ("Turkey and Syria agreed to reopen embassies, while Iraq stayed out",
     "The lira was steady."),
    ("Round-up", "Эрдоган встретился с аш-Шараа, а министры подписали соглашения."),
    ("Round-up", "Турция и Сирия восстановят отношения, а Ирак против."),
    # an additive conjunction, or a clause whose verb comes before any subject, shares the
    # first clause's subject
    ("Round-up", "Эрдоган обсудил торговлю, а также отношения с Сирией."),
    ("Round-up", "Турецкий лидер поддержал экономику, а также нормализацию с Дамаском."),
    ("Round-up", "Эрдоган прибыл в Баку, а затем посетит Дамаск."),
    ("Round-up", "Эрдоган прибыл в Баку, а вечером посетит Дамаск."),
])
def test_a_contact_within_one_clause_still_counts(matcher: Matcher, title: str,
                                                  text: str) -> None:
    assert found(matcher, title, text)


@pytest.mark.parametrize("title", [
    "Erdogan: Turkey stands with new Syria", "Fidan: Ankara stands by new Syria",
])
def test_a_leaders_stance_with_the_new_government_after_the_fall(matcher: Matcher,
                                                                  title: str) -> None:
    assert found(matcher, title)


@pytest.mark.parametrize(("title", "when"), [
    ("Erdogan: Turkey stands with new Syria", BEFORE),
    ("Erdogan: Turkey stands with Syrian people", AFTER),
    ("Erdogan: Turkey stands with Ukraine", AFTER),
])
def test_no_stance_toward_the_government_or_before_the_fall(matcher: Matcher, title: str,
                                                            when: datetime) -> None:
    assert not found(matcher, title, when=when)


@pytest.mark.parametrize("title", [
    "Анкара и Дамаск сверяют позиции", "Турция и Сирия сверяют позиции",
    "Анкара и Дамаск сверяют часы",
])
def test_capitals_as_joint_actors_of_a_coordination_verb(matcher: Matcher, title: str) -> None:
    assert found(matcher, title, "Рынки спокойны.")


@pytest.mark.parametrize("title", [
    "Анкара и Багдад сверяют позиции", "Анкара и Москва сверяют позиции по Сирии",
])
def test_a_coordination_with_a_third_party_is_no_contact(matcher: Matcher, title: str) -> None:
    assert not found(matcher, title, "Рынки спокойны.")


@pytest.mark.parametrize("title", [
    "Эрдоган ждет ответа Асада", "Erdogan awaits Assad's answer",
    "Erdogan awaits answer from Assad",
])
def test_awaiting_the_other_leaders_answer(matcher: Matcher, title: str) -> None:
    assert found(matcher, title, "Рынки спокойны.", WAIT)


@pytest.mark.parametrize("title", [
    "Эрдоган ждет ответа Вашингтона", "Эрдоган ждет ответа от Путина по Сирии",
    "Erdogan awaits reply from Putin on Assad meeting",
    "Эрдоган ждет ответа ЕС по сирийским беженцам",
])
def test_awaiting_a_third_partys_answer_is_no_contact(matcher: Matcher, title: str) -> None:
    assert not found(matcher, title, "Рынки спокойны.", WAIT)


@pytest.mark.parametrize("title", [
    "Turkey-Syria trade to hit $5bn", "Turkish-Syrian trade to reach $5bn",
])
def test_a_joint_trade_target_of_a_hyphenated_pair(matcher: Matcher, title: str) -> None:
    assert found(matcher, title)


@pytest.mark.parametrize(("title", "when"), [
    ("Turkey-Syria trade to hit $5bn", BEFORE),
    ("Turkey-Iraq trade to hit $20bn", AFTER),
    ("Turkey trade to hit $300bn as Syria war rages", AFTER),
    ("Syrian refugees in Turkey: trade to hit $5bn", AFTER),
])
def test_no_trade_target_of_the_two_or_before_the_fall(matcher: Matcher, title: str,
                                                       when: datetime) -> None:
    assert not found(matcher, title, when=when)
