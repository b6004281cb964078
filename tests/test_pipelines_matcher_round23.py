"""Detection round 23, one behaviour each, on the real topic file, written as variants of the
classes dev_blind35, dev_blind36 and dev_blind37 showed rather than as copies of any row: a
subject bounded in time (the Black Sea grain deal) vetoes nothing after it was over; a
subject the two may discuss (refugees) vetoes no relation cue whose partner after "with" is
one side's government while the other side's is the neighbouring sentence's; Russian firms
named past an adjective of their trade («турецкие строительные холдинги»); «разговор» as a
conversation; a window's other side coordinated with a third party there; a text told before
opening a sentence («Документ, подписанный …»); a side named as no party before a pronoun
("Turkish media said he met …"); "lost its legitimacy" as hostility; "invited to part of the
meeting" as joining it; «в ведомстве» as the ministry named before; each with its near
misses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pipelines.matcher import Matcher, load_topic
from pipelines.matcher.reader import TopicConfigError
from pipelines.matcher.topic import Topic
from tests.helpers.topics import SYRIA_TURKEY, body_reader
from tests.test_pipelines_matcher_round20 import case_params, dated

#: the dates the probes are read at: 2011, 2019, before the grain deal, during it, the 2023
#: campaign, and after 2024-12-08
SPRING = datetime(2011, 10, 2, tzinfo=UTC)
EARLIER = datetime(2019, 3, 1, tzinfo=UTC)
BEFORE = datetime(2022, 1, 11, tzinfo=UTC)
DEAL = datetime(2022, 9, 1, tzinfo=UTC)
CAMPAIGN = datetime(2023, 5, 6, tzinfo=UTC)
AFTER = datetime(2025, 6, 1, tzinfo=UTC)

#: (behaviour, text, date, relation): each behaviour with its near misses
CASES: list[tuple[str, str, datetime, bool]] = []

TRADE_TALKS = ("Turkey's trade minister held talks in Damascus with his Syrian counterpart and "
               "said Ankara would speed up licences for grain shipments through the border gate.")

CASES += dated("a_subject_over_vetoes_nothing", [
    # after the deal, grain through a border gate is trade: the contact stands
    (TRADE_TALKS, AFTER, True),
    ("Министр торговли Турции провел переговоры в Дамаске с сирийским коллегой и пообещал "
     "ускорить выдачу лицензий на поставки зерна через пограничный пункт.", AFTER, True),
    # while the deal ran, a sentence about it is about it
    ("Erdogan said the grain deal was working, and Assad's government received its first "
     "ship of wheat via the corridor after talks.", DEAL, False),
])


CASES += dated("a_discussed_subject_in_a_window", [
    # the candidate (the sentence before) would restore relations with Damascus: the return
    # of refugees is what the two would negotiate
    ("Opposition candidate Kemal Kilicdaroglu spoke in Bursa on Saturday. Campaign aides "
     "said that if elected he would mend relations with Damascus and negotiate the voluntary "
     "return of refugees.", CAMPAIGN, True),
    ("Кандидат оппозиции Кемаль Кылычдароглу выступил в субботу в Бурсе. В штабе заявили, "
     "что в случае избрания он восстановит отношения с Дамаском и договорится о добровольном "
     "возвращении беженцев.", CAMPAIGN, True),
    # the cue's partner is the refugees, no government: the subject still vetoes
    ("Opposition candidate Kemal Kilicdaroglu spoke in Bursa on Saturday. Campaign aides "
     "said that if elected he would restore relations with Syrian refugees in Damascus and "
     "organise their voluntary return.", CAMPAIGN, False),
    ("Кандидат оппозиции Кемаль Кылычдароглу выступил в субботу в Бурсе. В штабе заявили, "
     "что в случае избрания он восстановит отношения с сирийскими беженцами из Дамаска и "
     "организует их добровольное возвращение.", CAMPAIGN, False),
    ("Opposition candidate Kemal Kilicdaroglu spoke in Bursa on Saturday. Campaign aides "
     "said that if elected he would seek reconciliation with Syrians in the camps and "
     "organise the voluntary return of refugees.", CAMPAIGN, False),
])


CASES += dated("firms_named_past_an_adjective", [
    # firms by kind, an adjective of their trade between: no government
    ("Крупные турецкие строительные холдинги открыли представительства в Алеппо.", AFTER,
     False),
    ("Турецкие строительные компании открыли представительства в Алеппо.", AFTER, False),
    ("Турецкие холдинги открыли представительства в Алеппо.", AFTER, False),
    # an office after the adjective is the side's official
    ("Турецкие профильные министры открыли представительство в Алеппо вместе с сирийскими "
     "коллегами.", AFTER, True),
    ("Турецкий министр торговли открыл представительство в Алеппо.", AFTER, True),
])


CASES += dated("a_conversation_in_russian", [
    # «разговор» with the other side's official, as «беседа»
    ("Чавушоглу признал разговор с Мекдадом", BEFORE, True),
    ("Чавушоглу рассказал о телефонном разговоре с сирийским коллегой Мекдадом.", BEFORE,
     True),
    # with a third party, or chatter about the relation with no one
    ("Чавушоглу рассказал о разговоре с Лавровым о Сирии.", BEFORE, False),
    ("Cavusoglu spoke of his conversation with Lavrov about Syria.", BEFORE, False),
])


CASES += dated("a_window_side_coordinated_with_a_third_party", [
    # the neighbouring sentence names the other side alone: a window
    ("Syrian officials said a normalisation of relations would take time. Turkey said it was "
     "ready for the process.", EARLIER, True),
    ("Сирийские официальные лица заявили, что нормализация отношений займет время. Турция "
     "заявила, что готова к этому процессу.", EARLIER, True),
    # there it is one of a pair with a third party: bystanders, not the relation's other side
    ("Syrian officials said a normalisation of relations would take time. Turkey and Qatar "
     "said they were ready to help the process.", EARLIER, False),
    ("Сирийские официальные лица заявили, что нормализация отношений займет время. Турция и "
     "Катар заявили, что готовы помочь этому процессу.", EARLIER, False),
])


ADANA = ("Турецкий МИД заявил, что Турция вправе провести операцию на севере Сирии согласно "
         "Аданскому соглашению 1998 года. ")
ADANA_EN = ("Turkey's foreign ministry said Turkey may act in northern Syria under the 1998 "
            "Adana agreement. ")

CASES += dated("a_text_told_before_opening_a_sentence", [
    # "Документ, подписанный …": the text the sentence before dated into the past
    (ADANA + "Документ, подписанный Анкарой и Дамаском, обязывал Сирию не поддерживать РПК.",
     DEAL, False),
    (ADANA_EN + "The document, signed by Ankara and Damascus, obliged Syria to stop backing "
     "the PKK.", DEAL, False),
    # revived, or no old text told before: news
    (ADANA + "Документ, подписанный Анкарой и Дамаском, стороны намерены пересмотреть.", DEAL,
     True),
    (ADANA_EN + "The document, signed by Ankara and Damascus, is to be revised in June.", DEAL,
     True),
    ("Министры обсудили торговлю. Документ, подписанный Анкарой и Дамаском в понедельник, "
     "открывает границу для грузовиков.", AFTER, True),
])


KALIN = "Ibrahim Kalin, head of Turkey's MIT intelligence agency, was filmed walking in Damascus."
KALIN_RU = "Глава разведки Турции Ибрагим Калын прогулялся по Дамаску."
ARAGHCHI = "Iran's foreign minister Abbas Araghchi was filmed walking in Damascus."
ARAGHCHI_RU = "Глава МИД Ирана Аббас Аракчи прогулялся по Дамаску."

CASES += dated("a_side_named_as_no_party_in_a_lead_in", [
    # "Turkish media said he …": the media's country is no name that blocks "he"
    (KALIN + " Turkish media said he met Ahmed al-Sharaa.", AFTER, True),
    (KALIN_RU + " Турецкие газеты сообщили, что он встретился с Ахмедом аш-Шараа.", AFTER,
     True),
    # "he" is still the last subject: a third party's minister
    (ARAGHCHI + " Turkish media said he met Ahmed al-Sharaa.", AFTER, False),
    (ARAGHCHI_RU + " Турецкие газеты сообщили, что он встретился с Ахмедом аш-Шараа.", AFTER,
     False),
])


CASES += dated("a_government_denied_its_legitimacy", [
    # told at a meeting with the opposition: hostile, no contact of the two
    ("Turkish Foreign Minister Ahmet Davutoglu met members of the Syrian National Council in "
     "Ankara and said the government in Damascus had lost all legitimacy.", SPRING, False),
    # told to the other side's leader in person: a contact, whatever the tone
    ("Davutoglu spent six hours with Assad in Damascus and told him his government had lost "
     "its legitimacy.", SPRING, True),
    ("Давутоглу провел шесть часов с Асадом в Дамаске и заявил ему, что его правительство "
     "утратило легитимность.", SPRING, True),
])


WHITE_HOUSE = ("Syria's President Ahmed al-Sharaa held talks with Donald Trump at the White "
               "House. ")
WHITE_HOUSE_RU = ("Президент Сирии Ахмед аш-Шараа провёл переговоры с Дональдом Трампом в "
                  "Белом доме. ")

CASES += dated("invited_into_a_meeting_with_the_other_side", [
    # asked in to the meeting told just before: both sides take part
    (WHITE_HOUSE + "Turkish Foreign Minister Hakan Fidan, who was in Washington, was invited "
     "to part of the meeting.", AFTER, True),
    (WHITE_HOUSE_RU + "Глава МИД Турции Хакан Фидан, находившийся в Вашингтоне, был приглашён "
     "на часть встречи.", AFTER, True),
    # invited to a third party's meeting
    (WHITE_HOUSE + "Turkish Foreign Minister Hakan Fidan was invited to a NATO meeting in "
     "Brussels.", AFTER, False),
    (WHITE_HOUSE_RU + "Глава МИД Турции Хакан Фидан был приглашён на встречу НАТО в Брюсселе.",
     AFTER, False),
])


MINISTRY_RU = ("Министерство иностранных дел {} опровергло сообщения израильских СМИ. Источник в "
               "ведомстве сказал, что переговоры с {} об оборонном сотрудничестве продолжаются.")

CASES += dated("the_agency_in_its_prepositional_case", [
    # «в ведомстве»: the ministry named just before, as «ведомство», «ведомства» are
    (MINISTRY_RU.format("Сирии", "Анкарой"), AFTER, True),
    # a third party's ministry, or talks with a third party
    (MINISTRY_RU.format("Ирана", "Анкарой"), AFTER, False),
    (MINISTRY_RU.format("Сирии", "Эр-Риядом"), AFTER, False),
])


@pytest.mark.parametrize(("text", "when", "relation"), case_params(CASES))
def test_round23_case(matcher: Matcher, text: str, when: datetime, relation: bool) -> None:
    assert body_reader(AFTER)(matcher, text, when, title="Briefing").matched is relation


def test_grain_deal_is_bounded_in_time() -> None:
    """The grain-deal exclusion names the days its subject began and was over."""
    topic = load_topic(SYRIA_TURKEY)
    assert isinstance(topic, Topic)
    grain = topic.exclusion("grain-deal")
    assert grain.applies_on(date(2022, 9, 1))
    assert grain.applies_on(None)
    assert not grain.applies_on(date(2021, 9, 1))
    assert not grain.applies_on(date(2025, 6, 1))


def test_until_must_come_after_since(tmp_path: Path) -> None:
    """An exclusion whose end is not after its start is a mistake in the topic file."""
    text = SYRIA_TURKEY.read_text(encoding="utf-8").replace(
        "until = 2024-01-01", "until = 2022-01-01")
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TopicConfigError, match=r"until: must come after since"):
        load_topic(path)
