"""The shipped Syria–Turkey topic as the matcher's tests read it: its rules file, and a reader
of one headline and body at a date (each test module picks its own default date)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from pipelines.matcher import Document, Matcher, Verdict

SYRIA_TURKEY = Path(__file__).resolve().parents[2] / "config" / "topics" / "syria-turkey.toml"


class BodyReader(Protocol):
    def __call__(self, matcher: Matcher, text: str, when: datetime | None = ...,
                 title: str = ...) -> Verdict: ...


def body_reader(default: datetime | None) -> BodyReader:
    """``body(matcher, text, when=default, title="")``: the verdict on an article whose body
    is ``text``, published at ``when``."""

    def body(matcher: Matcher, text: str, when: datetime | None = default,
             title: str = "") -> Verdict:
        return matcher.evaluate(Document(title=title, body=text, published=when))

    return body
