"""Story grouping (pipelines/stories): anchors, the index's decisions, its state, invariants."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipelines.stories import Article, StoryIndex, StoryParams
from pipelines.stories.anchors import extract, name_key
from pipelines.stories.index import containment
from pipelines.stories.text import tokens

T0 = datetime(2024, 5, 14, 9, 0, tzinfo=UTC)

WIRE = (
    "Turkish Foreign Minister Hakan Fidan said on Tuesday that Ankara would send a technical "
    "delegation to Damascus next week to prepare the reopening of the border crossing at "
    "Kassab, closed since 2012.\n\n"
    "The delegation of 14 officials will discuss customs, electricity and the return of some "
    "3,000 trucks a month to the route, Fidan told reporters in Ankara.\n\n"
    "Syria's Foreign Ministry did not comment. Relations between the neighbours have thawed "
    "since talks brokered by Moscow began last year.\n\n"
    "Turkey still keeps troops in northern Syria, which Damascus calls an occupation."
)
RU = (
    "Глава МИД Турции Хакан Фидан заявил во вторник, что Анкара на следующей неделе "
    "направит в Дамаск техническую делегацию для подготовки открытия пункта пропуска Кассаб, "
    "закрытого с 2012 года.\n\n"
    "По словам Фидана, делегация из 14 человек обсудит таможню, электроснабжение и возврат на "
    "маршрут около 3000 грузовиков в месяц.\n\n"
    "МИД Сирии не дал комментариев."
)
NEAR_MISS = (
    "Turkish Foreign Minister Hakan Fidan said on Tuesday that Ankara had asked Damascus to "
    "hand over 27 suspects wanted over the bombing in Reyhanli, in a letter delivered by "
    "Russian mediators.\n\n"
    "Fidan told reporters in Ankara that Turkey expected an answer within 30 days, and that "
    "the request covered people convicted in absentia as well as 11 still under "
    "investigation.\n\n"
    "Turkey still keeps troops in northern Syria, which Damascus calls an occupation."
)


def art(
    id_: str,
    text: str,
    *,
    headline: str = "Turkey to send delegation to Syria",
    language: str = "en",
    at: datetime = T0,
    site: str = "wire",
) -> Article:
    return Article(id_, site, language, at, headline, text)


def test_names_numbers_and_dates_are_the_same_keys_in_both_languages() -> None:
    pairs = [("Erdogan", "Эрдоганом"), ("Moscow", "Москвы"), ("Damascus", "Дамаске"),
             ("Fidan", "Фидана"), ("Assad", "Асада")]  # fmt: skip
    for latin, cyrillic in pairs:
        assert name_key(latin) == name_key(cyrillic), (latin, cyrillic)
    en = extract("Deal on March 5", "Some 1,500 troops and $2.5 billion, Fidan said in Ankara.")
    ru = extract("Сделка 5 марта", "Около 1 500 военных и 2,5 млрд долларов, сказал Фидан в Анкаре")
    assert en.numbers == ru.numbers == {"#:1500", "#:2500000000"}
    assert en.dates == ru.dates == {"d:03-05"}
    assert {"n:fdn", "n:ankr"} <= en.names & ru.names


def test_sentence_openers_and_weekdays_are_not_names() -> None:
    found = extract("", "The talks ended. Officials said on Tuesday that Erdogan would go.")
    assert found.names == {"n:erdg"}


def test_containment_of_a_trimmed_copy() -> None:
    # a 40-shingle text inside a 120-shingle one: Jaccard 1/3, containment 1
    assert containment(1 / 3, 40, 120) == pytest.approx(1.0)
    assert containment(0.0, 40, 120) == 0.0
    assert containment(0.5, 0, 10) == 0.0


def test_wire_copy_trimmed_reheadlined_and_translated_joins_the_story() -> None:
    index = StoryIndex()
    first = index.add(art("wire-1", WIRE))
    assert (first.new_story, first.story_id) == (True, "wire-1")
    trimmed = "\n\n".join(WIRE.split("\n\n")[:2])
    copy = index.add(art("outlet-1", trimmed, headline="Ankara sends team to Damascus",
                         site="outlet", at=T0 + timedelta(hours=3)))  # fmt: skip
    assert (copy.story_id, copy.new_story, copy.signal) == ("wire-1", False, "text")
    russian = index.add(art("ru-1", RU, headline="Турция направит делегацию в Сирию",
                            language="ru", at=T0 + timedelta(hours=5)))  # fmt: skip
    assert (russian.story_id, russian.signal) == ("wire-1", "facts")
    assert index.members("wire-1") == ["wire-1", "outlet-1", "ru-1"]


def test_same_actors_same_day_different_event_is_a_new_story() -> None:
    index = StoryIndex()
    index.add(art("wire-1", WIRE))
    other = index.add(art("wire-2", NEAR_MISS, headline="Turkey asks Syria to hand over suspects",
                          at=T0 + timedelta(hours=2)))  # fmt: skip
    assert (other.new_story, other.story_id) == (True, "wire-2")


def test_adding_the_same_id_again_changes_nothing() -> None:
    index = StoryIndex()
    index.add(art("a", WIRE))
    again = index.add(art("a", NEAR_MISS))
    assert (again.story_id, again.new_story, again.signal) == ("a", False, "known")
    assert len(index) == 1


def test_naive_published_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        StoryIndex().add(art("a", WIRE, at=datetime(2024, 5, 14)))


def test_state_round_trips_through_json_and_keeps_deciding_the_same() -> None:
    index = StoryIndex()
    index.add(art("wire-1", WIRE))
    index.add(art("wire-2", NEAR_MISS, headline="Turkey asks Syria to hand over suspects"))
    restored = StoryIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert restored.to_state() == index.to_state()
    for idx in (index, restored):
        got = idx.add(art("ru-1", RU, language="ru", headline="Турция направит делегацию"))
        assert got.story_id == "wire-1"
    assert restored.to_state() == index.to_state()


def test_an_articles_state_is_every_public_field_copied() -> None:
    """The saved state names each field by hand (faster than ``asdict``): a field added to
    the index's entries must be added to it too."""
    from dataclasses import asdict, fields

    index = StoryIndex()
    index.add(art("wire-1", WIRE))
    [entry] = index._entries.values()
    public = {f.name: v for f, v in zip(fields(entry), asdict(entry).values(), strict=True)
              if not f.name.startswith("_")}
    state = entry.state()
    assert state == public
    assert list(state) == list(public)
    assert state["hashvalues"] is not entry.hashvalues  # a copy: saving never aliases the index


def test_state_of_another_version_is_refused() -> None:
    with pytest.raises(ValueError, match="version"):
        StoryIndex.from_state({"version": 99, "params": {}, "seq": 0, "articles": []})


def test_pruned_articles_no_longer_match() -> None:
    index = StoryIndex()
    index.add(art("old", WIRE))
    assert index.prune(T0 + timedelta(seconds=1)) == 1
    assert index.add(art("copy", WIRE, at=T0 + timedelta(hours=1))).new_story
    assert index.story_of("old") is None


def test_params_are_checked() -> None:
    with pytest.raises(ValueError, match="body_strong"):
        StoryParams(body_strong=1.5)


# --- properties ------------------------------------------------------------------------

VOCAB = [f"w{i}" for i in range(400)] + ["Erdogan", "Assad", "Moscow", "1,500", "March 5"]
texts = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=120).map(" ".join)
headlines = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=8).map(" ".join)
offsets = st.integers(0, 10 * 24 * 3600)
WINDOW = 72 * 3600


@st.composite
def articles(draw: st.DrawFn, prefix: str) -> Article:
    return Article(
        id=f"{prefix}-{draw(st.uuids())}",
        site=draw(st.sampled_from(["a", "b", "c"])),
        language=draw(st.sampled_from(["en", "ru"])),
        published=T0 + timedelta(seconds=draw(offsets)),
        headline=draw(headlines),
        text=draw(texts),
    )


def distinct(others: list[Article], original: Article) -> bool:
    """No other article is itself an exact copy of the original (that would make "its copy"
    ambiguous: a copy published between two identical texts may join either)."""
    return all(tokens(o.text) != tokens(original.text) for o in others)


def copy_of(article: Article, new_id: str, shift: int, site: str = "copy") -> Article:
    return Article(new_id, site, article.language, article.published + timedelta(seconds=shift),
                   article.headline, article.text)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(
    others=st.lists(articles("other"), max_size=12),
    original=articles("orig"),
    shift=st.integers(-WINDOW, WINDOW),
    position=st.integers(0, 12),
)
def test_an_article_always_joins_its_own_exact_copy(
    others: list[Article], original: Article, shift: int, position: int
) -> None:
    assume(distinct(others, original))
    index = StoryIndex()
    before, after = others[:position], others[position:]
    index.add_many(before)
    index.add(original)
    index.add_many(after)
    got = index.add(copy_of(original, "the-copy", shift))
    assert got.story_id == index.story_of(original.id)
    assert not got.new_story


@settings(max_examples=60, deadline=None)
@given(
    others=st.lists(articles("other"), max_size=10),
    original=articles("orig"),
    shift=st.integers(-WINDOW, WINDOW),
    order=st.randoms(use_true_random=False),
)
def test_insertion_order_does_not_change_whether_exact_copies_group(
    others: list[Article], original: Article, shift: int, order: object
) -> None:
    assume(distinct(others, original))
    batch = [*others, original, copy_of(original, "the-copy", shift)]
    order.shuffle(batch)  # type: ignore[attr-defined]
    index = StoryIndex()
    index.add_many(batch)
    assert index.story_of("the-copy") == index.story_of(original.id)


@settings(max_examples=100, deadline=None)
@given(
    original=articles("orig"),
    gap=st.integers(WINDOW + 1, 60 * 24 * 3600),
    sign=st.sampled_from([-1, 1]),
)
def test_copies_further_apart_than_the_window_never_group(
    original: Article, gap: int, sign: int
) -> None:
    index = StoryIndex(StoryParams(window=WINDOW))
    index.add(original)
    later = index.add(copy_of(original, "the-copy", sign * gap))
    assert (later.new_story, later.story_id) == (True, "the-copy")


@settings(max_examples=30, deadline=None)
@given(batch=st.lists(articles("a"), max_size=15))
def test_same_articles_same_order_same_state(batch: list[Article]) -> None:
    one, two = StoryIndex(), StoryIndex()
    assert one.add_many(batch) == two.add_many(batch)
    assert one.to_state() == two.to_state()
