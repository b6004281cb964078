"""Many topics, one pass: an automaton over every topic's anchor strings picks the topics an
article may match; only those are evaluated (on one shared index of the article's words)."""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick

from .engine import Matcher, article_index
from .model import Document, Verdict


class TopicSet:
    """The enabled topics' matchers behind one prefilter automaton."""

    def __init__(self, matchers: Sequence[Matcher]) -> None:
        self.matchers = list(matchers)
        #: topics without anchors (a query that is all NOT): evaluated on every article
        self._always: list[int] = []
        owners: dict[str, set[int]] = {}
        for number, matcher in enumerate(self.matchers):
            anchors = matcher.anchors()
            if not anchors:
                self._always.append(number)
                continue
            for anchor in anchors:
                owners.setdefault(anchor, set()).add(number)
        self._automaton: ahocorasick.Automaton | None = None
        if owners:
            automaton = ahocorasick.Automaton()
            for anchor, numbers in owners.items():
                automaton.add_word(anchor, frozenset(numbers))
            automaton.make_automaton()
            self._automaton = automaton

    def candidates(self, folded: str) -> set[int]:
        """The topics (matcher numbers) that ``folded`` text may match."""
        chosen = set(self._always)
        if self._automaton is not None:
            for _, numbers in self._automaton.iter(folded):
                chosen |= numbers
        return chosen

    def evaluate(self, document: Document) -> list[Verdict]:
        """One verdict per matcher, in order; a topic none of whose anchors occurs gets a
        no-match verdict without being evaluated."""
        index = article_index(document)
        chosen = self.candidates(index.folded())
        return [matcher.evaluate(document, index) if number in chosen else matcher.unmatched()
                for number, matcher in enumerate(self.matchers)]
