"""Pages for extraction tests that hide one planted sentence in bulk (huge tables, long runs of
paragraphs), and whether an extracted text still holds a match of the shipped topic."""

from __future__ import annotations

from crawler.config import SHIPPED_CONFIG_DIR
from pipelines.matcher import Document, Matcher, load_topic

#: the one sentence of these pages the syria-turkey topic matches
PLANT = "Ankara and Damascus agreed to restore diplomatic ties, officials said."
PARAGRAPH = "<p>The Kremlin said talks with regional partners would go on as prices rose.</p>\n"
ROW = "<tr><td>cell one</td><td>cell two</td><td>3.14</td><td>more text here</td></tr>"
MATCHER = Matcher(load_topic(SHIPPED_CONFIG_DIR / "topics" / "syria-turkey.toml"))


def planted(unit: str, size: int, wrap: str = "<div>{}</div>") -> str:
    """``unit`` repeated to ``size`` bytes with the planted sentence in the middle."""
    count = size // len(unit)
    middle = f"<p>{PLANT}</p>" if unit.startswith("<p>") else f"<tr><td>{PLANT}</td></tr>"
    return wrap.format(unit * (count // 2) + middle + unit * (count - count // 2))


def table(size: int) -> str:
    """A table of about ``size`` bytes with :data:`PLANT` in one of its rows."""
    return planted(ROW, size, "<div><table>{}</table></div>")


def paragraphs(size: int) -> str:
    """About ``size`` bytes of paragraphs with :data:`PLANT` as one of them."""
    return planted(PARAGRAPH, size)


def matches(text: str, title: str = "Budget Figures") -> bool:
    """Whether the syria-turkey topic matches ``text`` under a neutral ``title``."""
    return MATCHER.evaluate(Document(title=title, body=text)).matched
