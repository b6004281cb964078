"""The second blind held-out set keeps its shape and the coverage tests/data/README.md promises.

Format and counts only, as for heldout.jsonl: this module never imports or runs the matcher, so
reading it tells a rule author nothing about how the held-out rows fare. The kinds, the label
each kind carries and the date of the fall of Assad are those of the first held-out set.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.test_data_heldout_format import CUTOFF, ISSUE_CLASSES, KINDS, ORDINARY_CLASSES

HELDOUT_B = Path(__file__).parent / "data" / "heldout_b.jsonl"

REQUIRED = {"id", "split", "language", "label", "kind", "published", "title", "text", "note"}
OPTIONAL = {"subtitle"}

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
LATIN = re.compile("[a-z]", re.IGNORECASE)


def load_rows() -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(HELDOUT_B.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"heldout_b.jsonl:{number}: blank line"
        row = json.loads(line)
        assert isinstance(row, dict), f"heldout_b.jsonl:{number}: not a JSON object"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return load_rows()


def published(row: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(row["published"])


def test_every_row_has_exactly_the_documented_keys(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        keys = set(row)
        assert keys >= REQUIRED, (row.get("id"), REQUIRED - keys)
        assert keys <= REQUIRED | OPTIONAL, (row["id"], keys - REQUIRED - OPTIONAL)
        for key in keys:
            assert isinstance(row[key], str), (row["id"], key)
            assert row[key], (row["id"], key)
            assert row[key].strip() == row[key], (row["id"], key)


def test_values_are_from_the_documented_sets(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        # "hb-", not the first set's "ho-": the two files can be pooled without id clashes
        assert re.fullmatch(r"hb-(en|ru)-\d{3}", row["id"]), row["id"]
        assert row["id"].split("-")[1] == row["language"], row["id"]
        assert row["split"] == "heldout", row["id"]
        assert row["language"] in {"en", "ru"}, row["id"]
        assert row["kind"] in KINDS, (row["id"], row["kind"])
        assert row["label"] == KINDS[row["kind"]], (row["id"], row["kind"], row["label"])
        assert dt.date(2010, 1, 1) <= published(row) <= dt.date(2026, 12, 31), row["id"]


def test_ids_are_unique(rows: list[dict[str, Any]]) -> None:
    duplicates = [key for key, n in Counter(row["id"] for row in rows).items() if n > 1]
    assert duplicates == []


def test_texts_are_news_excerpts_in_their_language(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        paragraphs = row["text"].split("\n\n")
        assert 2 <= len(paragraphs) <= 6, (row["id"], len(paragraphs))
        assert all(p.strip() == p and p for p in paragraphs), row["id"]
        words = f"{row['title']} {row['text']}"
        cyrillic, latin = len(CYRILLIC.findall(words)), len(LATIN.findall(words))
        if row["language"] == "ru":
            assert cyrillic > 3 * latin, row["id"]
        else:
            assert cyrillic == 0, row["id"]


def test_no_text_is_written_twice(rows: list[dict[str, Any]]) -> None:
    texts = Counter(row["text"] for row in rows)
    assert [text[:60] for text, n in texts.items() if n > 1] == []


def test_split_size_and_balance(rows: list[dict[str, Any]]) -> None:
    labels = Counter(row["label"] for row in rows)
    languages = Counter(row["language"] for row in rows)
    assert len(rows) >= 240
    assert 0.40 <= labels["positive"] / len(rows) <= 0.55, labels
    assert languages["ru"] >= 70
    for language in ("en", "ru"):
        by_label = Counter(row["label"] for row in rows if row["language"] == language)
        assert min(by_label["positive"], by_label["negative"]) >= 35, (language, by_label)


def test_dates_cover_both_periods_and_every_year(rows: list[dict[str, Any]]) -> None:
    after = [row for row in rows if published(row) > CUTOFF]
    assert len(after) >= 100
    by_label = Counter(row["label"] for row in after)
    assert min(by_label["positive"], by_label["negative"]) >= 30, by_label
    years = {published(row).year for row in rows}
    assert set(range(2010, 2027)) <= years


def test_post_december_2024_class_is_dated_after_the_fall_of_assad(
    rows: list[dict[str, Any]],
) -> None:
    ties = [row for row in rows if row["kind"] == "post2024_ties"]
    assert [row["id"] for row in ties if published(row) <= CUTOFF] == []


@pytest.mark.parametrize("kind", sorted(ISSUE_CLASSES))
def test_each_issue_class_has_ten_rows_in_both_languages(
    rows: list[dict[str, Any]], kind: str
) -> None:
    languages = Counter(row["language"] for row in rows if row["kind"] == kind)
    assert sum(languages.values()) >= 10, (kind, languages)
    assert min(languages["en"], languages["ru"]) >= 3, (kind, languages)


@pytest.mark.parametrize("kind", sorted(ORDINARY_CLASSES))
def test_each_ordinary_class_is_present_in_both_languages(
    rows: list[dict[str, Any]], kind: str
) -> None:
    languages = Counter(row["language"] for row in rows if row["kind"] == kind)
    assert min(languages["en"], languages["ru"]) >= 3, (kind, languages)
