"""The learned second opinion (pipelines/matcher/opinion.py, learning.py, `mtwatch learn`):
its features, its model file, when the matcher asks it, and the shipped model's freshness."""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.matcher import Document, Matcher, TopicConfigError, load_topic
from pipelines.matcher.learning import (
    Example,
    cross_validate,
    fit,
    matrix,
    outcomes,
    read_examples,
)
from pipelines.matcher.loader import topic_table
from pipelines.matcher.opinion import (
    FORMAT,
    OpinionError,
    OpinionModel,
    SecondOpinion,
    Vocabulary,
    examples_digest,
    gram_key,
    grams,
    rules_digest,
    text_keys,
)
from pipelines.matcher.topic import Topic
from tests.helpers.launch import invoke_cli, mtwatch_env
from tests.helpers.topics import OPINION, SYRIA_TURKEY, with_opinion

ROOT = Path(__file__).resolve().parents[1]


def rules_topic(path: Path = SYRIA_TURKEY, *, second_opinion: bool = True) -> Topic:
    topic = load_topic(path, second_opinion=second_opinion)
    assert isinstance(topic, Topic)
    return topic

# --- features ---------------------------------------------------------------------------


@given(st.text(max_size=200))
def test_grams_are_the_words_and_the_pairs_of_neighbours(text: str) -> None:
    found = grams(text)
    words = [w for w in found if " " not in w]
    pairs = [p for p in found if " " in p]
    assert all(len(w) >= 2 and w == w.casefold() for w in words)
    assert all(part in found for pair in pairs for part in pair.split(" "))
    assert grams(text.upper().lower()) == grams(text.lower())


def test_the_two_sources_key_the_same_word_apart() -> None:
    assert grams("Turkey and Syria talk") == {"turkey", "and", "syria", "talk", "turkey and",
                                               "and syria", "syria talk"}
    assert gram_key("article", "talks") != gram_key("near", "talks")
    assert gram_key("near", "talks") == gram_key("near", "talks")  # stable: CRC-32


@given(st.text(max_size=300), st.text(max_size=300))
def test_each_source_vector_has_unit_length(article: str, near: str) -> None:
    keys = np.unique(np.concatenate(text_keys(article, near) + text_keys("a b", "c d")))
    vocab = Vocabulary(keys.astype(np.uint32), np.linspace(1, 2, len(keys)).astype(np.float32))
    at, values = vocab.vector(article, near)
    assert len(at) == len(values)
    assert np.all(values > 0)
    assert np.all(at < len(keys))
    sources = [s for s in text_keys(article, near) if len(s)]
    assert math.isclose(float(values @ values), len(sources), rel_tol=1e-6)


# --- the model file -----------------------------------------------------------------------


def tiny_model(**weights: float) -> OpinionModel:
    """A model whose near-miss grams ``weights`` (word -> weight) decide alone."""
    keys = sorted((gram_key("near", word), weight) for word, weight in weights.items())
    vocab = Vocabulary(np.array([k for k, _ in keys], dtype=np.uint32),
                       np.ones(len(keys), dtype=np.float32))
    return OpinionModel(vocab, np.array([w for _, w in keys], dtype=np.float32), -2.0,
                        {"topic": "t"})


def test_a_model_survives_its_file(tmp_path: Path) -> None:
    model = tiny_model(briefed=8.0, condemned=-8.0)
    model.save(tmp_path / "m.npz")
    again = OpinionModel.load(tmp_path / "m.npz")
    assert np.array_equal(again.vocabulary.keys, model.vocabulary.keys)
    assert np.array_equal(again.weights, model.weights)
    assert again.meta == {"format": FORMAT, "topic": "t"}
    assert again.probability("", "Lavrov briefed Fidan") > 0.99
    assert again.probability("", "Fidan condemned it") < 0.01
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize("content", [None, b"", b"not a zip", b"PK\x03\x04 broken"])
def test_a_missing_or_broken_model_file_is_named(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "m.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(OpinionError, match=r"m\.npz") as info:
        OpinionModel.load(path)
    assert "mtwatch learn" in str(info.value) or "not a second-opinion model" in str(info.value)


def test_a_numpy_file_of_another_shape_is_no_model(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    np.savez(path, keys=np.array([3, 1], dtype=np.uint32), idf=np.ones(2), weights=np.ones(2),
             intercept=np.zeros(1), meta=np.array(json.dumps({"format": FORMAT})))
    with pytest.raises(OpinionError, match="not a mtwatch-second-opinion/1 model"):
        OpinionModel.load(path)  # keys out of order


# --- the matcher asks it only where the rules find nothing ------------------------------


def with_model(model: OpinionModel, threshold: float = 0.5) -> Matcher:
    rules = rules_topic(second_opinion=False)
    return Matcher(dataclasses.replace(rules, second_opinion=SecondOpinion(model, threshold,
                                                                            "tiny.npz")))


BRIEFED = Document(title="Diplomacy", body="Lavrov briefed Fidan on his talks with Syria's new "
                   "authorities. The lira was steady.")


def test_a_near_miss_the_model_believes_becomes_the_evidence() -> None:
    verdict = with_model(tiny_model(briefed=8.0)).evaluate(BRIEFED)
    assert verdict.matched
    assert verdict.grade == "mention"
    assert verdict.rule == "second_opinion"
    (evidence,) = verdict.evidence
    assert BRIEFED.body[evidence.start:evidence.end] == evidence.sentence
    assert evidence.sentence.startswith("Lavrov briefed Fidan")
    assert evidence.reason.startswith("learned second opinion 1.00 (threshold 0.50); the rules:")
    assert evidence not in verdict.near_misses
    rules = Matcher(load_topic(SYRIA_TURKEY, second_opinion=False)).evaluate(BRIEFED)
    assert not rules.matched
    assert rules.near_misses


def test_below_the_threshold_the_rules_verdict_stands() -> None:
    verdict = with_model(tiny_model(briefed=8.0), threshold=0.99999).evaluate(BRIEFED)
    assert not verdict.matched
    assert verdict.near_misses
    assert not with_model(tiny_model(condemned=8.0)).evaluate(BRIEFED).matched


def test_it_is_not_asked_without_a_near_miss_nor_over_the_rules() -> None:
    believer = with_model(tiny_model(steady=50.0, lira=50.0, talks=50.0))
    assert not believer.evaluate(Document(title="Markets", body="The lira was steady.")).matched
    found = believer.evaluate(Document(title="", body="Turkey and Syria held talks."))
    assert found.matched
    assert found.rule != "second_opinion"


WHEAT = Document(title="Wheat", body="Syria's wheat harvest failed this year. Bakeries in "
                 "Aleppo ran short of flour. In Ankara, the agriculture minister signed a seed "
                 "memorandum with the visiting delegation. The lira was steady.")


def test_an_article_naming_the_sides_apart_is_read_by_its_sentences_naming_one() -> None:
    """No sentence names both sides, so the rules have no near-miss; the relation is told in
    a sentence naming one. The opinion reads the sentences naming a side and shows the one
    weighing most; below its threshold they are no near-misses."""
    rules = Matcher(load_topic(SYRIA_TURKEY, second_opinion=False))
    verdict, read = rules.opinion_reading(WHEAT)
    assert not verdict.matched
    assert not verdict.near_misses
    assert read == ("Syria's wheat harvest failed this year.",
                    "Bakeries in Aleppo ran short of flour.",
                    "In Ankara, the agriculture minister signed a seed memorandum with the "
                    "visiting delegation.")
    found = with_model(tiny_model(memorandum=8.0)).evaluate(WHEAT)
    assert found.matched
    assert found.rule == "second_opinion"
    (evidence,) = found.evidence
    assert evidence.sentence.startswith("In Ankara, the agriculture minister signed")
    assert WHEAT.body[evidence.start:evidence.end] == evidence.sentence
    assert evidence.reason.endswith("the rules: one side named here, the other elsewhere in "
                                    "the article")
    doubter = with_model(tiny_model(memorandum=8.0), threshold=0.99999).evaluate(WHEAT)
    assert not doubter.matched
    assert doubter.near_misses == ()


def test_the_sentences_naming_one_side_are_read_only_without_a_near_miss() -> None:
    rules = Matcher(load_topic(SYRIA_TURKEY, second_opinion=False))
    verdict, read = rules.opinion_reading(BRIEFED)
    assert read == tuple(item.sentence for item in verdict.near_misses)
    assert read
    assert all("Fidan" in sentence for sentence in read)
    # one side named, however the model believes: not asked
    one_side = Document(title="Wheat", body="Syria's wheat harvest failed. In Aleppo a seed "
                        "memorandum was signed.")
    assert rules.opinion_reading(one_side)[1] == ()
    assert not with_model(tiny_model(memorandum=50.0)).evaluate(one_side).matched


def test_the_opinion_weighs_the_sentence_it_shows() -> None:
    body = ("Erdogan spoke about Syria on Monday. Turkish officials briefed Syrian envoys on "
            "the border. The lira was steady.")
    verdict = with_model(tiny_model(briefed=8.0)).evaluate(Document(title="", body=body))
    assert verdict.matched
    assert "briefed" in verdict.evidence[0].sentence


# --- the topic file's [second_opinion] ---------------------------------------------------


def topic_copy(folder: Path, section: str, *, model: bool = True) -> Path:
    text = SYRIA_TURKEY.read_text("utf-8").split("\n[second_opinion]\n")[0]
    path = folder / "mine.toml"
    path.write_text(text + section, "utf-8")
    if model:
        with_opinion(folder)
    return path


@pytest.mark.parametrize(("section", "key"), [
    ('\n[second_opinion]\nmodel = "syria-turkey.opinion.npz"\nthreshold = 1.5\n',
     "second_opinion.threshold"),
    ('\n[second_opinion]\nmodel = "syria-turkey.opinion.npz"\nthreshold = "high"\n',
     "second_opinion.threshold"),
    ('\n[second_opinion]\nmodel = "syria-turkey.opinion.npz"\nthreshold = 0.8\nc = 1\n',
     "second_opinion.c"),
    ('\n[second_opinion]\nmodel = "elsewhere.npz"\nthreshold = 0.8\n', "second_opinion.model"),
    ('\n[second_opinion]\nthreshold = 0.8\n', "second_opinion.model"),
])
def test_a_bad_second_opinion_table_is_one_line_naming_the_key(tmp_path: Path, section: str,
                                                              key: str) -> None:
    with pytest.raises(TopicConfigError) as info:
        load_topic(topic_copy(tmp_path, section))
    assert f"mine.toml: {key}" in str(info.value)
    assert "\n" not in str(info.value)


def test_a_model_learned_beside_other_rules_is_used_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    section = '\n[second_opinion]\nmodel = "syria-turkey.opinion.npz"\nthreshold = 0.8\n'
    path = topic_copy(tmp_path, section)
    with caplog.at_level(logging.WARNING):
        assert rules_topic(path).second_opinion is not None
    assert not caplog.records  # the same rules: no warning
    path.write_text(path.read_text("utf-8").replace('version = "1"', 'version = "2"'), "utf-8")
    with caplog.at_level(logging.WARNING):
        assert rules_topic(path).second_opinion is not None
    assert "learned beside other rules" in caplog.text
    assert "mtwatch learn" in caplog.text


# --- learning ------------------------------------------------------------------------------


def example(i: int, group: str, label: bool, article: str, near: str) -> Example:
    return Example(f"r{i}", group, label, False, text_keys(article, near))


def synthetic() -> list[Example]:
    rows = []
    for i in range(60):
        label = i % 2 == 0
        word = ["quietly", "openly", "again", "today", "formally"][i % 5]
        near = (f"Ankara and Damascus {word} agreed to restore ties" if label
                else f"Turkey and Syria were {word} hit by floods")
        rows.append(example(i, f"file{i % 3}", label, f"Report {i}. {near}.", near))
    return rows


def test_what_was_learned_is_what_the_model_file_reads(tmp_path: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    rows = synthetic()
    model = fit(rows, min_rows=2)
    model.save(tmp_path / "m.npz")
    again = OpinionModel.load(tmp_path / "m.npz")
    reference = LogisticRegression(C=10.0, class_weight="balanced", max_iter=5000).fit(
        matrix(model.vocabulary, rows), [row.label for row in rows])
    expected = reference.predict_proba(matrix(model.vocabulary, rows))[:, 1]
    found = np.array([again.probability_of(row.keys) for row in rows])
    assert np.allclose(found, expected, atol=0.02)  # half-precision weights
    assert all((p > 0.5) == row.label for p, row in zip(found, rows, strict=True))


def test_cross_validation_scores_each_file_with_a_model_that_never_saw_it() -> None:
    rows = synthetic()
    # a file whose rows say the opposite of the others': only a model that learned from it
    # could score them right
    flipped = [dataclasses.replace(r, label=not r.label) if r.group == "file0" else r
               for r in rows]
    probabilities = cross_validate(flipped, folds=3, min_rows=2)
    wrong = [(p >= 0.5) != r.label for p, r in zip(probabilities, flipped, strict=True)]
    assert all(w for w, r in zip(wrong, flipped, strict=True) if r.group == "file0")
    assert len(cross_validate([r for r in rows if r.group == "file0"], folds=3)) == 0


def test_outcomes_ask_the_opinion_only_where_the_rules_found_nothing() -> None:
    rows = [Example("a", "f", True, True, text_keys("xy", "xy")),
            Example("b", "f", True, False, text_keys("xy", "xy")),
            Example("c", "f", False, False, text_keys("xy", "")),  # no near-miss: not asked
            Example("d", "f", False, False, text_keys("xy", "xy"))]
    rules, loose = outcomes(rows, np.array([0.0, 0.9, 0.99, 0.2]), [0.5])
    assert (rules.true_positives, rules.false_positives, rules.false_negatives) == (1, 0, 1)
    assert (loose.true_positives, loose.false_positives, loose.false_negatives) == (2, 0, 0)


def test_held_out_and_unlabelled_rows_teach_nothing(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    rows = [{"id": "a", "title": "T", "text": "Turkey and Syria held talks.", "label": True},
            {"id": "b", "title": "T", "text": "Turkey and Syria held talks.", "label": False,
             "split": "heldout"},
            {"id": "c", "title": "T", "text": "Rain."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    found = read_examples([path], Matcher(load_topic(SYRIA_TURKEY, second_opinion=False)))
    assert [r.id for r in found.rows] == ["a"]
    assert found.rows[0].rules_matched
    assert (found.heldout_skipped, found.unlabelled_skipped) == (1, 1)


# --- `mtwatch learn` ----------------------------------------------------------------------


def corpus(folder: Path) -> list[Path]:
    """Two small files of rows the rules read (near-misses in both labels)."""
    files = []
    for n in range(2):
        lines = []
        for i in range(12):
            label = i % 2 == 0
            text = (f"Turkey's envoy quietly conferred with Syria's minister, report {n}-{i}."
                    if label else f"Turkey and Syria counted flood damage, report {n}-{i}.")
            lines.append(json.dumps({"id": f"{n}-{i}", "title": "News", "text": text,
                                     "label": "positive" if label else "negative"}))
        files.append(folder / f"part{n}.jsonl")
        files[-1].write_text("\n".join(lines) + "\n", "utf-8")
    return files


def test_learn_cross_validates_then_writes_the_model_the_topic_names(workdir: Path) -> None:
    topic = topic_copy(workdir, '\n[second_opinion]\nmodel = "mine.npz"\nthreshold = 0.85\n',
                       model=False)
    files = corpus(workdir)
    dry = invoke_cli(["learn", "--topic", str(topic), "--dry-run", *map(str, files)],
                     mtwatch_env(workdir))
    assert dry.exit_code == 0, dry.output
    assert "the rules alone" in dry.output
    assert "(the topic's)" in dry.output
    assert not (workdir / "mine.npz").exists()
    result = invoke_cli(["learn", "--topic", str(topic), *map(str, files)], mtwatch_env(workdir))
    assert result.exit_code == 0, result.output
    assert "learning from 24 labelled rows of 2 file(s), 12 positive" in result.output
    model = OpinionModel.load(workdir / "mine.npz")
    assert model.meta["rows"] == 24
    assert model.meta["examples_sha256"] == examples_digest(files)
    assert model.meta["rules_sha256"] == rules_digest(topic_table(topic))
    loaded = rules_topic(topic)
    assert loaded.second_opinion is not None
    assert loaded.second_opinion.threshold == 0.85


@pytest.mark.parametrize(("lines", "problem"), [
    (['{"id": 1, "title": "T", "text": "x", "label": "maybe"}'], "'label' must be"),
    (['{"id": 1, "title": "T", "text": "x", "label": "positive"}'], "learning needs both"),
])
def test_learn_refuses_bad_rows_in_one_line(workdir: Path, lines: list[str],
                                            problem: str) -> None:
    path = workdir / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = invoke_cli(["learn", "--topic", str(SYRIA_TURKEY), "--out",
                         str(workdir / "m.npz"), str(path)], mtwatch_env(workdir))
    assert result.exit_code == 2
    assert problem in result.output
    assert not (workdir / "m.npz").exists()


def test_learn_without_scikit_learn_says_how_to_get_it(
        workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)  # what an install without the extra has
    result = invoke_cli(["learn", "--topic", str(SYRIA_TURKEY), "--dry-run",
                         *map(str, corpus(workdir))], mtwatch_env(workdir))
    assert result.exit_code == 2
    assert "pip install 'mtwatch[learn]'" in result.output
    assert "Traceback" not in result.output


def test_learn_needs_somewhere_to_write(workdir: Path) -> None:
    topic = topic_copy(workdir, "", model=False)
    result = invoke_cli(["learn", "--topic", str(topic), *map(str, corpus(workdir))],
                        mtwatch_env(workdir))
    assert result.exit_code == 2
    assert "has no [second_opinion] model" in result.output


# --- the shipped model ---------------------------------------------------------------------


def test_the_shipped_model_was_learned_from_the_current_rows_and_rules() -> None:
    meta = OpinionModel.load(OPINION).meta
    files = [ROOT / name for name in meta["examples"]]
    relearn = ("relearn it: mtwatch learn --topic syria-turkey " + " ".join(meta["examples"]))
    assert not any(f.name.startswith("heldout") for f in files)
    assert all(f.is_file() for f in files), relearn
    assert meta["examples_sha256"] == examples_digest(files), relearn
    assert meta["rules_sha256"] == rules_digest(topic_table(SYRIA_TURKEY)), relearn
    blind = sorted(p.name for p in (ROOT / "tests" / "data").glob("dev_*.jsonl"))
    assert set(blind) <= {f.name for f in files}, relearn  # every development file teaches


def test_the_shipped_topic_reads_its_model() -> None:
    topic = rules_topic()
    assert topic.second_opinion is not None
    assert 0 < topic.second_opinion.threshold < 1
    # a small file beside its rules: it grows by about 10 KB with each 400 labelled rows (391
    # KB at 10,250 rows); half a megabyte still catches a model that stopped pruning rare grams
    assert OPINION.stat().st_size < 512_000
