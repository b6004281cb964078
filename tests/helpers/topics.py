"""The shipped Syria–Turkey topic as the matcher's tests read it: its rules file, and a reader
of one headline and body at a date (each test module picks its own default date)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pipelines.matcher import Document, Matcher, Verdict

SYRIA_TURKEY = Path(__file__).resolve().parents[2] / "config" / "topics" / "syria-turkey.toml"
#: its learned second opinion, which its [second_opinion] table names
OPINION = SYRIA_TURKEY.with_name("syria-turkey.opinion.npz")
#: a body that says nothing about the pair, under a headline being tested
CALM = "The lira was steady."


def with_opinion(folder: Path) -> Path:
    """Copy the shipped second-opinion model into ``folder``, where a copy of the shipped
    topic file looks for it (a model is read beside its topic file)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(OPINION, folder / OPINION.name))


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


class HeadlineReader(Protocol):
    def __call__(self, matcher: Matcher, title: str, text: str = ...,
                 when: datetime | None = ...) -> bool: ...


def headline_reader(default: datetime | None) -> HeadlineReader:
    """``found(matcher, title, text=CALM, when=default)``: whether an article with this
    headline (over a calm body unless ``text`` is given), published at ``when``, matches."""

    def found(matcher: Matcher, title: str, text: str = CALM,
              when: datetime | None = default) -> bool:
        return matcher.evaluate(Document(title=title, body=text, published=when)).matched

    return found
