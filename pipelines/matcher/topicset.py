"""Many topics, one pass: an automaton over every topic's anchor terms picks the topics an
article may match, and each query topic's screen (which strings each field holds) leaves out
those that cannot hold; only the others are evaluated (on one shared index of the article's
words)."""

from __future__ import annotations

from collections.abc import Sequence

from .engine import FIELDS, Matcher, article_index
from .fold import fold_bytes
from .model import Document, Verdict
from .query import ArticleIndex, QueryTopic
from .screen import Screen, always, compile_screen
from .substrings import Substrings

_NOTHING: frozenset[int] = frozenset()


class TopicSet:
    """The enabled topics' matchers behind one prefilter automaton over every anchor string
    of every topic; a topic is evaluated when each of its anchor groups has a string in the
    article. Only a topic's key group (its longest strings, likely the rarest: "damascus"
    rather than "talks") makes the topic worth checking, so a common word checks no topic.
    A query topic passing that test is evaluated only when its screen passes too: the words
    of a ``title:`` part in the title, each side of a NEAR somewhere (see ``screen``); the
    automaton also looks for the words the screens read.

    The detect step keeps matches only: a query topic evaluated here reports no near-misses
    (`mtwatch explain` and `mtwatch match` evaluate one topic directly and show them)."""

    def __init__(self, matchers: Sequence[Matcher]) -> None:
        self.matchers = list(matchers)
        self._unmatched = [matcher.unmatched() for matcher in self.matchers]
        #: every string looked for, numbered in the order first met
        numbers: dict[str, int] = {}
        #: per topic, its anchor groups as sets of anchor numbers
        self._groups: list[list[frozenset[int]]] = []
        for matcher in self.matchers:
            self._groups.append([frozenset(numbers.setdefault(anchor, len(numbers))
                                           for anchor in group) for group in matcher.anchors()])
        #: per topic, the test on each field's strings a chosen query topic must pass too
        self._screens: list[Screen | None] = []
        for matcher in self.matchers:
            query = matcher.topic
            screen = None
            if isinstance(query, QueryTopic):
                screen = compile_screen(query.node, query.leaves, FIELDS,
                                        lambda s: numbers.setdefault(s, len(numbers)))
            self._screens.append(None if screen is always else screen)
        #: topics without anchors (a query that is all NOT): evaluated on every article
        self._always = {n for n, groups in enumerate(self._groups) if not groups}
        #: string number -> the topics having it in their key group
        self._owners: list[set[int]] = [set() for _ in numbers]
        size = {number: len(string) for string, number in numbers.items()}
        for topic, groups in enumerate(self._groups):
            if groups:
                key = max(groups, key=lambda g: (min(size[n] for n in g), -len(g)))
                for number in key:
                    self._owners[number].add(topic)
        # one automaton over every string; string i is number i
        self._search = Substrings(list(numbers))

    def candidates(self, folded: str) -> set[int]:
        """The topics (matcher numbers) that ``folded`` text may match: those holding a
        string of each of their anchor groups (their screens are not read)."""
        return self._chosen(self._search.found(folded))

    def chosen(self, index: ArticleIndex) -> set[int]:
        """The topics evaluated on an article (``index``: as ``article_index`` makes it):
        the candidates of its folded text whose screens pass. Each field is searched on
        its own: ASCII as its folded string (its lowercase), other text in code-page bytes
        when it has them (no folded string is built), else as the folded string's UTF-8."""
        found: list[set[int] | frozenset[int]] = []
        search = self._search
        for number, (_, text) in enumerate(index.texts):
            if not text:
                found.append(_NOTHING)
            elif text.isascii():  # folds to its lowercase, kept for a topic chosen
                found.append(search.found_in_ascii(index.fold(number).text))
            else:
                hay = fold_bytes(text)
                found.append(search.found(index.fold(number).text) if hay is None
                             else search.found_in_bytes(hay))
        anywhere = set().union(*found)
        found.append(anywhere)
        return self._chosen(anywhere, found)

    def _chosen(self, anywhere: set[int],
                found: list[set[int] | frozenset[int]] | None = None) -> set[int]:
        chosen = set(self._always)
        touched = set().union(*(self._owners[number] for number in anywhere))
        for topic in touched:
            if all(not group.isdisjoint(anywhere) for group in self._groups[topic]):
                screen = self._screens[topic]
                if found is None or screen is None or screen(found):
                    chosen.add(topic)
        return chosen

    def evaluate(self, document: Document) -> list[Verdict]:
        """One verdict per matcher, in order; a topic not chosen gets a no-match verdict
        without being evaluated."""
        index = article_index(document)
        verdicts = list(self._unmatched)
        for number in sorted(self.chosen(index)):
            verdicts[number] = self.matchers[number].evaluate(document, index, near_misses=False)
        return verdicts
