"""Quick topics: a query (querylang) evaluated on an article's words, with the rules engine's
evidence sentences, near-misses and grade.

An article matches when the query holds for it: a word, phrase or prefix holds when it occurs
(in the field a ``title:``/``body:`` names, else in any field); ``A NEAR/n B`` holds when an
occurrence of A and one of B, in either order and without overlapping, have at most n words
between them inside one sentence window (``window`` sentences, 1 by default). The evidence is
the fewest sentences (windows) that show every positive part of the query; the grade is
"development" when the topic's ``development`` query holds in those sentences, else
"mention". A query that does not hold gives near-misses: the sentences holding most of its
parts, with what is missing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from .analyze import Finding, split_sentences
from .fold import Folded, fold
from .querylang import And, Field, Near, Node, Not, Or, Phrase, Word, is_place, unparse
from .segment import tokens, words_of

#: occurrences of one part looked at in one article; past it a hostile text is not read on
MAX_PLACES = 20_000
MAX_EVIDENCE = 5
MAX_REASON = 400
#: the largest sentence window a topic may ask for
MAX_WINDOW_SENTENCES = 10
DEFAULT_RULE = "query"


@dataclass(frozen=True, slots=True)
class Seq:
    """A compiled word, phrase or prefix: folded words in a row (``prefix``: the last one is
    a prefix)."""

    words: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True, slots=True)
class QueryTopic:
    """A quick topic: one query, compiled."""

    form: ClassVar[str] = "query"

    id: str
    name: str
    version: str
    rule_version: str
    source: str
    query: str
    node: Node
    languages: tuple[str, ...] = ()
    window: int = 1
    development: Node | None = None
    rule: str = DEFAULT_RULE
    #: each word, phrase or prefix of the queries, compiled once
    leaves: dict[int, Seq] = field(default_factory=dict, compare=False, hash=False)
    groups: Groups = field(default=(), compare=False, hash=False)
    parts: dict[int, Groups] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for root in (self.node, self.development):
            if root is not None:
                for leaf in _leaves(root):
                    self.leaves[id(leaf)] = compile_leaf(leaf)
        object.__setattr__(self, "groups", _anchors(self.node, self.leaves))

    def anchors(self) -> Groups:
        """Groups of folded strings: an article the query can match holds one string of
        every group (no group: any article may match, as ``NOT football`` does)."""
        return self.groups

    def needs(self, node: Node) -> Groups:
        """The anchor groups of one part of the query."""
        found = self.parts.get(id(node))
        if found is None:
            found = self.parts[id(node)] = _anchors(node, self.leaves)
        return found


def compile_leaf(leaf: Word | Phrase) -> Seq:
    """The folded words of a word or phrase as the index holds them."""
    text = leaf.text if isinstance(leaf, Word) else " ".join(leaf.words)
    folded = fold(text).text
    words = tuple(token.word for token in tokens(folded, 0, len(folded)))
    return Seq(words, isinstance(leaf, Word) and leaf.prefix)


def _leaves(node: Node) -> Iterable[Word | Phrase]:
    if isinstance(node, Word | Phrase):
        yield node
    elif isinstance(node, Field | Not):
        yield from _leaves(node.child)
    elif isinstance(node, Near):
        yield from _leaves(node.left)
        yield from _leaves(node.right)
    else:
        for child in node.children:
            yield from _leaves(child)


Groups = tuple[frozenset[str], ...]


def _anchors(node: Node, leaves: dict[int, Seq]) -> Groups:
    if isinstance(node, Word | Phrase):
        words = leaves[id(node)].words
        return (frozenset({max(words, key=len)}),) if words else ()
    if isinstance(node, Field):
        return _anchors(node.child, leaves)
    if isinstance(node, Not):
        return ()
    if isinstance(node, Or):
        # whichever alternative holds, one string of its smallest group occurs
        picked = [min(_anchors(child, leaves), key=len, default=None) for child in node.children]
        if any(group is None for group in picked):
            return ()
        return (frozenset().union(*(g for g in picked if g is not None)),)
    children = (node.left, node.right) if isinstance(node, Near) else node.children
    return tuple(dict.fromkeys(g for child in children for g in _anchors(child, leaves)))


class Place(NamedTuple):
    """Where a part of the query occurs: words [start, end) of one field, and the words of
    each word or phrase in it."""

    field: int
    start: int
    end: int
    parts: tuple[tuple[int, int], ...]


#: a word's position is its sentence's folded start offset times STRIDE plus its number in
#: the sentence: a sentence's words are numbered without reading the text before it
STRIDE = 1 << 32


class FieldIndex:
    """One field, folded. Its lines are split into sentences, and a sentence into words, only
    when a term of a query occurs there (newlines always end a sentence). A sentence is named
    by its folded start offset."""

    def __init__(self, number: int, name: str, text: str, folded: Folded) -> None:
        self.number, self.name, self.text, self.folded = number, name, text, folded
        #: sentence (folded start) -> folded end, original start and end
        self._spans: dict[int, tuple[int, int, int]] = {}
        #: line (folded start) -> the sentences of that line
        self._lines: dict[int, list[int]] = {}
        self._words: dict[int, tuple[list[int], list[int], list[str]]] = {}

    def line(self, at: int) -> tuple[int, list[int]]:
        """The folded start of the line holding folded offset ``at``, and its sentences."""
        text = self.folded.text
        start = text.rfind("\n", 0, at) + 1
        found = self._lines.get(start)
        if found is None:
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            to_orig = self.folded.to_orig
            found = []
            # long run-on "sentences" are cut, as the rules engine cuts them
            for head, stop in split_sentences(self.text, self.folded, to_orig(start),
                                              to_orig(end)):
                self._spans[head] = (stop, to_orig(head), to_orig(stop))
                found.append(head)
            self._lines[start] = found
        return start, found

    def sentence_at(self, at: int) -> int | None:
        """The sentence holding folded offset ``at`` (None: between sentences)."""
        _, heads = self.line(at)
        place = bisect_right(heads, at) - 1
        if place < 0 or at >= self._spans[heads[place]][0]:
            return None
        return heads[place]

    def following(self, sentence: int) -> int | None:
        """The sentence after ``sentence`` (None: it is the last)."""
        start, heads = self.line(sentence)
        place = bisect_left(heads, sentence) + 1
        if place < len(heads):
            return heads[place]
        text = self.folded.text
        end = text.find("\n", sentence)
        while end >= 0:
            start = end + 1
            _, heads = self.line(start)
            if heads:
                return heads[0]
            end = text.find("\n", start)
        return None

    def span(self, sentence: int) -> tuple[int, int]:
        """The original offsets of a sentence."""
        _, begin, stop = self._spans[sentence]
        return begin, stop

    def words(self, sentence: int) -> tuple[list[int], list[int], list[str]]:
        """Folded start and end offsets and the words of one sentence."""
        found = self._words.get(sentence)
        if found is None:
            found = words_of(self.folded.text, sentence, self._spans[sentence][0])
            self._words[sentence] = found
        return found

    def find(self, seq: Seq) -> list[int]:
        """Positions where ``seq`` starts, in text order."""
        if not seq.words:
            return []
        text, first, size = self.folded.text, seq.words[0], len(seq.words)
        hits: list[int] = []
        at = text.find(first)
        while at >= 0 and len(hits) < MAX_PLACES:
            # a letter or digit before: inside a word, no word starts here
            if not (at and text[at - 1].isalnum()):
                sentence = self.sentence_at(at)
                if sentence is not None:
                    starts, _, words = self.words(sentence)
                    local = bisect_left(starts, at)
                    if (local + size <= len(words) and starts[local] == at
                            and _fits(words[local:local + size], seq)):
                        hits.append(sentence * STRIDE + local)
            at = text.find(first, at + 1)
        return hits

    def sentences_between(self, first: int, last: int, limit: int) -> list[int] | None:
        """The sentences from ``first`` to ``last``, when at most ``limit`` (else None)."""
        found = [first]
        while found[-1] != last:
            after = self.following(found[-1])
            if after is None or after > last or len(found) >= limit:
                return None
            found.append(after)
        return found

    def preceding(self, sentence: int) -> int | None:
        """The sentence before ``sentence`` (None: it is the first)."""
        start, heads = self.line(sentence)
        place = bisect_left(heads, sentence) - 1
        if place >= 0:
            return heads[place]
        while start > 0:
            start, heads = self.line(start - 1)
            if heads:
                return heads[-1]
        return None

    def size(self, sentence: int) -> int:
        """The number of words of a sentence."""
        return len(self.words(sentence)[2])

    def near_ranges(self, start: int, end: int, reach: int, window: int, longest: int
                    ) -> list[tuple[int, int]]:
        """Where a place of at most ``longest`` words may start to be at most ``reach`` words
        from the place [start, end): in its sentences, and in the ``window - 1`` sentences
        before and after it, as far as the words left of ``reach`` go."""
        ranges = [(start - reach - longest, end + reach)]
        first, last = start // STRIDE, (end - 1) // STRIDE
        budget, sentence = reach - (self.size(last) - (end - last * STRIDE)), last
        for _ in range(window - 1):
            after = self.following(sentence)
            if budget < 0 or after is None:
                break
            sentence = after
            ranges.append((sentence * STRIDE, sentence * STRIDE + budget))
            budget -= self.size(sentence)
        budget, sentence = reach - (start - first * STRIDE), first
        for _ in range(window - 1):
            before = self.preceding(sentence)
            if budget < 0 or before is None:
                break
            sentence = before
            size = self.size(sentence)
            ranges.append((sentence * STRIDE + size - budget - longest, sentence * STRIDE + size))
            budget -= size
        return ranges

    def gap(self, end: int, start: int) -> int | None:
        """Words between a place ending (exclusive) at ``end`` and one starting at ``start``
        (None: more than ``MAX_WINDOW_SENTENCES`` sentences apart)."""
        last, first = (end - 1) // STRIDE, start // STRIDE
        if last == first:
            return start - end
        chain = self.sentences_between(last, first, MAX_WINDOW_SENTENCES)
        if chain is None:
            return None
        between = sum(self.size(s) for s in chain[1:-1])
        return (self.size(last) - (end - last * STRIDE) + between
                + (start - first * STRIDE))

    def surface(self, start: int, end: int) -> str:
        """The original text of the words from ``start`` to ``end`` (exclusive)."""
        to_orig = self.folded.to_orig
        first, last = start // STRIDE, (end - 1) // STRIDE
        begin = self.words(first)[0][start - first * STRIDE]
        stop = self.words(last)[1][end - 1 - last * STRIDE]
        return self.text[to_orig(begin):to_orig(stop)]

    def first_sentence(self) -> int | None:
        """The first sentence of the field (None: it has none)."""
        _, heads = self.line(0)
        return heads[0] if heads else self.following(0) if self.text else None


def _fits(words: list[str], seq: Seq) -> bool:
    if seq.prefix:
        return words[:-1] == list(seq.words[:-1]) and words[-1].startswith(seq.words[-1])
    return words == list(seq.words)


class ArticleIndex:
    """The fields of one document, folded and indexed on first use (shared by every topic
    evaluated on it)."""

    def __init__(self, texts: Sequence[tuple[str, str]]) -> None:
        self.texts = list(texts)
        self._fields: list[FieldIndex | None] = [None] * len(self.texts)
        self._fold: list[Folded | None] = [None] * len(self.texts)
        self._folds: list[Folded] | None = None
        self._folded: str | None = None

    def fold(self, number: int) -> Folded:
        """Field ``number`` folded (once)."""
        found = self._fold[number]
        if found is None:
            found = self._fold[number] = fold(self.texts[number][1])
        return found

    def folds(self) -> list[Folded]:
        if self._folds is None:
            self._folds = [self.fold(number) for number in range(len(self.texts))]
        return self._folds

    def field(self, number: int) -> FieldIndex:
        found = self._fields[number]
        if found is None:
            name, text = self.texts[number]
            found = self._fields[number] = FieldIndex(number, name, text, self.folds()[number])
        return found

    def folded(self) -> str:
        """Every field folded, joined by newlines (for the anchors' substring test)."""
        if self._folded is None:
            self._folded = "\n".join(f.text for f in self.folds())
        return self._folded


Unit = tuple[int, int, int]  # field, first sentence, last sentence


class Evaluation:
    """One query topic on one article: which parts hold and where."""

    def __init__(self, topic: QueryTopic, index: ArticleIndex,
                 allowed: frozenset[tuple[int, int]] | None = None) -> None:
        self.topic, self.index, self.allowed = topic, index, allowed
        self.all_fields = frozenset(range(len(index.texts)))
        self._places: dict[tuple[int, frozenset[int]], list[Place]] = {}

    def fields_of(self, name: str, fields: frozenset[int]) -> frozenset[int]:
        return frozenset(n for n in fields if self.index.texts[n][0] == name)

    def places(self, node: Node, fields: frozenset[int]) -> list[Place]:
        key = (id(node), fields)
        found = self._places.get(key)
        if found is None:
            found = self._places[key] = self._compute(node, fields)
        return found

    def _compute(self, node: Node, fields: frozenset[int]) -> list[Place]:
        if isinstance(node, Word | Phrase):
            seq = self.topic.leaves[id(node)]
            found: list[Place] = []
            for number in sorted(fields):
                index = self.index.field(number)
                size = len(seq.words)
                for start in index.find(seq):
                    if self._allowed(number, start, start + size):
                        found.append(Place(number, start, start + size,
                                           ((start, start + size),)))
            return found
        if isinstance(node, Field):
            return self.places(node.child, self.fields_of(node.name, fields))
        if isinstance(node, Or):
            merged = [p for child in node.children for p in self.places(child, fields)]
            return sorted(set(merged))[:MAX_PLACES]
        if isinstance(node, Near):
            return self._near(node, fields) if self.maybe(node, fields) else []
        raise TypeError(f"not a place: {unparse(node)}")

    def _allowed(self, number: int, start: int, end: int) -> bool:
        if self.allowed is None:
            return True
        return all((number, p // STRIDE) in self.allowed for p in (start, end - 1))

    def _near(self, node: Near, fields: frozenset[int]) -> list[Place]:
        lefts, rights = self.places(node.left, fields), self.places(node.right, fields)
        if not lefts or not rights:
            return []
        longest = max(r.end - r.start for r in rights)
        keys = [(r.field, r.start) for r in rights]
        reach, window = node.distance, self.topic.window
        found: set[Place] = set()
        for left in lefts:
            index = self.index.field(left.field)
            ranges = index.near_ranges(left.start, left.end, reach, window, longest)
            candidates = [right for low, high in ranges
                          for right in rights[bisect_left(keys, (left.field, low)):
                                              bisect_right(keys, (left.field, high))]]
            for right in candidates:
                if right.start >= left.end:
                    gap = index.gap(left.end, right.start)
                elif left.start >= right.end:
                    gap = index.gap(right.end, left.start)
                else:
                    continue  # the same words: two places are needed
                start, end = min(left.start, right.start), max(left.end, right.end)
                if gap is not None and gap <= reach and index.sentences_between(
                        start // STRIDE, (end - 1) // STRIDE, window) is not None:
                    found.add(Place(left.field, start, end,
                                    tuple(sorted(left.parts + right.parts))))
            if len(found) >= MAX_PLACES:
                break
        return sorted(found)

    def maybe(self, node: Node, fields: frozenset[int]) -> bool:
        """False when a string ``node`` needs is in none of ``fields`` (it cannot hold)."""
        texts = [self.index.folds()[n].text for n in fields]
        return all(any(a in text for text in texts for a in group)
                   for group in self.topic.needs(node))

    def holds(self, node: Node, fields: frozenset[int] | None = None) -> bool:
        fields = self.all_fields if fields is None else fields
        if is_place(node):
            return bool(self.places(node, fields))
        if isinstance(node, Field):
            return self.holds(node.child, self.fields_of(node.name, fields))
        if isinstance(node, Not):
            return not self.holds(node.child, fields)
        if isinstance(node, And):
            # a cheap test of every part first: a missing word spares reading the others
            return (all(self.maybe(child, fields) for child in node.children)
                    and all(self.holds(child, fields) for child in node.children))
        assert isinstance(node, Or)
        return any(self.holds(child, fields) for child in node.children)

    def shown(self, node: Node, fields: frozenset[int] | None = None, *,
              true_only: bool = True) -> list[list[Place]]:
        """The places of each positive part of the query (under no NOT): those that hold
        (``true_only``) or all that occur (for near-misses)."""
        fields = self.all_fields if fields is None else fields
        if is_place(node):
            found = self.places(node, fields)
            if found or true_only or not isinstance(node, Near):
                return [found] if found else []
            # a NEAR that fails: where each of its sides occurs
            return (self.shown(node.left, fields, true_only=False)
                    + self.shown(node.right, fields, true_only=False))
        if isinstance(node, Field):
            return self.shown(node.child, self.fields_of(node.name, fields), true_only=true_only)
        if isinstance(node, Not):
            return []
        assert isinstance(node, And | Or)
        children = node.children
        if true_only and isinstance(node, Or):
            children = tuple(c for c in children if self.holds(c, fields))[:1]
        return [group for child in children
                for group in self.shown(child, fields, true_only=true_only)]

    @staticmethod
    def unit(place: Place) -> Unit:
        return place.field, place.start // STRIDE, (place.end - 1) // STRIDE

    def covering(self, groups: list[list[Place]]) -> dict[Unit, tuple[set[int], list[Place]]]:
        """Each sentence (window) holding a place, with the groups it shows and its places."""
        units: dict[Unit, tuple[set[int], list[Place]]] = {}
        for number, group in enumerate(groups):
            for place in group:
                covered, places = units.setdefault(self.unit(place), (set(), []))
                covered.add(number)
                places.append(place)
        return units

    def why_not(self, node: Node, fields: frozenset[int] | None = None) -> list[str]:
        """What fails in a query that does not hold."""
        fields = self.all_fields if fields is None else fields
        if isinstance(node, And):
            return [r for c in node.children if not self.holds(c, fields)
                    for r in self.why_not(c, fields)]
        if isinstance(node, Not):
            return [f"excluded: {unparse(node.child)} occurs"]
        if isinstance(node, Field) and not is_place(node):
            return self.why_not(node.child, self.fields_of(node.name, fields))
        if isinstance(node, Near) and self.places(node.left, fields) and self.places(
                node.right, fields):
            where = ("one sentence" if self.topic.window == 1
                     else f"{self.topic.window} sentences")
            return [f"{_short(node.left)} and {_short(node.right)} occur, never within "
                    f"{node.distance} words in {where}"]
        return [f"no {_short(node)}"]


def _short(node: Node) -> str:
    text = unparse(node)
    return text if len(text) <= 120 else text[:119] + "…"


def run_query(topic: QueryTopic, index: ArticleIndex, language: str, *,
              near_misses: bool = True) -> tuple[list[Finding], list[Finding]]:
    """Evidence, with its grade (empty when the query does not hold), and near-misses
    (unless not asked for)."""
    if topic.languages and language not in topic.languages:
        return [], []
    folded = index.folded()
    present = [any(a in folded for a in group) for group in topic.anchors()]
    if present and not any(present):
        return [], []  # nothing of the query: not even a near-miss
    evaluation = Evaluation(topic, index)
    if not evaluation.holds(topic.node):
        if not near_misses:
            return [], []
        groups = evaluation.shown(topic.node, true_only=False)
        units = evaluation.covering(groups)
        reason = "; ".join(evaluation.why_not(topic.node))
        reason = reason if len(reason) <= MAX_REASON else reason[:MAX_REASON - 1] + "…"
        order = sorted(units, key=lambda u: (-len(units[u][0]), u))
        return [], [_found(topic, index, u, units[u][1], reason=reason) for u in order]
    groups = evaluation.shown(topic.node)
    units = evaluation.covering(groups)
    if not units:  # a query of NOTs only: the article's first sentence stands for it
        heads = [(n, index.field(n).first_sentence()) for n in sorted(evaluation.all_fields)]
        unit = next(((n, h, h) for n, h in heads if h is not None), None)
        if unit is None:
            return [], []
        return [_found(topic, index, unit, [], grade=_grade(topic, index, [unit]))], []
    chosen: list[Unit] = []
    left = set(range(len(groups)))
    while left and len(chosen) < MAX_EVIDENCE:
        best = min(units, key=lambda u: (-len(units[u][0] & left), u))
        if not units[best][0] & left:
            break
        chosen.append(best)
        left -= units[best][0]
    grade = _grade(topic, index, chosen)
    return [_found(topic, index, u, units[u][1], grade=grade) for u in chosen], []


def _grade(topic: QueryTopic, index: ArticleIndex, units: list[Unit]) -> str:
    if topic.development is None:
        return "mention"
    allowed = frozenset((f, s) for f, first, last in units
                        for s in index.field(f).sentences_between(first, last, MAX_WINDOW_SENTENCES)
                        or (first, last))
    held = Evaluation(topic, index, allowed).holds(topic.development)
    return "development" if held else "mention"


def _found(topic: QueryTopic, index: ArticleIndex, unit: Unit, places: list[Place], *,
           reason: str = "", grade: str = "") -> Finding:
    """A sentence (window) of the article as evidence or a near-miss, with its terms."""
    number, first, last = unit
    field_index = index.field(number)
    start, end = field_index.span(first)[0], field_index.span(last)[1]
    parts = sorted({part for place in places for part in place.parts})
    terms = tuple(dict.fromkeys(field_index.surface(a, b) for a, b in parts))
    return Finding(field_index.name, start, end, field_index.text[start:end], topic.rule, terms,
                   reason, grade)
