"""The query language of quick topics: a recursive-descent parser and its printer.

    query   := any EOF
    any     := all ("OR" all)*
    all     := near ("AND" near)*
    near    := unary ("NEAR/" n unary)*
    unary   := "NOT" unary | primary
    primary := "(" any ")" | FIELD ":" primary | '"' words '"' | word | word "*"

Operators are written in capitals (``and`` is a word); NEAR binds tighter than AND, AND tighter
than OR. NEAR's operands are places in the text: words, phrases, prefixes, an OR of them or
another NEAR, never NOT or AND. Errors name the 1-based column and what was expected there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

FIELDS = ("title", "subtitle", "body")
OPERATORS = ("AND", "OR", "NOT")
MIN_PREFIX = 3
MAX_NEAR = 1000
MAX_DEPTH = 50
#: a query is a line of a topic file, not a document
MAX_QUERY_CHARS = 10_000
_LETTERS = re.compile(r"[^\W_]+")
_SCAN = re.compile(r"""(?P<open>\()|(?P<close>\))
                       |(?P<near>NEAR(?:/[^\s()"]*)?(?=[\s()"]|$))
                       |(?P<field>[A-Za-z]+):|(?P<word>[^\s()"]+)""", re.VERBOSE)


class QuerySyntaxError(ValueError):
    """A query that does not parse; ``column`` is 1-based."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(f"column {column}: {message}")
        self.column = column


@dataclass(frozen=True, slots=True)
class Word:
    """A word as written (``prefix``: it ended with ``*``)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that follow each other, written in quotes."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Field:
    """``title:…``: the operand is looked for in that field only."""

    name: str
    child: Node


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Near:
    """``left NEAR/distance right``: at most ``distance`` words between them, either order."""

    left: Node
    right: Node
    distance: int


Node = Word | Phrase | Field | Not | And | Or | Near


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    column: int


def _describe(token: _Token) -> str:
    return "the end of the query" if token.kind == "end" else repr(token.text)


def _tokens(query: str) -> list[_Token]:
    found: list[_Token] = []
    pos = 0
    while True:
        while pos < len(query) and query[pos].isspace():
            pos += 1
        if pos >= len(query):
            found.append(_Token("end", "", pos + 1))
            return found
        if query[pos] == '"':
            close = query.find('"', pos + 1)
            if close < 0:
                raise QuerySyntaxError(pos + 1, 'expected a closing \'"\' for this phrase')
            found.append(_Token("phrase", query[pos + 1:close], pos + 1))
            pos = close + 1
            continue
        match = _SCAN.match(query, pos)
        # not a space or a quote: one of the groups matches (a word takes anything else)
        assert match is not None
        assert match.lastgroup is not None
        kind, text = match.lastgroup, match.group(match.lastgroup)
        column = match.start(kind) + 1
        if kind == "word" and text in OPERATORS:
            kind = text
        found.append(_Token(kind, text, column))
        pos = match.end()


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.pos = 0
        self.depth = 0

    @property
    def head(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def fail(self, expected: str, token: _Token | None = None) -> QuerySyntaxError:
        token = token or self.head
        return QuerySyntaxError(token.column, f"expected {expected}, found {_describe(token)}")

    def query(self) -> Node:
        if self.head.kind == "end":
            raise QuerySyntaxError(1, "expected a word, a \"phrase\" or '(': the query is empty")
        node = self.any()
        if self.head.kind != "end":
            if self.head.kind == "NOT":
                what = "AND NOT or OR NOT (NOT takes one operand)"
            elif self.head.kind in ("word", "phrase", "open", "field"):
                what = "AND or OR between two terms (operators are written in capitals)"
            else:
                what = "AND, OR, NEAR/n or the end of the query"
            raise self.fail(what)
        return node

    def any(self) -> Node:
        children = [self.all()]
        while self.head.kind == "OR":
            self.take()
            children.append(self.all())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def all(self) -> Node:
        children = [self.near()]
        while self.head.kind == "AND":
            self.take()
            children.append(self.near())
        return children[0] if len(children) == 1 else And(tuple(children))

    def near(self) -> Node:
        start = self.head
        node = self.unary()
        chain = 0
        while self.head.kind == "near":
            chain += 1
            if chain > MAX_DEPTH:
                raise self.fail(f"at most {MAX_DEPTH} NEARs in a row")
            token = self.take()
            distance = _distance(token)
            operand = self.head
            right = self.unary()
            for part, at in ((node, start), (right, operand)):
                if not is_place(part):
                    raise QuerySyntaxError(
                        at.column, f"{token.text} takes words, \"phrases\", prefixes* or an "
                        "OR of them in parentheses, not NOT or AND")
            node = Near(node, right, distance)
        return node

    def unary(self) -> Node:
        if self.head.kind == "NOT":
            self.take()
            return Not(self.nested(self.unary))
        return self.primary()

    def nested(self, parse: Callable[[], Node]) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"at most {MAX_DEPTH} nested parentheses, fields, NOTs or NEARs")
        try:
            return parse()
        finally:
            self.depth -= 1

    def primary(self) -> Node:
        token = self.head
        if token.kind == "open":
            self.take()
            node = self.nested(self.any)
            if self.head.kind != "close":
                raise self.fail("AND, OR, NEAR/n or ')'")
            self.take()
            return node
        if token.kind == "field":
            self.take()
            name = token.text.lower()
            if name not in FIELDS:
                raise QuerySyntaxError(token.column, f"unknown field {token.text!r}: expected "
                                       f"{', '.join(FIELDS[:-1])} or {FIELDS[-1]}")
            child = self.nested(self.primary)
            if _has_field(child):
                raise QuerySyntaxError(token.column, "a field inside another field")
            return Field(name, child)
        if token.kind == "phrase":
            self.take()
            words = tuple(token.text.split())
            if not words or not all(_LETTERS.search(w) for w in words):
                raise QuerySyntaxError(token.column, "expected words with letters or digits "
                                       "inside the quotes")
            if "*" in token.text:
                raise QuerySyntaxError(token.column, "expected no '*' inside quotes (a "
                                       "phrase's words are exact; write the prefix unquoted)")
            return Phrase(words)
        if token.kind == "word":
            self.take()
            return _word(token)
        raise self.fail("a word, a \"phrase\", a field or '('")


def _distance(token: _Token) -> int:
    _, _, number = token.text.partition("/")
    if not number.isdigit() or not number.isascii():
        raise QuerySyntaxError(token.column, f"expected NEAR/n with n a number of words, "
                               f"found {token.text!r}")
    if not 0 <= int(number) <= MAX_NEAR:
        raise QuerySyntaxError(token.column, f"expected NEAR/n with n at most {MAX_NEAR}")
    return int(number)


def _word(token: _Token) -> Word:
    text, prefix = token.text, token.text.endswith("*")
    stem = text[:-1] if prefix else text
    if "*" in stem:
        raise QuerySyntaxError(token.column, "expected '*' only at the end of a word")
    if not _LETTERS.search(stem):
        raise QuerySyntaxError(token.column, f"expected a word with letters or digits, "
                               f"found {text!r}")
    if prefix and ("'" in stem or "\u2019" in stem):
        raise QuerySyntaxError(token.column, f"expected no apostrophe in a prefix, found "
                               f"{text!r}")
    # the prefix is the last word of the stem ("al-sha*": "sha")
    if prefix and len(_LETTERS.findall(stem)[-1]) < MIN_PREFIX:
        raise QuerySyntaxError(token.column, f"expected at least {MIN_PREFIX} letters before "
                               f"'*', found {text!r}")
    return Word(stem, prefix)


def is_place(node: Node) -> bool:
    """Whether ``node`` stands for places in the text (what NEAR can measure between)."""
    if isinstance(node, Word | Phrase | Near):
        return True
    if isinstance(node, Or):
        return all(is_place(child) for child in node.children)
    if isinstance(node, Field):
        return is_place(node.child)
    return False


def _has_field(node: Node) -> bool:
    if isinstance(node, Field):
        return True
    if isinstance(node, Not):
        return _has_field(node.child)
    if isinstance(node, And | Or):
        return any(_has_field(child) for child in node.children)
    if isinstance(node, Near):
        return _has_field(node.left) or _has_field(node.right)
    return False


def parse(query: str) -> Node:
    """The syntax tree of ``query``; QuerySyntaxError (with the column) when it has none."""
    if len(query) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(MAX_QUERY_CHARS + 1,
                               f"expected a query of at most {MAX_QUERY_CHARS} characters")
    return _Parser(query).query()


def unparse(node: Node) -> str:
    """The query text of ``node``, parenthesised so that it parses back to ``node``."""
    if isinstance(node, Word):
        return node.text + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Field):
        return f"{node.name}:{_operand(node.child)}"
    if isinstance(node, Not):
        return f"NOT {_operand(node.child)}"
    if isinstance(node, Near):
        return f"{_operand(node.left)} NEAR/{node.distance} {_operand(node.right)}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return joiner.join(_operand(child) for child in node.children)


def _operand(node: Node) -> str:
    """A child's text, in parentheses unless it is one word or phrase (or a field of one)."""
    text = unparse(node)
    if isinstance(node, Word | Phrase) or (
            isinstance(node, Field) and isinstance(node.child, Word | Phrase)):
        return text
    return f"({text})"
