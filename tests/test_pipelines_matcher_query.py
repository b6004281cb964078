"""Quick topics: the query form's parser, its errors, its semantics and its verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.matcher import Document, Matcher, TopicConfigError, load_topic
from pipelines.matcher.engine import article_index
from pipelines.matcher.loader import query_topic
from pipelines.matcher.querylang import (
    And,
    Near,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Word,
    parse,
    unparse,
)
from pipelines.matcher.topicset import TopicSet

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "config" / "topics" / "syria-turkey.toml"
EXAMPLE = ('("Syria" OR Damascus) NEAR/15 (Turkey OR Ankara) AND '
           '(normaliz* OR rapprochement OR "restore ties")')


def matches(query: str, body: str, title: str = "", **kwargs: object) -> bool:
    return Matcher(query_topic(query, **kwargs)).evaluate(  # type: ignore[arg-type]
        Document(title=title, body=body)).matched


def test_the_example_parses_with_near_tighter_than_and() -> None:
    assert parse(EXAMPLE) == And((
        Near(Or((Phrase(("Syria",)), Word("Damascus"))), Or((Word("Turkey"), Word("Ankara"))),
             15),
        Or((Word("normaliz", prefix=True), Word("rapprochement"), Phrase(("restore", "ties"))))))
    assert parse(unparse(parse(EXAMPLE))) == parse(EXAMPLE)
    assert parse("a OR b AND NOT c") == Or((Word("a"), And((Word("b"), Not(Word("c"))))))


@pytest.mark.parametrize(("query", "column", "expected"), [
    ("", 1, "the query is empty"),
    ("Syria Turkey", 7, "expected AND or OR between two terms"),
    ("Syria NOT Turkey", 7, "expected AND NOT or OR NOT"),
    ("(Syria OR Turkey", 17, "expected AND, OR, NEAR/n or ')', found the end of the query"),
    ("Syria AND", 10, "expected a word, a \"phrase\", a field or '('"),
    ("Syria NEAR Turkey", 7, "expected NEAR/n with n a number of words, found 'NEAR'"),
    ("Syria NEAR/x Turkey", 7, "expected NEAR/n with n a number of words"),
    ("Syria NEAR/3 (Turkey AND talks)", 14, "NEAR/3 takes words"),
    ("NOT Syria NEAR/3 Turkey", 1, "NEAR/3 takes words"),
    ('"restore ties', 1, "expected a closing '\"'"),
    ("no*", 1, "expected at least 3 letters before '*'"),
    ("nor*mal", 1, "expected '*' only at the end of a word"),
    ("al-sh*", 1, "expected at least 3 letters before '*'"),
    ("o'bri*", 1, "expected no apostrophe in a prefix"),
    ("headline:Syria", 1, "unknown field 'headline': expected title, subtitle or body"),
    ("title:(body:Syria)", 1, "a field inside another field"),
    ("Syria OR )", 10, "found ')'"),
])
def test_errors_name_the_column_and_what_was_expected(query: str, column: int,
                                                      expected: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert caught.value.column == column
    assert str(caught.value).startswith(f"column {column}: ")
    assert expected in str(caught.value)


def write(folder: Path, text: str, name: str = "quick.toml") -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def test_a_bad_query_is_a_topic_config_error_naming_file_key_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, 'id = "q"\nname = "Q"\nversion = "1"\nquery = "Syria AND (Turkey"\n')
    with pytest.raises(TopicConfigError) as caught:
        load_topic(path)
    assert str(caught.value) == (
        f"{path}: query: column 18: expected AND, OR, NEAR/n or ')', found the end of the "
        "query (in 'Syria AND (Turkey')")
    for extra, key in (("window = 0", "window"), ("language = 3", "language"),
                       ("development = 'met OR'", "development"), ("sides = 1", "sides")):
        bad = write(tmp_path, f'id = "q"\nname = "Q"\nversion = "1"\nquery = "a"\n{extra}\n',
                    "bad.toml")
        with pytest.raises(TopicConfigError, match=f"^{bad}: {key}: "):
            load_topic(bad)


def test_a_query_topic_gives_the_engine_verdict_with_evidence_and_grade(tmp_path: Path) -> None:
    path = write(tmp_path, 'id = "quick"\nname = "Quick"\nversion = "3"\n'
                 f"query = '{EXAMPLE}'\ndevelopment = 'met OR talks'\n")
    topic = load_topic(path)
    assert (topic.form, topic.id, topic.rule_version[:2]) == ("query", "quick", "3:")
    body = ("Prices rose. Officials from Ankara and Damascus held talks on normalization, "
            "the ministry said.\nThe weather was fine.")
    verdict = Matcher(topic).evaluate(Document(title="A thaw", body=body))
    assert verdict.matched
    assert (verdict.grade, verdict.rule, verdict.topic) == ("development", "query", "quick")
    [evidence] = verdict.evidence
    assert body[evidence.start:evidence.end] == evidence.sentence
    assert evidence.sentence.startswith("Officials from Ankara")
    assert evidence.terms == ("Ankara", "Damascus", "normalization")
    # the same without an event word: a mention
    quiet = body.replace("held talks on", "wrote about")
    assert Matcher(topic).evaluate(Document(body=quiet)).grade == "mention"


def test_near_misses_say_what_is_missing() -> None:
    matcher = Matcher(query_topic(EXAMPLE))
    far = Matcher(query_topic(EXAMPLE)).evaluate(Document(
        body="Syria was hit by floods. In Turkey the rapprochement with Greece went on."))
    assert not far.matched
    assert {e.sentence for e in far.near_misses} == {
        "Syria was hit by floods.", "In Turkey the rapprochement with Greece went on."}
    assert far.near_misses[0].reason == ('"Syria" OR Damascus and Turkey OR Ankara occur, '
                                         "never within 15 words in one sentence")
    missing = matcher.evaluate(Document(body="Turkey and Syria played football."))
    assert missing.near_misses[0].reason == 'no normaliz* OR rapprochement OR "restore ties"'
    assert missing.near_misses[0].terms == ("Turkey", "Syria")
    excluded = Matcher(query_topic("Syria AND NOT football")).evaluate(
        Document(body="Syria played football."))
    assert excluded.near_misses[0].reason == "excluded: football occurs"
    assert not matcher.evaluate(Document(body="Nothing here.")).near_misses


@pytest.mark.parametrize(("query", "body", "title", "expected"), [
    ("Syria NEAR/2 Turkey", "Syria, Iraq and Turkey.", "", True),
    ("Syria NEAR/1 Turkey", "Syria, Iraq and Turkey.", "", False),
    ("Turkey NEAR/2 Syria", "Syria, Iraq and Turkey.", "", True),
    ("Syria NEAR/20 Turkey", "Syria held talks. Turkey did not.", "", False),
    ("Syria NEAR/3 Syria", "Syria met.", "", False),  # two places are needed
    ('"restore ties"', "They will restore ties.", "", True),
    ('"restore ties"', "They will restore. Ties are cut.", "", False),
    ('"restore ties"', "Ties they will restore.", "", False),
    ("normaliz*", "Normalizing relations.", "", True),
    ("normaliz*", "Abnormalize.", "", False),
    ("al-sha*", "Ahmed al-Sharaa spoke.", "", True),
    ("title:Syria", "Syria.", "Weather", False),
    ("title:Syria AND body:Turkey", "Turkey.", "Syria", True),
    ("Erdoğan AND Türkiye", "ERDOGAN visited turkiye.", "", True),
    ("U.S.", "The U.S. said so.", "", True),
    ("Syria AND NOT (football OR weather)", "Syria, weather.", "", False),
    ("NOT football", "Syria.", "", True),
])
def test_semantics(query: str, body: str, title: str, expected: bool) -> None:
    assert matches(query, body, title) is expected


def test_window_and_language() -> None:
    assert matches("Syria NEAR/20 Turkey", "Syria held talks. Turkey did not.", window=2)
    english = query_topic("Syria", languages=("en",))
    assert Matcher(english).evaluate(Document(body="Syria.", language="en")).matched
    assert not Matcher(english).evaluate(Document(body="Syria.", language="ru")).matched


def test_topicset_selects_by_anchors_and_keeps_every_verdict() -> None:
    rules = Matcher(load_topic(RULES))
    quick = Matcher(query_topic(EXAMPLE, topic_id="quick"))
    broad = Matcher(query_topic("NOT football", topic_id="broad"))
    topics = TopicSet([rules, quick, broad])
    assert len(rules.anchors()) == 2  # a stem of each side
    assert quick.anchors() == (frozenset({"syria", "damascus"}), frozenset({"turkey", "ankara"}),
                               frozenset({"normaliz", "rapprochement", "restore"}))
    assert broad.anchors() == ()
    doc = Document(title="Ankara and Damascus agree a roadmap to normalization",
                   body="Talks went on.")
    index = article_index(doc)
    assert topics.candidates(index.folded()) == {0, 1, 2}
    assert topics.evaluate(doc) == [m.evaluate(doc) for m in (rules, quick, broad)]
    plain = Document(title="Budget", body="The ruble fell.")
    assert topics.candidates(article_index(plain).folded()) == {2}
    # Turkey and Syria but no relation word: the rules topic is read, the quick one is not
    sides = Document(title="Turkey and Syria play football", body="A draw.")
    assert topics.candidates(article_index(sides).folded()) == {0, 2}


@pytest.mark.parametrize(("query", "title", "body", "chosen"), [
    # the anchors (ruble) occur in every case; the screen decides
    ("title:ruble* OR (ruble* NEAR/5 (record OR collapse*))", "Budget", "The ruble fell.", False),
    ("title:ruble* OR (ruble* NEAR/5 (record OR collapse*))", "Rubles", "Prices rose.", True),
    ("title:ruble* OR (ruble* NEAR/5 (record OR collapse*))", "Budget", "A ruble record.", True),
    # NEAR and AND: each side somewhere, at any distance, any field
    ("(Kremlin NEAR/3 budget) OR title:ruble", "News", "The Kremlin said.", False),
    ("(Kremlin NEAR/3 budget) OR title:ruble", "Budget", "The Kremlin said.", True),
    ("(Kremlin NEAR/3 budget) OR title:ruble", "Kremlin", "The budget.", True),
    ("(Kremlin AND (cut* OR austerity)) OR title:ruble", "News", "The Kremlin said.", False),
    # a field's part in that field only; the subtitle is a field of its own
    ("ruble AND body:Duma", "Duma", "The ruble fell.", False),
    ("ruble AND body:Duma", "Ruble", "The Duma met.", True),
    ("ruble AND subtitle:Duma", "Duma", "The ruble and the Duma.", False),
    # NOT cannot be proved absent by a screen: always possible
    ("ruble AND NOT title:ruble", "Ruble", "The ruble fell.", True),
    ("ruble AND NOT (record OR collapse)", "Budget", "The ruble fell.", True),
])
def test_a_query_topic_whose_screen_fails_is_not_evaluated(query: str, title: str, body: str,
                                                         chosen: bool) -> None:
    """The topics evaluated are those whose anchors all occur and whose screen passes: the
    words of a ``title:`` part in the title, every part an AND or NEAR needs somewhere."""
    quick = Matcher(query_topic(query, topic_id="quick"))
    topics = TopicSet([quick])
    doc = Document(title=title, body=body)
    index = article_index(doc)
    assert topics.candidates(index.folded()) == {0}
    assert topics.chosen(article_index(doc)) == ({0} if chosen else set())
    assert topics.evaluate(doc) == [quick.evaluate(doc, near_misses=False)]
    if not chosen:
        assert not quick.evaluate(doc).matched


def test_topicset_keeps_the_rules_verdicts_on_the_corpus() -> None:
    rules = Matcher(load_topic(RULES))
    topics = TopicSet([rules])
    for line in (REPO / "tests" / "data" / "corpus.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        doc = Document(title=row["title"], body=row["text"], language=row.get("language", "en"))
        assert topics.evaluate(doc) == [rules.evaluate(doc)], row["id"]


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str) -> None:
        self.values[key] = self.values.get(key, 0) + 1


def test_the_detect_step_runs_both_forms_behind_one_prefilter(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from pipelines.steps.detect import DetectPipeline
    from pipelines.wiring import load_matchers

    quick = write(tmp_path, f"id = 'quick'\nname = 'Q'\nversion = '1'\nquery = '{EXAMPLE}'\n")
    stats = Stats()
    step = DetectPipeline(load_matchers(REPO / "config" / "topics", ["syria-turkey",
                                                                      str(quick)]), stats)
    page = SimpleNamespace(article_id=1, headline="Ankara and Damascus agree a roadmap",
                           subtitle="", language="en", published=None)
    item = SimpleNamespace(fields=page, article_key="1", key="1",
                           text="The normalization talks went on.",
                           verdicts=[])
    step.process_item(item)
    assert [(v.topic, v.matched) for v in item.verdicts] == [("syria-turkey", True),
                                                            ("quick", True)]
    budget = SimpleNamespace(**{**vars(page), "headline": "Budget"})
    other = SimpleNamespace(fields=budget, article_key="2", key="2", text="The ruble fell.",
                            verdicts=[])
    step.process_item(other)
    assert [v.matched for v in other.verdicts] == [False, False]
    assert stats.values == {"mtwatch/evaluated": 2, "mtwatch/matched": 1}
