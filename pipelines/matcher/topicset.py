"""Many topics, one pass: an automaton over every topic's anchor strings picks the topics an
article may match; only those are evaluated (on one shared index of the article's words)."""

from __future__ import annotations

from collections.abc import Sequence

from .engine import Matcher, article_index
from .model import Document, Verdict
from .query import ArticleIndex
from .substrings import Substrings


class TopicSet:
    """The enabled topics' matchers behind one prefilter automaton over every anchor string
    of every topic; a topic is evaluated when each of its anchor groups has a string in the
    article. Only a topic's key group (its longest strings, likely the rarest: "damascus"
    rather than "talks") makes the topic worth checking, so a common word checks no topic.

    The detect step keeps matches only: a query topic evaluated here reports no near-misses
    (`mtwatch explain` and `mtwatch match` evaluate one topic directly and show them)."""

    def __init__(self, matchers: Sequence[Matcher]) -> None:
        self.matchers = list(matchers)
        self._unmatched = [matcher.unmatched() for matcher in self.matchers]
        #: every anchor string, numbered in the order first met
        numbers: dict[str, int] = {}
        #: per topic, its anchor groups as sets of anchor numbers
        self._groups: list[list[frozenset[int]]] = []
        for matcher in self.matchers:
            self._groups.append([frozenset(numbers.setdefault(anchor, len(numbers))
                                           for anchor in group) for group in matcher.anchors()])
        #: topics without anchors (a query that is all NOT): evaluated on every article
        self._always = {n for n, groups in enumerate(self._groups) if not groups}
        #: anchor number -> the topics having it in their key group
        self._owners: list[set[int]] = [set() for _ in numbers]
        size = {number: len(string) for string, number in numbers.items()}
        for topic, groups in enumerate(self._groups):
            if groups:
                key = max(groups, key=lambda g: (min(size[n] for n in g), -len(g)))
                for number in key:
                    self._owners[number].add(topic)
        # one automaton over every anchor string; string i is anchor number i
        self._search = Substrings(list(numbers))

    def candidates(self, folded: str) -> set[int]:
        """The topics (matcher numbers) that ``folded`` text may match: those holding a
        string of each of their anchor groups."""
        return self._chosen(self._search.found(folded))

    def _candidates_of(self, index: ArticleIndex) -> set[int]:
        """``candidates(index.folded())``, without folding the article to a string when its
        fields fold to code-page bytes (most articles select no topic). ASCII folds to a
        string as cheaply, and a topic chosen reads that string."""
        texts = [text for _, text in index.texts]
        found = None if all(text.isascii() for text in texts) else (
            self._search.found_in_fields(texts))
        return self.candidates(index.folded()) if found is None else self._chosen(found)

    def _chosen(self, found: set[int]) -> set[int]:
        chosen = set(self._always)
        touched = set().union(*(self._owners[number] for number in found))
        chosen.update(topic for topic in touched
                      if all(not group.isdisjoint(found) for group in self._groups[topic]))
        return chosen

    def evaluate(self, document: Document) -> list[Verdict]:
        """One verdict per matcher, in order; a topic whose anchors are not all there gets a
        no-match verdict without being evaluated."""
        index = article_index(document)
        verdicts = list(self._unmatched)
        for number in sorted(self._candidates_of(index)):
            verdicts[number] = self.matchers[number].evaluate(document, index, near_misses=False)
        return verdicts
