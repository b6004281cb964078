"""Property tests for pipelines.matcher: any text is evaluated without error, consistently."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.matcher import Document, Matcher, Verdict, load_topic
from pipelines.matcher.fold import CODE_PAGE, fold, fold_bytes
from pipelines.matcher.lexicon import _scan
from pipelines.matcher.substrings import Substrings

TOPIC_FILE = Path(__file__).resolve().parents[1] / "config" / "topics" / "syria-turkey.toml"
MATCHER = Matcher(load_topic(TOPIC_FILE))

ANY_CHAR = st.characters(exclude_categories=())  # includes controls and lone surrogates
VOCABULARY = [
    "Syria", "Syrian", "Syria's", "Türkiye’s", "Turkey", "Turkish-Syrian", "Erdoğan",
    "Erdog\u0306an", "Assad", "al-Sharaa", "Damascus", "Ankara", "Fidan", "Kalın", "İstanbul",
    "talks", "met", "meeting", "with", "between", "and", "to", "in", "northern", "refugees",
    "normalization", "rapprochement", "mend", "ties", "restore", "diplomatic", "embassy",
    "roadmap", "earthquake", "Kurdish", "grain", "Israel", "Saudi", "Arab League", "ruled out",
    "no", "could", "Putin", "the", "his", ".", ",", "!", "?", "\n", "\n\n", "’", "'s", "-", "–",
    "\x00", "\x1b", "\u200b", "\u00ad", "\ud800", "Mr.", "U.S.", "…", "\"", "“",
]
MIXED = st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(ANY_CHAR, max_size=8)),
                 max_size=120).map(" ".join)
TEXT = st.one_of(st.text(ANY_CHAR, max_size=400), MIXED)
WHEN = st.one_of(st.none(), st.datetimes(timezones=st.just(UTC)), st.datetimes())


def check(doc: Document) -> Verdict:
    """Evaluate without the safety net, then check the verdict's invariants."""
    verdict = MATCHER._evaluate(doc)
    assert verdict == MATCHER.evaluate(doc)
    assert verdict.matched == bool(verdict.evidence)
    assert verdict.grade in ({"development", "mention"} if verdict.matched else {None})
    for item in verdict.evidence + verdict.near_misses:
        assert getattr(doc, item.field)[item.start:item.end] == item.sentence
        assert item.start < item.end
    return verdict


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, subtitle=TEXT, body=TEXT, published=WHEN)
def test_any_document_is_evaluated_consistently(title: str, subtitle: str, body: str,
                                                published: datetime | None) -> None:
    check(Document(title=title, subtitle=subtitle, body=body, published=published))


@settings(max_examples=300, deadline=None)
@given(text=st.text(ANY_CHAR, max_size=300))
def test_folding_keeps_a_monotonic_map_to_original_offsets(text: str) -> None:
    folded = fold(text)
    assert len(folded.text) <= len(text)
    offsets = [folded.to_orig(i) for i in range(len(folded.text) + 1)]
    assert offsets == sorted(offsets)
    assert offsets[-1] == len(text)
    assert all(folded.to_orig(folded.to_folded(i)) >= i for i in range(len(text) + 1))


CODE_PAGE_CHARS = [bytes([code]).decode("cp1251") for code in range(256) if code != 0x98]
RUSSIAN_TEXT = st.lists(st.one_of(st.sampled_from(CODE_PAGE_CHARS), st.sampled_from(
    ["Турция", "СИРИЯ", "Эрдоган", "Ёлка", "йод", "«", "—", "\u00a0", "\u00ad", "İ", "ğ"])),
    max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=RUSSIAN_TEXT)
def test_plain_russian_text_folds_as_any_text_does(text: str) -> None:
    """The byte-table path for code-page text (Russian news) folds exactly like the general
    path, character by character, and keeps offsets."""
    folded = fold(text)
    expected = "".join(fold(char + "\U0001f600").text[:-1] for char in text)  # general path
    assert folded.text == expected
    if folded.orig_of is None:
        assert len(folded.text) == len(text)


SIDE_TEXT = st.one_of(TEXT, RUSSIAN_TEXT, st.lists(st.sampled_from(
    ["Турции", "Сирия", "сирийские власти", "Дамаск", "Анкара", "Türkiye", "Erdoğan’s", "Syria",
     "Assad", "Ankara", "Syrian authorities", " ", "\n", "\n\n", ".", "ы", "-", "\u00ad",
     "İ", "\ud800"]), max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(SIDE_TEXT, min_size=3, max_size=3))
def test_the_prefilter_passes_every_text_naming_both_sides(texts: list[str]) -> None:
    """The prefilter's automaton pass keeps every text whose fields name both sides, and on
    folded text it is the plain test: a stem of every side occurs."""
    prefilter, lexicon = MATCHER._prefilter, MATCHER._lexicon
    folded = [fold(text).text for text in texts]
    sides = {hit.code for form in folded for hit in lexicon.side_hits(form, None)}
    if len(sides) == 2:
        assert prefilter.may_match(texts)
    joined = "\n".join(folded)
    assert prefilter.folded_check(folded) == all(
        any(stem in joined for stem in group) for group in prefilter.anchors())
    if prefilter._ascii_hay(texts) is None:  # not English: the test is exact
        assert prefilter.may_match(texts) == prefilter.folded_check(folded)


@settings(max_examples=300, deadline=None)
@given(text=SIDE_TEXT)
def test_side_hits_read_only_the_lines_naming_a_side_and_find_every_hit(text: str) -> None:
    lexicon = MATCHER._lexicon
    form = fold(text).text
    for limit in (None, 1, 2):
        assert lexicon.side_hits(form, None, limit) == lexicon.resolve(
            _scan(lexicon._sides, form, limit=limit), None)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(RUSSIAN_TEXT, TEXT))
def test_folded_bytes_are_the_folded_text_in_the_code_page(text: str) -> None:
    raw = fold_bytes(text)
    if raw is not None:
        assert raw == fold(text).text.encode(CODE_PAGE)
    elif text.isascii():
        raise AssertionError("ASCII text always has code-page bytes")


ASCII_PIECE = st.text("abcs ", max_size=4)


@settings(max_examples=300, deadline=None)
@given(strings=st.lists(st.one_of(ASCII_PIECE, st.sampled_from(["сири", "é", "ab", ""])),
                        max_size=12),
       text=st.lists(st.one_of(ASCII_PIECE, st.sampled_from(["Ab", "SABC", "-"])), max_size=30))
def test_every_search_path_says_which_strings_occur(strings: list[str], text: list[str]) -> None:
    """Each path of Substrings (UTF-8, code-page bytes, ASCII text) is the plain substring
    test of every string, overlapping ones, repeated ones and empty ones included (an empty
    string is never reported); an ASCII text finds no non-ASCII string."""
    search = Substrings(strings)
    folded = fold("".join(text)).text
    expected = {n for n, string in enumerate(strings) if string and string in folded}
    assert search.found(folded) == expected
    raw = fold_bytes(folded)
    assert raw is not None
    assert search.found_in_bytes(raw) == expected
    assert search.found_in_ascii(folded) == expected


@pytest.mark.parametrize("text", [
    "Syria and Turkey held talks. " * 8_000,
    "Erdogan Assad talks normalization with Syria Turkey " * 4_000,
    "\x00\u0306\r" * 300_000 + "Syria Turkey talks",
    "Turkey " * 30_000 + "Syria",
    "Turkey’s " * 400_000,
])
def test_huge_inputs_finish(text: str) -> None:
    started = time.perf_counter()
    verdict = check(Document(title=text[:1000], body=text))
    print(f"{len(text):,} chars -> matched={verdict.matched} "
          f"in {time.perf_counter() - started:.2f}s")
