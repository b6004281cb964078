"""A query's screen: a necessary condition for it to hold, read off which strings each field
of an article holds (one automaton pass per field), so that a topic whose anchors all occur
is still left unevaluated when, say, its ``title:`` word is only in the body, or one side of
its NEAR is missing.

The screen walks the query as ``Evaluation.holds`` does, with each word or phrase replaced by
the substring test of one of its folded words (the longest, as the anchors take it) in the
fields the word may be read in. A word or phrase that holds in a field has each of its words
in that field's folded text, so a screen that says no proves the query does not hold:

- a word or phrase: its string occurs in one of the fields it is read in;
- ``title:x``: ``x`` in the title alone; ``A NEAR/n B``, ``A AND B``: both (any distance);
- ``A OR B``: either; ``NOT x``: always possible (a screen cannot prove an absence).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from .query import Seq
from .querylang import And, Field, Near, Node, Not, Or, Phrase, Word


class Found(Protocol):
    """Per field (in the index's order), the numbers of the strings occurring in it; after
    them, the numbers occurring in any field."""

    def __getitem__(self, field: int, /) -> set[int] | frozenset[int]: ...


Screen = Callable[[Found], bool]


def always(found: Found) -> bool:
    """The screen of a query part that may hold in any article."""
    return True


def compile_screen(node: Node, leaves: dict[int, Seq], fields: Sequence[str],
                   number: Callable[[str], int]) -> Screen:
    """The screen of ``node`` over an index of the fields named ``fields``; ``leaves``: the
    topic's compiled words and phrases; ``number``: the number of a string the automaton
    looks for (it is added when new)."""
    return _Compiler(leaves, tuple(fields), number).screen(node, frozenset(range(len(fields))))


class _Compiler:
    def __init__(self, leaves: dict[int, Seq], fields: tuple[str, ...],
                 number: Callable[[str], int]) -> None:
        self.leaves, self.fields, self.number = leaves, fields, number

    def screen(self, node: Node, fields: frozenset[int]) -> Screen:
        if isinstance(node, Word | Phrase):
            return self._leaf(node, fields)
        if isinstance(node, Field):
            named = frozenset(n for n in fields if self.fields[n] == node.name)
            return self.screen(node.child, named)
        if isinstance(node, Not):
            return always
        if isinstance(node, Or):
            options = [self.screen(child, fields) for child in node.children]
            if always in options:
                return always
            return lambda found: any(option(found) for option in options)
        children = (node.left, node.right) if isinstance(node, Near) else node.children
        assert isinstance(node, Near | And)
        parts = [part for part in (self.screen(child, fields) for child in children)
                 if part is not always]
        if not parts:
            return always
        if len(parts) == 1:
            return parts[0]
        return lambda found: all(part(found) for part in parts)

    def _leaf(self, node: Word | Phrase, fields: frozenset[int]) -> Screen:
        words = self.leaves[id(node)].words
        if not words:
            return always  # a leaf of no words never holds; "may" is still true
        string = self.number(max(words, key=len))
        if not fields:
            return lambda found: False  # read in a field the index does not have
        if len(fields) == len(self.fields):
            anywhere = len(self.fields)
            return lambda found: string in found[anywhere]
        if len(fields) == 1:
            (only,) = fields
            return lambda found: string in found[only]
        where = tuple(sorted(fields))
        return lambda found: any(string in found[n] for n in where)
