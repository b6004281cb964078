"""Detection round 24, one behaviour each, on the real topic file, written as variants of the
classes dev_blind49 to dev_blind52 showed rather than as copies of any row: officials the
lexicon did not know (Syria's post-Assad cabinet and intelligence chief, Assad's prime
ministers and intelligence chief, Turkey's ministers in Russian copy, Turkey's opposition
alliance of 2023), each bounded to the years it spoke for its side; and the surname alone
after a listed full name whose particle is lowercase ("Hussein al-Salama … Salama"), as it
already was after "Omer Bolat … Bolat"; each with its near misses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Matcher
from tests.helpers.topics import body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: the 2023 campaign, and after 2024-12-08
ASSAD = datetime(2021, 4, 1, tzinfo=UTC)
CAMPAIGN = datetime(2023, 5, 6, tzinfo=UTC)
AFTER = datetime(2025, 9, 1, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

SPY_CHIEF = "Kalin received {} in Ankara on Tuesday for talks on border security."
SPY_CHIEF_RU = "Калын принял в Анкаре {} для переговоров о безопасности на границе."

CASES += dated("post_assad_officials_by_name", [
    (SPY_CHIEF.format("Hussein al-Salama"), AFTER, True),
    (SPY_CHIEF_RU.format("Хусейна ас-Саламу"), AFTER, True),
    ("Economy Minister Nidal al-Shaar signed a customs protocol with Omer Bolat in Ankara.",
     AFTER, True),
    ("Министр энергетики Мохаммед аль-Башир провел в Анкаре переговоры с Алпарсланом "
     "Байрактаром о поставках газа.", AFTER, True),
    # before the fall of Assad the names spoke for no side
    (SPY_CHIEF.format("Hussein al-Salama"), ASSAD, False),
    # the same official with a third party
    ("Hussein al-Salama received a Jordanian delegation in Damascus for talks on border "
     "security.", AFTER, False),
])

CASES += dated("assad_era_officials_by_name", [
    ("Fidan met Hussam Louka in Moscow for talks mediated by Russian intelligence.", ASSAD,
     True),
    ("Прошлой весной Фидан встретился в Москве с Хусамом Лукой при посредничестве "
     "российской разведки.", ASSAD, True),
    # after 2024 he speaks for no government
    ("Fidan met Hussam Louka in Moscow for talks mediated by Russian intelligence.", AFTER,
     False),
])

ERSOY_RU = ("Министр культуры и туризма Мехмет Нури Эрсой делает ставку на новые рынки. "
            "В августе он побывал в {}, где подписал с {} коллегой меморандум о совместных "
            "турах.")

CASES += dated("turkish_ministers_in_russian_copy", [
    # the minister's nationality comes from his name; "he" and "his Syrian colleague" follow
    (ERSOY_RU.format("Дамаске", "сирийским"), AFTER, True),
    # the same visit to a third country
    (ERSOY_RU.format("Каире", "египетским"), AFTER, False),
])

ALLIANCE_RU = ("Кандидат от оппозиционного «Альянса нации» Кемаль Кылычдароглу обнародовал "
               "программу. Отдельный раздел посвящен соседям: альянс намерен восстановить "
               "отношения с {}.")

CASES += dated("the_opposition_alliance_of_2023", [
    (ALLIANCE_RU.format("Дамаском"), CAMPAIGN, True),
    ("Оппозиционный «Союз нации» обещает перемены во внешней политике. В программе "
     "говорится о восстановлении отношений с Дамаском.", CAMPAIGN, True),
    # relations with a third country
    (ALLIANCE_RU.format("Каиром"), CAMPAIGN, False),
])

SURNAME = "Hussein al-Salama rarely gives interviews. On Tuesday Salama held talks with {}."

CASES += dated("the_surname_after_a_particle", [
    # "al" is lowercase: "Salama" alone is still the listed official
    (SURNAME.format("Ibrahim Kalin in Ankara"), AFTER, True),
    ("Мохаммед аль-Башир редко дает интервью. Во вторник аль-Башир провел переговоры с "
     "Алпарсланом Байрактаром.", AFTER, True),
    # the surname with a third party
    (SURNAME.format("Jordan's intelligence chief in Amman"), AFTER, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round24_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation
