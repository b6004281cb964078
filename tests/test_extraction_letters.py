"""pipelines/extraction/letters.py counts what str.isalnum counts, on any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipelines.extraction.letters import letter_count


@given(st.text())
def test_the_count_is_str_isalnum_on_any_text(text: str) -> None:
    assert letter_count(text) == sum(map(str.isalnum, text))


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_count_is_str_isalnum_on_ascii_text(text: str) -> None:
    assert letter_count(text) == sum(map(str.isalnum, text))


def test_letters_digits_and_nothing_else() -> None:
    assert letter_count(None) == letter_count("") == letter_count(" \n\t") == 0
    assert letter_count("a_b-c 1,2\x00") == 5
    assert letter_count("Сирия и Турция, 2024: ٣") == 17
    assert letter_count("x\udc80y") == 2  # a lone surrogate (surrogatepass input) is no letter
