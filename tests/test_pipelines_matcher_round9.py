"""Detection round 9 (issue 12), one behaviour each, on the real topic file: headlinese (a
third party as the topic discussed, "FM", "reset", "door open", "warms to", a delegation
led to the other side), and coreference across sentences ("the Turkish side", a
parenthetical "he said", "It pledges …", "По его словам", "Ankara's new partners"), with the
near misses each must leave alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.matcher import Document, Matcher, Verdict
from tests.helpers.topics import body_reader

AFTER = datetime(2025, 6, 1, tzinfo=UTC)
BEFORE = datetime(2022, 11, 1, tzinfo=UTC)


def title(matcher: Matcher, text: str, when: datetime | None = AFTER) -> Verdict:
    return matcher.evaluate(Document(title=text, body="", published=when))


body = body_reader(AFTER)


# --- headlinese ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "when"), [
    ("Erdogan, Sharaa discuss Israeli strikes by phone", AFTER),
    ("Эрдоган и аш-Шараа обсудили израильские удары", AFTER),
    ("Turkish FM in Damascus for talks on border security", AFTER),
    ("Turkey-Syria reset: first cargo flight lands in Aleppo", AFTER),
    ("Erdogan extends olive branch to Assad", BEFORE),
    ("Erdogan says door open to Assad", BEFORE),
    ("Эрдоган: дверь для Асада открыта", BEFORE),
    ("Ankara warms to Damascus", BEFORE),
    ("Turkish trade minister heads delegation to Syria", AFTER),
    ("Анкара и Дамаск восстанавливают отношения, разорванные в 2012 году", AFTER),
    ("Фидан, Гюлер и Калын приняли в Анкаре делегацию из Дамаска", AFTER),
    ("Turkey will open a consulate in Aleppo", AFTER),
    ("Сирия откроет генконсульство в Стамбуле", AFTER),
    ("Türkiye, Syria to boost trade to $5 bn", AFTER),
    ("Erdogan phones Syria's Sharaa after Israeli strikes", AFTER),
    ("Turkey pledges support for Syria's new government", AFTER),
])
def test_a_headline_states_the_relation(matcher: Matcher, text: str, when: datetime) -> None:
    verdict = title(matcher, text, when)
    assert verdict.matched, verdict.near_misses


@pytest.mark.parametrize(("text", "when"), [
    # a third party after "with" is a partner, not a topic
    ("Fidan discussed Syria with Iraqi officials", AFTER),
    ("Fidan and Araghchi discussed Syria", AFTER),
    ("Olive Branch anniversary: Turkish troops still in Afrin, Syria", BEFORE),
    ("Turkey keeps door open to Syrian refugees", BEFORE),
    ("Турция оставляет дверь открытой для сирийских беженцев", BEFORE),
    ("Erdogan warms to Putin as Syria offensive looms", BEFORE),
    ("Turkish business leaders head delegation to Aleppo fair", AFTER),
    ("Russia reopened its consulate in Aleppo, Turkish media said", AFTER),
    ("Turkish exports to Syria doubled as trade boomed", AFTER),
    ("Turkey pledges support for Syrian refugees", AFTER),
    ("Iran voices support for Syria's government, Turkey says", AFTER),
])
def test_a_headline_near_miss_stays_unmatched(matcher: Matcher, text: str,
                                              when: datetime) -> None:
    assert not title(matcher, text, when).matched


# --- coreference across sentences ------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Syrian Foreign Minister Asaad al-Shaibani landed at Esenboga airport on Tuesday. He laid "
    "a wreath at a mausoleum. The Turkish side said a road map on trade would be ready soon.",
    "Хакан Фидан во вторник прилетел в аэропорт Меззе. Он возложил венок к мемориалу. "
    "Сирийская сторона сообщила, что обсуждались вода и торговля.",
])
def test_the_other_side_of_an_encounter_is_the_last_subject(matcher: Matcher,
                                                           text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses
    assert any(term.lower() in {"side", "сторона"} for term in verdict.evidence[-1].terms)


@pytest.mark.parametrize("text", [
    "Syrian Foreign Minister Asaad al-Shaibani spoke in Doha on Tuesday. The Turkish side of "
    "the border stayed shut during the talks.",
    "Turkish Foreign Minister Hakan Fidan arrived in Baghdad on Saturday. The Iraqi side "
    "said the talks covered water and the situation in Syria.",
])
def test_a_side_of_the_border_or_a_third_party_side_borrows_nothing(matcher: Matcher,
                                                                    text: str) -> None:
    assert not body(matcher, text).matched


@pytest.mark.parametrize("text", [
    # a parenthetical speech tag is the speaker, whoever is named before it
    "Turkish Foreign Minister Hakan Fidan spoke at a briefing on Tuesday. He said trade was "
    "rising. The new authorities in Syria, he said, had agreed to a joint committee.",
    "Министр иностранных дел Турции Хакан Фидан выступил во вторник. Новые власти Сирии, по "
    "его словам, согласились создать совместный комитет.",
    # sentences opening with "he"/"он" carry the subject on, read or not
    "Turkish Energy Minister Alparslan Bayraktar spoke at a forum in Istanbul. He said gas "
    "demand was rising. Prices had eased since spring. Storage was full. He also said the "
    "pipeline to Syria would be ready by June, under a deal with the new authorities.",
    "Министр энергетики Турции Алпарслан Байрактар выступил на форуме в Стамбуле. Он сказал, "
    "что спрос на газ растет. Цены снизились с весны. Хранилища заполнены. Он также сказал, "
    "что газопровод в Сирию будет готов к июню по соглашению с новыми властями.",
])
def test_the_speaker_is_the_last_subject(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text)
    assert verdict.matched, verdict.near_misses


@pytest.mark.parametrize(("text", "when"), [
    ("Erdogan called NATO's secretary-general on Friday after 33 soldiers were killed. The "
     "regime, he said, bore the blame for the strike.", datetime(2020, 2, 28, tzinfo=UTC)),
    ("Iraq's Oil Minister Hayan Abdul-Ghani spoke at a forum in Istanbul. He said demand was "
     "rising. Prices had eased since spring. Storage was full. He also said the pipeline to "
     "Syria would be ready by June, under a deal with the new authorities.", AFTER),
])
def test_a_speaker_talking_to_or_being_a_third_party_lends_nothing(matcher: Matcher, text: str,
                                                                   when: datetime) -> None:
    assert not body(matcher, text, when).matched


@pytest.mark.parametrize(("text", "borrowed", "when"), [
    # "it" before a verb of stance is the party named before
    ("Turkey's main opposition party has published its programme. The document runs to 40 "
     "pages. It promises to restore relations with the government in Damascus.", "it",
     datetime(2024, 5, 30, tzinfo=UTC)),
    # "По его словам" opens with the speaker's pronoun
    ("Министр сельского хозяйства Сирии Амджад Бадр осмотрел элеваторы в Хомсе. Они "
     "пострадали во время войны. По его словам, турецкие компании восстановят еще три по "
     "соглашению с правительством в Анкаре.", "его", AFTER),
    # a possessed counterpart phrase: the side other than the possessor, named lately
    ("Syria's interim government asked for help rebuilding its air force. Israel has struck "
     "most bases since December. Ankara's new partners want Turkish instructors, one "
     "official said.", "partners", AFTER),
    ("Временное правительство Сирии попросило помощи в восстановлении авиации. Новые партнеры "
     "Анкары хотят получить турецких инструкторов.", "партнеры", AFTER),
])
def test_a_reference_borrows_the_side_named_before(matcher: Matcher, text: str, borrowed: str,
                                                   when: datetime) -> None:
    verdict = body(matcher, text, when)
    assert verdict.matched, verdict.near_misses
    assert any(borrowed in (term.lower() for term in item.terms) for item in verdict.evidence)


@pytest.mark.parametrize("text", [
    # "it" before "was"/"covered" is the call
    "Erdogan spoke to Iraq's prime minister on Saturday. It was their second call this month. "
    "It covered water and relations with Syria.",
    # partners somewhere else ("in the Gulf") are not the other side
    "Syria's economy shrank again last year. Turkey's new partners in the Gulf want to invest "
    "in Turkish ports, officials said.",
    "Экономика Сирии снова сократилась. Новые партнеры Турции в Заливе хотят вкладывать в "
    "турецкие порты.",
])
def test_a_reference_to_something_else_borrows_nothing(matcher: Matcher, text: str) -> None:
    assert not body(matcher, text).matched


# --- an office word with a default side in a period ---------------------------------------


@pytest.mark.parametrize("text", [
    "Erdogan spoke on Friday about Syria. He said Turkey was ready for talks with the regime.",
    "Эрдоган выступил с речью о Сирии. Он сказал, что Турция готова к переговорам с режимом.",
    "Erdogan spoke after Friday prayers. He said Turkey had no designs on Syrian land. The "
    "regime, he added, should take the chance to meet.",
])
def test_the_regime_before_december_2024_is_syria(matcher: Matcher, text: str) -> None:
    verdict = body(matcher, text, datetime(2023, 3, 1, tzinfo=UTC))
    assert verdict.matched, verdict.near_misses
    assert not body(matcher, text, AFTER).matched  # not a side's name after the fall


@pytest.mark.parametrize("text", [
    "Erdogan spoke about Syria on Friday. He said the sanctions regime on Iran should end and "
    "talks with Tehran resume.",
    "Turkey and Russia agreed on a ceasefire regime in Idlib, Syria.",
])
def test_a_qualified_regime_is_no_default(matcher: Matcher, text: str) -> None:
    assert not body(matcher, text, datetime(2020, 3, 6, tzinfo=UTC)).matched
