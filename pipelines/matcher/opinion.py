"""A learned second opinion: a linear reader consulted when the rules find no evidence.

The rules decide first. When they find none but a sentence names both sides (a near-miss),
or, in an article naming both sides, no sentence does (deep in a long story the relation may
be told in a sentence naming one), the topic's second opinion, if it has one, reads the
article: a logistic regression over the words and word pairs of the whole article and,
apart, of its near-miss sentences (else of its sentences naming one side), learned from
labelled rows by ``mtwatch learn`` (pipelines/matcher/learning.py). When its probability
reaches the topic's threshold, the article matches with the grade ``mention``, the rule
``second_opinion`` and, as evidence, the sentence it read whose own words weigh most for
the topic.

Features: the set of words (two or more word characters, casefolded) and adjacent word pairs
of each source, hashed (CRC-32 of the source's letter and the gram) to the model's
vocabulary; each known gram weighs its inverse document frequency, each source's vector has
unit length. Only numpy is needed here; training needs scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

#: the two sources of features: the whole article, and its sentences naming both sides
SOURCES = ("article", "near")
#: an article is read up to this many characters (the corpus's are a few thousand; a hostile
#: page of megabytes costs no more than a long article)
MAX_ARTICLE_CHARS = 20_000
MAX_NEAR_CHARS = 20_000
FORMAT = "mtwatch-second-opinion/1"
_TOKEN = re.compile(r"\w\w+")
_ARRAYS = ("keys", "idf", "weights")


class OpinionError(ValueError):
    """A second-opinion model file that cannot be read; the message names the file."""


def grams(text: str) -> set[str]:
    """The words of ``text`` (casefolded, two word characters or more) and adjacent pairs."""
    words = _TOKEN.findall(text.casefold())
    found = set(words)
    found.update(f"{a} {b}" for a, b in pairwise(words))
    return found


def gram_key(source: str, gram: str) -> int:
    """The vocabulary key of ``gram`` in ``source`` ("article" or "near")."""
    return zlib.crc32(f"{source[0]}\x1f{gram}".encode())


def source_keys(source: str, text: str) -> np.ndarray:
    """The distinct keys of the grams of ``text``, sorted (uint32)."""
    return np.unique(np.fromiter((gram_key(source, g) for g in grams(text)), dtype=np.uint32))


def text_keys(article: str, near: str) -> tuple[np.ndarray, np.ndarray]:
    """The keys of each source: the article's, the near-miss sentences'."""
    return source_keys(SOURCES[0], article), source_keys(SOURCES[1], near)


def article_text(title: str, subtitle: str, body: str) -> str:
    """What the ``article`` source reads: the fields in order, bounded."""
    return "\n".join(part for part in (title, subtitle, body) if part)[:MAX_ARTICLE_CHARS]


def near_text(sentences: Iterable[str]) -> str:
    """What the ``near`` source reads: the sentences naming both sides, bounded."""
    return "\n".join(sentences)[:MAX_NEAR_CHARS]


@dataclass(frozen=True)
class Vocabulary:
    """Known keys (sorted) with their inverse document frequency."""

    keys: np.ndarray
    idf: np.ndarray

    def vector(self, article: str, near: str) -> tuple[np.ndarray, np.ndarray]:
        """The article's feature vector as (indexes into the vocabulary, values)."""
        return self.vector_of(text_keys(article, near))

    def vector_of(self, keys: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
        """The feature vector of the keys of each source (:func:`text_keys`)."""
        indexes, values = [], []
        for found in keys:
            at = _known(self.keys, found)
            if not len(at):
                continue
            weight = self.idf[at].astype(np.float64)
            indexes.append(at)
            values.append(weight / math.sqrt(float(weight @ weight)))
        if not indexes:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(indexes), np.concatenate(values)


def _known(keys: np.ndarray, found: np.ndarray) -> np.ndarray:
    """The vocabulary indexes of the ``found`` keys that the vocabulary holds."""
    at = np.searchsorted(keys, found)
    inside = at < len(keys)
    at, found = at[inside], found[inside]
    known: np.ndarray = at[keys[at] == found]
    return known


@dataclass(frozen=True)
class OpinionModel:
    """A learned linear reader: vocabulary, weights, intercept and how it was learned."""

    vocabulary: Vocabulary
    weights: np.ndarray
    intercept: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, article: str, near: str) -> float:
        """The model's probability that the article tells the topic's relation."""
        return self.probability_of(text_keys(article, near))

    def probability_of(self, keys: tuple[np.ndarray, ...]) -> float:
        """The same from the keys of each source (:func:`text_keys`)."""
        at, values = self.vocabulary.vector_of(keys)
        z = self.intercept + float(self.weights[at].astype(np.float64) @ values)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def sentence_weight(self, sentence: str) -> float:
        """How much the words of one near-miss sentence speak for the topic (the evidence
        shown is the sentence weighing most)."""
        at = _known(self.vocabulary.keys, source_keys("near", sentence))
        return float((self.weights[at] * self.vocabulary.idf[at]).astype(np.float64).sum())

    def save(self, path: Path) -> None:
        """Write the model (compressed numpy arrays and a JSON header), atomically."""
        path = Path(path)
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as handle:
            np.savez_compressed(
                handle, keys=self.vocabulary.keys.astype(np.uint32),
                idf=self.vocabulary.idf.astype(np.float16),
                weights=self.weights.astype(np.float16),
                intercept=np.array([self.intercept]),
                meta=np.array(json.dumps({"format": FORMAT, **self.meta}, sort_keys=True)))
        partial.replace(path)

    @classmethod
    def load(cls, path: Path) -> OpinionModel:
        """Read a model written by :meth:`save`; OpinionError names what is wrong."""
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                arrays = {name: data[name] for name in (*_ARRAYS, "intercept", "meta")}
        except FileNotFoundError:
            raise OpinionError(f"{path}: not found (write it with `mtwatch learn`)") from None
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise OpinionError(f"{path}: not a second-opinion model: {exc}") from None
        try:
            meta = json.loads(str(arrays["meta"]))
        except ValueError:
            meta = None
        keys, idf, weights = (arrays[name] for name in _ARRAYS)
        if (not isinstance(meta, dict) or meta.get("format") != FORMAT
                or keys.ndim != 1 or keys.shape != idf.shape or keys.shape != weights.shape
                or arrays["intercept"].shape != (1,) or np.any(np.diff(keys.astype(np.int64))
                                                              <= 0)):
            raise OpinionError(f"{path}: not a {FORMAT} model (write it with `mtwatch learn`)")
        return cls(Vocabulary(keys.astype(np.uint32), idf.astype(np.float32)),
                   weights.astype(np.float32), float(arrays["intercept"][0]), meta)


def rules_digest(data: dict[str, Any]) -> str:
    """A digest of a topic's rules as parsed, without its ``second_opinion`` table: what a
    model was learned beside (comments, layout and the threshold do not count)."""
    rules = {key: value for key, value in data.items() if key != "second_opinion"}
    text = json.dumps(rules, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def examples_digest(paths: Sequence[Path]) -> str:
    """A digest of the example files a model was learned from (names and bytes)."""
    sha = hashlib.sha256()
    for path in paths:
        sha.update(Path(path).name.encode() + b"\0")
        sha.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return sha.hexdigest()


@dataclass(frozen=True)
class SecondOpinion:
    """A topic's ``[second_opinion]``: the model and the probability that makes a match."""

    model: OpinionModel
    threshold: float
    path: str
