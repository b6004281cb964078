"""CSV that a spreadsheet cannot run: the one writer behind every CSV mtwatch prints.

Crawled headlines, evidence and text end up in cells. A cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets
(``=HYPERLINK("http://evil.example/x","…")``), so such a cell gets a leading ``'``, which
spreadsheets show as text (OWASP, "CSV Injection"); so does one where white space comes
first. Text loses its control and format characters before that check
(``pipelines.untrusted.clean_text``: rows stored before crawled text was cleaned), so none of
them can hide a formula sign. Every data cell is quoted, so where a cell ends never depends on
what it holds.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from pipelines.untrusted import clean_text

#: what makes a spreadsheet cell a formula (OWASP's list)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: the same, also behind leading white space or line breaks that an importer may trim
_FORMULA = re.compile(r"^(?:\s*[=+\-@]|[\t\r])")


def neutralise(value: Any) -> Any:
    """``value`` as a cell: plain text, with a leading ``'`` if a spreadsheet would evaluate it."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if _FORMULA.match(text) else text


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
