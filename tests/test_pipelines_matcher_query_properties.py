"""Property tests for quick topics: the parser (round trip; any input parses or gives a
column error, never a traceback) and the matcher's semantics against a plain oracle."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pipelines.matcher import Document, Matcher, load_topic
from pipelines.matcher.engine import article_index
from pipelines.matcher.fold import fold
from pipelines.matcher.loader import query_topic
from pipelines.matcher.query import QueryTopic, compile_leaf
from pipelines.matcher.querylang import (
    FIELDS,
    And,
    Field,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Word,
    parse,
    unparse,
)
from pipelines.matcher.segment import sentence_spans, tokens
from pipelines.matcher.topicset import TopicSet

LETTERS = st.text("abcdefghijklmnopqrstuvwxyzçğışöüабвгдеж0123456789", min_size=1, max_size=8)
WORD_TEXT = LETTERS.filter(lambda w: not w.upper().startswith("NEAR") and w not in ("AND",
                                                                                    "OR", "NOT"))
WORDS = st.builds(Word, WORD_TEXT, st.just(False)) | st.builds(
    Word, LETTERS.filter(lambda w: len(w) >= 3), st.just(True))
PHRASES = st.builds(Phrase, st.lists(WORD_TEXT, min_size=1, max_size=3).map(tuple))


def places(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    """What NEAR can take: words, phrases, an OR of them, a NEAR, a field of one."""
    return st.one_of(
        st.builds(Or, st.lists(children, min_size=2, max_size=3).map(tuple)),
        st.builds(Near, children, children, st.integers(0, 30)))


PLACE = st.recursive(WORDS | PHRASES, places, max_leaves=6)


def nodes(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.builds(And, st.lists(children, min_size=2, max_size=3).map(tuple)),
        st.builds(Or, st.lists(children, min_size=2, max_size=3).map(tuple)),
        st.builds(Not, children))


FIELDED = PLACE | st.builds(Field, st.sampled_from(FIELDS), PLACE)
QUERY = st.recursive(FIELDED, nodes, max_leaves=8)
TOKENS = ["AND", "OR", "NOT", "NEAR/3", "NEAR/", "NEAR", "(", ")", '"', "*", "title:", "body:",
          "foo:", "Syria", "normaliz*", '"restore ties"', "a*", ":", "\x00", "\ud800", "NEAR/99999"]
ARBITRARY = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=14).map(" ".join))


@given(QUERY)
def test_a_printed_query_parses_back_to_itself(node: Node) -> None:
    assert parse(unparse(node)) == node


@given(ARBITRARY)
def test_any_text_parses_or_names_a_column(text: str) -> None:
    try:
        node = parse(text)
    except QuerySyntaxError as exc:
        error: QuerySyntaxError | None = exc
    else:
        error = None
        assert parse(unparse(node)) == node
    if error is not None:
        assert 1 <= error.column <= len(text) + 1
        assert str(error).startswith(f"column {error.column}: ")


VOCABULARY = ["syria", "turkey", "ankara", "talks", "ties", "restore", "normalization",
              "normalize", "football", "the", "and", "met"]
SENTENCE = st.lists(st.sampled_from(VOCABULARY) | st.sampled_from(VOCABULARY).map(str.title),
                    min_size=1, max_size=12).map(" ".join)
BODY = st.lists(SENTENCE.map(lambda s: s[0].upper() + s[1:]), min_size=1,
                max_size=5).map(lambda s: ". ".join(s) + ".")
TERM = st.sampled_from(VOCABULARY[:9])


def sentences(body: str) -> list[list[str]]:
    """The oracle's view: each sentence's lowercase words."""
    return [[t.word for t in tokens(body.lower(), a, b)] for a, b in sentence_spans(body)]


def matched(query: str, body: str, window: int = 1) -> bool:
    verdict = Matcher(query_topic(query, window=window)).evaluate(Document(body=body))
    assert verdict.matched == bool(verdict.evidence)
    for item in verdict.evidence + verdict.near_misses:
        assert body[item.start:item.end] == item.sentence
        assert all(term in item.sentence for term in item.terms)
    return verdict.matched


@given(BODY, TERM, TERM, st.integers(0, 12), st.integers(1, 3))
def test_near_is_symmetric(body: str, one: str, two: str, reach: int, window: int) -> None:
    assert (matched(f"{one} NEAR/{reach} {two}", body, window)
            == matched(f"{two} NEAR/{reach} {one}", body, window))


@given(BODY, TERM, TERM, st.integers(0, 12))
def test_near_within_one_sentence(body: str, one: str, two: str, reach: int) -> None:
    expected = any(abs(i - j) - 1 <= reach
                   for words in sentences(body)
                   for i, a in enumerate(words) if a == one
                   for j, b in enumerate(words) if b == two and i != j)
    assert matched(f"{one} NEAR/{reach} {two}", body) is expected


@given(BODY, TERM, TERM)
def test_not_excludes(body: str, one: str, two: str) -> None:
    assert matched(f"{one} AND NOT {two}", body) is (matched(one, body)
                                                     and not matched(two, body))
    if matched(two, body):
        assert not matched(f"NOT {two}", body)


@given(BODY, st.sampled_from(["norm", "normaliz", "tal", "res", "tie", "syr", "foot"]))
def test_prefix(body: str, stem: str) -> None:
    expected = any(w.startswith(stem) for words in sentences(body) for w in words)
    assert matched(f"{stem}*", body) is expected


@given(BODY, TERM, TERM)
def test_phrase(body: str, one: str, two: str) -> None:
    expected = any(pair == (one, two) for words in sentences(body)
                   for pair in pairwise(words))
    assert matched(f'"{one} {two}"', body) is expected


@given(BODY, TERM, TERM, st.integers(0, 12), st.integers(1, 4))
def test_near_within_a_window_of_sentences(body: str, one: str, two: str, reach: int,
                                           window: int) -> None:
    flat = [(number, word) for number, words in enumerate(sentences(body)) for word in words]
    expected = any(abs(i - j) - 1 <= reach and abs(s - t) < window
                   for i, (s, a) in enumerate(flat) if a == one
                   for j, (t, b) in enumerate(flat) if b == two and i != j)
    assert matched(f"{one} NEAR/{reach} {two}", body, window) is expected


RULES = Matcher(load_topic(Path(__file__).resolve().parents[1] / "config" / "topics"
                           / "syria-turkey.toml"))
#: text beside the queries' own words: the rules topic's names, also inside longer words and
#: inflected, and characters a hostile page may hold (a lone surrogate, odd apostrophes)
PIECES = ["Syria", "Turkey's", "Damascus", "pro-Turkish", "Ataturk", "сирии", "Турция",
          "Анкаре", "normalization", "talks", "İstanbul", "’", "'", "\ud800", "é", "1"]
SEPARATORS = st.sampled_from([" ", "", "-", ". ", "\n"])


def leaf_words(node: Node) -> list[str]:
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, Phrase):
        return list(node.words)
    if isinstance(node, Field | Not):
        return leaf_words(node.child)
    if isinstance(node, Near):
        return leaf_words(node.left) + leaf_words(node.right)
    assert isinstance(node, And | Or)
    return [word for child in node.children for word in leaf_words(child)]


def may_hold(node: Node, folded: dict[str, str], fields: frozenset[str]) -> bool:
    """The screen's rule, read straight off the folded fields: a word or phrase needs its
    longest folded word in one of ``fields``; NOT is always possible."""
    if isinstance(node, Word | Phrase):
        words = compile_leaf(node).words
        return not words or any(max(words, key=len) in folded[name] for name in fields)
    if isinstance(node, Field):
        return may_hold(node.child, folded, fields & {node.name})
    if isinstance(node, Not):
        return True
    if isinstance(node, Near):
        return may_hold(node.left, folded, fields) and may_hold(node.right, folded, fields)
    if isinstance(node, And):
        return all(may_hold(child, folded, fields) for child in node.children)
    return any(may_hold(child, folded, fields) for child in node.children)


@given(st.lists(QUERY, min_size=1, max_size=6), st.data())
def test_the_prefilter_picks_exactly_the_topics_holding_an_anchor_of_each_group(
        queries: list[Node], data: st.DataObject) -> None:
    """TopicSet.candidates is the plain substring test of every anchor group; the topics it
    evaluates are the candidates whose screen passes on the fields' folded text; and no topic
    it leaves out would have matched."""
    matchers = [RULES] + [Matcher(query_topic(unparse(q), topic_id=f"q{n}"))
                          for n, q in enumerate(queries)]
    words = [w for q in queries for w in leaf_words(q)]
    piece = st.sampled_from(words + PIECES) | st.text(max_size=3)
    title, subtitle, body = (data.draw(st.lists(st.tuples(piece, SEPARATORS), max_size=24).map(
        lambda parts: "".join(a + b for a, b in parts))) for _ in range(3))
    document = Document(title=title, subtitle=subtitle, body=body)
    folded = article_index(document).folded()
    topics = TopicSet(matchers)
    candidates = topics.candidates(folded)
    assert candidates == {
        n for n, matcher in enumerate(matchers)
        if all(any(anchor in folded for anchor in group) for group in matcher.anchors())}
    # each field searched on its own (ASCII, code-page bytes or UTF-8), and the screens
    fields = {"title": fold(title).text, "subtitle": fold(subtitle).text, "body": fold(body).text}
    nodes = [m.topic.node if isinstance(m.topic, QueryTopic) else None for m in matchers]
    assert topics.chosen(article_index(document)) == {
        n for n in candidates
        if (node := nodes[n]) is None or may_hold(node, fields, frozenset(fields))}
    verdicts = topics.evaluate(document)
    assert verdicts[0].matched == RULES.evaluate(document).matched
    assert verdicts[1:] == [m.evaluate(document, near_misses=False) for m in matchers[1:]]
