"""Russian text (ru.themoscowtimes.com): inflected names and cues, exclusions, grades, aliases."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.matcher import Document, Matcher, Verdict, load_topic
from pipelines.matcher.topic import WordSet

TOPIC_FILE = Path(__file__).resolve().parents[1] / "config" / "topics" / "syria-turkey.toml"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_topic(TOPIC_FILE), second_opinion=False)


def body(matcher: Matcher, text: str, published: datetime | None = None,
         language: str = "ru") -> Verdict:
    return matcher.evaluate(Document(body=text, language=language, published=published))


@pytest.mark.parametrize("sentence", [
    # every case of both countries' names
    "Турция и Сирия провели переговоры.",
    "Между Турцией и Сирией начался диалог.",
    "Россия добивается сближения Турции и Сирии.",
    "Москва призвала Турцию и Сирию нормализовать отношения.",
    "Эрдоган заявил о готовности восстановить отношения с Сирией.",
    "Анкара готова к примирению с Дамаском.",
    "Анкару и Дамаск призвали к диалогу.",
    "Переговоры Анкары с Дамаском возобновились.",
    "Турецко-сирийские переговоры прошли в Москве.",
    "Турецкие и сирийские дипломаты провели встречу в Багдаде.",
    "Эрдоган встретился с Асадом в Москве.",
    "Эрдогану предложили встречу с Асадом.",
    "Встреча Эрдогана и Асада может пройти в Москве.",
    "Президент Турции пригласил президента Сирии в Анкару.",
    "Министр иностранных дел Турции Хакан Фидан посетил Дамаск.",
    "Визит Эрдогана в Сирию состоялся в среду.",
    "Посольство Турции в Дамаске возобновило работу.",
    "Чавушоглу и Мекдад обсудили дорожную карту.",
    "Лавров заявил о нормализации отношений между Турцией и Сирией.",
    "Россия выступает посредником между Анкарой и Дамаском.",
    "Турция возобновила дипломатические отношения с Сирией.",
    "Сирия и Турция договорились о создании рабочей группы.",
    "Москва приветствует шаги Анкары навстречу Дамаску.",
])
def test_inflected_russian_sentences_match(matcher: Matcher, sentence: str) -> None:
    verdict = body(matcher, f"Сначала другие новости. {sentence} Затем погода.")
    assert verdict.matched, verdict.near_misses
    assert verdict.evidence[0].sentence == sentence


@pytest.mark.parametrize(("sentence", "published"), [
    ("Аш-Шараа провел переговоры с Эрдоганом в Анкаре.", datetime(2025, 2, 4, tzinfo=UTC)),
    ("Фидан встретился с Шейбани в Дамаске.", datetime(2025, 1, 15, tzinfo=UTC)),
    ("Эрдоган встретился с Асадом.", datetime(2023, 6, 1, tzinfo=UTC)),
])
def test_time_bounded_russian_aliases(matcher: Matcher, sentence: str,
                                      published: datetime) -> None:
    assert body(matcher, sentence, published).matched


def test_assad_is_not_the_government_after_december_2024(matcher: Matcher) -> None:
    text = "Эрдоган заявил, что Асад должен предстать перед судом."
    assert not body(matcher, text, datetime(2025, 6, 1, tzinfo=UTC)).matched
    text = "Эрдоган заявил, что аш-Шараа приглашен на саммит."
    assert not body(matcher, text, datetime(2023, 6, 1, tzinfo=UTC)).matched


@pytest.mark.parametrize("text", [
    "Как пишет Reuters, «Turkey and Syria agreed to resume talks».",
    "Erdogan и Assad могут встретиться в Москве, пишет Hürriyet.",
    "Эрдоган заявил, что готов к normalization с Damascus.",
])
def test_russian_article_with_latin_names_still_matches(matcher: Matcher, text: str) -> None:
    for language in ("ru", "en"):
        assert body(matcher, text, language=language).matched, text


@pytest.mark.parametrize(("sentence", "reason"), [
    ("Число жертв землетрясения в Турции и Сирии выросло.", "no relation cue"),
    ("Турецкие и сирийские спасатели провели встречу после землетрясения.", "earthquake"),
    ("Турецкие и сирийские беженцы обсудили депортации.", "not linking"),
    ("Переговоры Турции и Армении о нормализации продолжились, Сирия не участвовала.",
     "third party"),
    ("Эрдоган обсудил с Путиным ситуацию на границе Турции с Сирией.", "not linking"),
    ("Путин провел переговоры с президентами Турции и Сирии.", "not linking"),
])
def test_russian_traps_are_near_misses_with_a_reason(matcher: Matcher, sentence: str,
                                                     reason: str) -> None:
    verdict = body(matcher, sentence)
    assert not verdict.matched, verdict.evidence
    assert len(verdict.near_misses) == 1
    assert reason in verdict.near_misses[0].reason


@pytest.mark.parametrize("sentence", [
    # talks between the two sides about a trap subject are still their talks (as in English)
    "Турция и Сирия обсудили возвращение беженцев.",
    "Анкара и Дамаск провели переговоры о совместных ударах по курдам.",
    "Эрдоган и Асад обсудили зерновую сделку.",
    "Дипломатия землетрясения ускорила сближение Анкары и Дамаска.",
])
def test_russian_exclusions_do_not_kill_true_positives(matcher: Matcher, sentence: str) -> None:
    assert body(matcher, sentence).matched, sentence


@pytest.mark.parametrize("text", [
    "Сирийские беженцы в Турции опасаются депортации.",
    "Курды на севере Сирии подверглись ударам турецких беспилотников.",
    "Саудовская Аравия и ОАЭ нормализовали отношения с Дамаском. Турция не комментировала.",
    "Армения и Турция провели переговоры о нормализации. Ереван отправил помощь в Сирию.",
    "В 2016 году Путин и Эрдоган помирились после инцидента на сирийско-турецкой границе.",
    "Туркменистан и Сирия обсудили поставки газа.",
])
def test_russian_hard_negatives_do_not_match(matcher: Matcher, text: str) -> None:
    assert not body(matcher, text).matched


@pytest.mark.parametrize(("sentence", "grade"), [
    ("Турция и Сирия подписали соглашение о сотрудничестве.", "development"),
    ("Эрдоган и Асад встретились в Москве.", "development"),
    ("Эрдоган заявил, что может встретиться с Асадом.", "mention"),
    ("Мекдад исключил нормализацию с Турцией до вывода войск.", "mention"),
    ("Никакой встречи Эрдогана с Асадом не будет.", "mention"),
])
def test_russian_grades(matcher: Matcher, sentence: str, grade: str) -> None:
    verdict = body(matcher, sentence)
    assert verdict.matched
    assert verdict.grade == grade


def test_cyrillic_evidence_offsets_are_exact(matcher: Matcher) -> None:
    doc = Document(title="Турция и Сирия: новая страница",
                   body="«Ёлки»: Эрдоган встретился с Асадом.\n\nАнкара и Дамаск договорились.",
                   language="ru")
    verdict = matcher.evaluate(doc)
    assert verdict.matched
    for item in verdict.evidence:
        assert getattr(doc, item.field)[item.start:item.end] == item.sentence
    assert {"Эрдоган", "Асадом"} <= {t for e in verdict.evidence for t in e.terms}


def test_word_sets_take_prefixes_for_single_words_only() -> None:
    words = WordSet.of(["границ*", "border", "clashes between"])
    assert "границе" in words
    assert "border" in words
    assert "clashes between" in words
    assert "граница с" not in words
    assert "borders" not in words
    assert "граница" not in words - WordSet.of(["граница"])
    assert words.any_of({"x", "границу"})
