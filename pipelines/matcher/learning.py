"""Learning a topic's second opinion (pipelines/matcher/opinion.py) from labelled rows.

Each labelled row is read by the topic's rules first: their evidence and near-miss sentences
(else, in an article naming both sides, its sentences naming one) are the ``near`` source of
its features, as they will be when the model is consulted. Rows
of the held-out split (``"split": "heldout"``) are never read: they measure the rules and
the model, they do not teach them. The model is a logistic regression (scikit-learn's, the
classes weighted to balance); :func:`cross_validate` scores each file's rows with a model
learned from the other files, which is how a threshold is chosen before the held-out split
is measured.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .backtest import CorpusError, parse_row
from .engine import Matcher
from .opinion import OpinionModel, Vocabulary, article_text, near_text, text_keys

#: scikit-learn's inverse regularisation strength (the corpus's rows are few and long)
STRENGTH = 10.0
#: a gram must occur in this many training rows to be in the vocabulary
MIN_ROWS = 5
MAX_ITER = 5000


@dataclass(frozen=True)
class Example:
    """One labelled row as the learner sees it."""

    id: str
    group: str
    label: bool
    rules_matched: bool
    keys: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Examples:
    """The rows read from the example files, and what was left out."""

    rows: list[Example]
    heldout_skipped: int
    unlabelled_skipped: int


def read_examples(paths: Sequence[Path], matcher: Matcher,
                  progress: Callable[[int], None] | None = None) -> Examples:
    """The labelled, non-held-out rows of ``paths``, each read by the rules of ``matcher``
    (which must not consult a second opinion); CorpusError names a bad row."""
    rows: list[Example] = []
    heldout = unlabelled = 0
    for path in paths:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(f"{path}: cannot read: {exc}") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            sample = parse_row(line, f"{path}:{number}", number)
            if json.loads(line).get("split") == "heldout":
                heldout += 1
                continue
            if sample.label is None:
                unlabelled += 1
                continue
            doc = sample.document
            verdict, sentences = matcher.opinion_reading(doc)
            keys = text_keys(article_text(doc.title, doc.subtitle, doc.body),
                             near_text(sentences))
            rows.append(Example(sample.id, Path(path).name, sample.label, verdict.matched,
                                keys))
            if progress is not None:
                progress(len(rows))
    return Examples(rows, heldout, unlabelled)


def vocabulary(rows: Sequence[Example], min_rows: int = MIN_ROWS) -> Vocabulary:
    """The grams of at least ``min_rows`` rows, with a smoothed inverse document frequency
    (scikit-learn's: ln((1 + n) / (1 + df)) + 1)."""
    counts: Counter[int] = Counter()
    for row in rows:
        for keys in row.keys:
            counts.update(keys.tolist())
    kept = sorted(key for key, count in counts.items() if count >= min_rows)
    keys = np.array(kept, dtype=np.uint32)
    df = np.array([counts[key] for key in kept], dtype=np.float64)
    idf = np.log((1 + len(rows)) / (1 + df)) + 1
    # the model stores idf in half precision: learn with the values it will read
    return Vocabulary(keys, idf.astype(np.float16).astype(np.float32))


def matrix(vocab: Vocabulary, rows: Sequence[Example]) -> Any:
    """The rows' feature vectors as a sparse matrix (scipy CSR)."""
    from scipy.sparse import csr_matrix

    indptr, indexes, values = [0], [], []
    for row in rows:
        at, value = vocab.vector_of(row.keys)
        indexes.append(at)
        values.append(value)
        indptr.append(indptr[-1] + len(at))
    return csr_matrix((np.concatenate(values) if values else np.zeros(0),
                       np.concatenate(indexes) if indexes else np.zeros(0, dtype=np.int64),
                       np.array(indptr)), shape=(len(rows), len(vocab.keys)))


def fit(rows: Sequence[Example], strength: float = STRENGTH,
        min_rows: int = MIN_ROWS) -> OpinionModel:
    """A model learned from ``rows`` (both labels needed)."""
    from sklearn.linear_model import LogisticRegression

    labels = np.array([row.label for row in rows])
    if labels.all() or not labels.any():
        raise ValueError("learning needs positive and negative rows")
    vocab = vocabulary(rows, min_rows)
    learner = LogisticRegression(C=strength, class_weight="balanced", max_iter=MAX_ITER)
    learner.fit(matrix(vocab, rows), labels)
    # stored in half precision: the weights the model will read
    weights = learner.coef_[0].astype(np.float16).astype(np.float32)
    return OpinionModel(vocab, weights, float(learner.intercept_[0]))


def cross_validate(rows: Sequence[Example], folds: int, strength: float = STRENGTH,
                   min_rows: int = MIN_ROWS,
                   progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Each row's probability from a model learned without its file (``folds`` groups of
    files); fewer files than two folds: an empty array."""
    from sklearn.model_selection import GroupKFold

    groups = [row.group for row in rows]
    folds = min(folds, len(set(groups)))
    if folds < 2:
        return np.zeros(0)
    found = np.zeros(len(rows))
    splitter = GroupKFold(n_splits=folds)
    for done, (learn, score) in enumerate(splitter.split(rows, groups=groups), start=1):
        model = fit([rows[i] for i in learn], strength, min_rows)
        for i in score:
            found[i] = model.probability_of(rows[i].keys)
        if progress is not None:
            progress(done)
    return found


@dataclass(frozen=True)
class Outcome:
    """Precision and recall of the rules alone (threshold None) or with the opinion."""

    threshold: float | None
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_negatives)


def outcomes(rows: Sequence[Example], probabilities: np.ndarray,
             thresholds: Sequence[float]) -> list[Outcome]:
    """The rules alone, then the rules with the opinion at each threshold (consulted, as in
    a crawl, only where the rules match nothing and have sentences to read: near-misses
    naming both sides, else sentences naming one in an article naming both)."""
    labels = np.array([row.label for row in rows])
    rules = np.array([row.rules_matched for row in rows])
    consulted = np.array([len(row.keys[1]) > 0 for row in rows]) & ~rules
    found = [(None, rules)] + [(t, rules | (consulted & (probabilities >= t)))
                               for t in thresholds]
    return [Outcome(t, int((m & labels).sum()), int((m & ~labels).sum()),
                    int((~m & labels).sum())) for t, m in found]
