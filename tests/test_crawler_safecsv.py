"""The one CSV writer: formula cells neutralised (OWASP), every data cell quoted."""

from __future__ import annotations

import csv
import io

import pytest

from crawler.safecsv import SafeCsvWriter, neutralise


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\tx", " =1",
                                  "\n @x", '=HYPERLINK("http://evil.example/x","ties")'])
def test_formula_cells_become_text(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(("cell", "shown"), [("\r=1", "'\n=1"), ("\x1b=1", "'=1"),
                                             ("\u202e-1", "'-1"), ("a\x07b\r\nc", "ab\nc")])
def test_controls_go_before_the_formula_check(cell: str, shown: str) -> None:
    assert neutralise(cell) == shown


@pytest.mark.parametrize("cell", ["Turkey and Syria", "'=1", "", "[1]", "1-2", "a\n=1", 7, None])
def test_other_cells_are_kept(cell: object) -> None:
    assert neutralise(cell) == cell


def test_data_cells_are_quoted_and_read_back_whole() -> None:
    out = io.StringIO()
    writer = SafeCsvWriter(out, ["id", "headline"])
    writer.writerow([1, "a;=1+1"])
    writer.writedict({"headline": "-x"})
    lines = out.getvalue().splitlines()
    assert lines == ["id,headline", '"1","a;=1+1"', '"","\'-x"']
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["id", "headline"], ["1", "a;=1+1"], ["", "'-x"]]
