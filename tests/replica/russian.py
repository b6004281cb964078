"""The Russian edition (ru.themoscowtimes.com) as a replica site of its own: its own IDs (the
positive reuses the English seed article's number, 81087, on purpose: the same number on two
sites is two articles), Russian text, ``<html lang="ru">``, and Russian traps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .corpus import CorpusEntry
from .model import MSK
from .site import Site, build_site

REAL_BASE_RU = "https://ru.themoscowtimes.com"
#: the Russian roadmap article: the same numeric ID as the English seed article a81087
POSITIVE_ID = 81087

_ENTRIES = (
    CorpusEntry(
        title="Россия заявила о работе над дорожной картой нормализации отношений Турции и Сирии",
        paragraphs=(
            "Министры иностранных дел России, Турции, Ирана и Сирии договорились поручить "
            "заместителям подготовить дорожную карту восстановления отношений между Анкарой "
            "и Дамаском, сообщил МИД России после переговоров в Москве.",
            "Глава МИД Турции Мевлют Чавушоглу и министр иностранных дел Сирии Фейсал Мекдад "
            "впервые провели встречу с начала войны в Сирии. Москва призвала Турцию и Сирию "
            "нормализовать отношения.",
            "Стороны обсудили возвращение беженцев и восстановление торговых связей.",
        ),
        id=POSITIVE_ID, date=datetime(2023, 5, 10, 19, 5, tzinfo=MSK), label=True),
    CorpusEntry(
        title="Турция повысила ключевую ставку до 40%",
        paragraphs=("Центральный банк Турции поднял ключевую ставку, чтобы сдержать инфляцию.",
                    "Лира продолжила падение на фоне решений регулятора."),
        id=81090, date=datetime(2023, 5, 12, 10, 0, tzinfo=MSK), label=False),
    CorpusEntry(
        title="В Сирии прошли восстановительные работы после землетрясения",
        paragraphs=("Власти Сирии сообщили о завершении первого этапа восстановления домов.",
                    "Гуманитарная помощь продолжает поступать в пострадавшие районы."),
        id=81100, date=datetime(2023, 5, 15, 9, 30, tzinfo=MSK), label=False),
    CorpusEntry(
        title="Почему Анкара не спешит мириться с Дамаском",
        paragraphs=("Колонка: отношения Турции и Сирии остаются заложниками войны на севере "
                    "Сирии, и никакие встречи министров этого не изменят.",
                    "Мнение автора может не совпадать с позицией редакции."),
        id=81095, date=datetime(2023, 5, 13, 15, 0, tzinfo=MSK), section="opinion",
        label=False),
    CorpusEntry(
        title="Власти задумали ограничить наем мигрантов в общепите и строительстве",
        paragraphs=("Правительство подготовило список отраслей, где ограничат наем мигрантов.",
                    "Эксперты предупреждают о нехватке рабочих рук."),
        id=172057, date=datetime(2025, 8, 19, 12, 0, tzinfo=MSK), label=False),
)


def build_russian_site(seed: int = 1, extra: Sequence[CorpusEntry] = ()) -> Site:
    """The Russian edition: a handful of Russian articles, its own ID numbers (and ``extra``
    articles, e.g. the Russian edition of a story a test plants on the English site)."""
    site = build_site(0, seed, [*_ENTRIES, *extra])
    site.lang = "ru"
    return site


__all__ = ["POSITIVE_ID", "REAL_BASE_RU", "build_russian_site"]
