"""CSV that a spreadsheet cannot run: the one writer behind every CSV mtwatch prints.

Crawled headlines, evidence and text end up in cells. A cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets
(``=HYPERLINK("http://evil.example/x","…")``), so such a cell gets a leading ``'``, which
spreadsheets show as text (OWASP, "CSV Injection"). Every data cell is quoted, so where a
cell ends never depends on what it holds.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

#: what makes a spreadsheet cell a formula (OWASP's list)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as a cell: text that a spreadsheet would evaluate gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeCsvWriter:
    """A header row (our own column names), then rows of neutralised, quoted cells."""

    def __init__(self, out: TextIO, header: Sequence[str]) -> None:
        self.header = list(header)
        csv.writer(out).writerow(self.header)
        self._rows = csv.writer(out, quoting=csv.QUOTE_ALL)

    def writerow(self, cells: Iterable[Any]) -> None:
        self._rows.writerow([neutralise(cell) for cell in cells])

    def writedict(self, row: dict[str, Any]) -> None:
        """A row given by column name; missing columns are empty."""
        self.writerow(row.get(name, "") for name in self.header)
