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
        self._groups = [matcher.anchors() for matcher in self.matchers]
        #: topics without anchors (a query that is all NOT): evaluated on every article
        self._always = {n for n, groups in enumerate(self._groups) if not groups}
        owners: dict[str, set[int]] = {}
        for number, groups in enumerate(self._groups):
            for anchor in frozenset().union(*groups):
                owners.setdefault(anchor, set()).add(number)
        self._automaton: ahocorasick.Automaton | None = None
        if owners:
            automaton = ahocorasick.Automaton()
            for anchor, numbers in owners.items():
                automaton.add_word(anchor, (anchor, frozenset(numbers)))
            automaton.make_automaton()
            self._automaton = automaton

    def candidates(self, folded: str) -> set[int]:
        """The topics (matcher numbers) that ``folded`` text may match: those holding a
        string of each of their anchor groups."""
        chosen = set(self._always)
        if self._automaton is None:
            return chosen
        found: set[str] = set()
        touched: set[int] = set()
        for _, (anchor, numbers) in self._automaton.iter(folded):
            if anchor not in found:
                found.add(anchor)
                touched |= numbers
        chosen.update(n for n in touched
                      if all(not group.isdisjoint(found) for group in self._groups[n]))
        return chosen

    def evaluate(self, document: Document) -> list[Verdict]:
        """One verdict per matcher, in order; a topic whose anchors are not all there gets a
        no-match verdict without being evaluated."""
        index = article_index(document)
        chosen = self.candidates(index.folded())
        return [matcher.evaluate(document, index) if number in chosen else matcher.unmatched()
                for number, matcher in enumerate(self.matchers)]
