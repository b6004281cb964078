"""The Matcher: compiled once per topic, then evaluates documents without shared state."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from .analyze import FieldAnalysis, Finding
from .coref import Coref, Triggers
from .fold import Folded, fold
from .lexicon import Hit, Lexicon
from .model import Document, Evidence, Verdict
from .prefilter import Prefilter
from .query import ArticleIndex, QueryTopic, run_query
from .segment import sentence_spans
from .topic import Topic

if TYPE_CHECKING:
    from .opinion import SecondOpinion

logger = logging.getLogger(__name__)

FIELDS = ("title", "subtitle", "body")
MAX_NEAR_MISSES = 50
#: the rule name of a match the second opinion made (pipelines/matcher/opinion.py)
SECOND_OPINION = "second_opinion"
# A long article names a side a few hundred times; past this a field is hostile or junk and
# its later mentions are not read (see MAX_READ_CHARS in analyze.py).
MAX_SIDE_HITS = 20_000
# Articles are far shorter. The cap is above the download cap (10 MiB), so no downloaded
# text is cut: a match planted deep in a 9 MB page is still read (bar row B2); the work on
# sentences naming a side is bounded in analyze.py.
MAX_FIELD_CHARS = 12_000_000


class Matcher:
    """Evaluates documents against one topic (either form); safe to share between threads."""

    def __init__(self, topic: Topic | QueryTopic, *, second_opinion: bool = True) -> None:
        """``second_opinion=False``: the rules alone, even when the topic has a second
        opinion (what ``mtwatch learn`` reads the labelled rows with)."""
        self.topic = topic
        self._rules: Topic | None = None
        self._opinion: SecondOpinion | None = None
        if isinstance(topic, Topic):
            self._rules = topic
            self._opinion = topic.second_opinion if second_opinion else None
            self._lexicon = Lexicon(topic)
            self._prefilter = Prefilter(topic)
            self._triggers = Triggers(topic)

    def anchors(self) -> tuple[frozenset[str], ...]:
        """Groups of folded strings: a document the topic matches holds one string of every
        group (no group: any document may match)."""
        if isinstance(self.topic, QueryTopic):
            return self.topic.anchors()
        return self._prefilter.anchors()

    def opinion_reading(self, document: Document) -> tuple[Verdict, tuple[str, ...]]:
        """The verdict of the rules alone on ``document``, and the sentences a second
        opinion reads there: the evidence and near-misses, else (no near-miss in an article
        naming both sides) the sentences naming one side. What ``mtwatch learn`` learns
        from, as a crawl would ask."""
        assert self._rules is not None, "a query topic has no second opinion"
        evidence, near, asked = self._read(document, None, one_side=True)
        sentences = tuple(f.sentence for f in (*evidence, *_opinion_reads(near, asked)))
        return self._verdict(evidence, near), sentences

    def evaluate(self, document: Document, index: ArticleIndex | None = None, *,
                 near_misses: bool = True) -> Verdict:
        """Return the verdict for ``document``; never raises. ``index``: the document's
        words, indexed once for several query topics; ``near_misses=False``: a query topic
        that does not match skips working out its near-misses (a crawl keeps matches only)."""
        try:
            if isinstance(self.topic, QueryTopic):
                return self._query(self.topic, document, index, near_misses)
            return self._evaluate(document, index)
        except Exception:
            logger.exception("matcher %s failed on a document; reporting no match", self.topic.id)
            return self._verdict([], [])

    def unmatched(self) -> Verdict:
        """The verdict of a document that names nothing of the topic."""
        return Verdict(self.topic.id, self.topic.rule_version, False)

    def _query(self, topic: QueryTopic, document: Document, index: ArticleIndex | None,
               near_misses: bool) -> Verdict:
        if index is None:
            index = article_index(document)
        found, near = run_query(topic, index, getattr(document, "language", "") or "",
                                near_misses=near_misses)
        return self._verdict(found, near)

    def _evaluate(self, document: Document, index: ArticleIndex | None = None) -> Verdict:
        evidence, near, asked = self._read(document, index,
                                           one_side=self._opinion is not None)
        if not evidence and (near or asked) and self._opinion is not None:
            texts = (dict(index.texts) if index is not None
                     else {name: _text(getattr(document, name, "")) for name in FIELDS})
            found, rest = _consult(self._opinion, texts, _opinion_reads(near, asked))
            # the sentences naming one side are no near-misses of the rules: not shown
            evidence, near = found, (rest if near else [])
        return self._verdict(evidence, near)

    def _read(self, document: Document, index: ArticleIndex | None, *, one_side: bool
              ) -> tuple[list[Finding], list[Finding], list[Finding]]:
        """The rules' (evidence, near-misses) on ``document``, and, with ``one_side``, when
        they found neither in an article naming both sides, the sentences naming one side
        (what a second opinion may read instead)."""
        assert self._rules is not None
        day = _day(getattr(document, "published", None))
        texts = [(name, _text(getattr(document, name, ""))) for name in FIELDS]
        quick: bool | None = None
        if index is None:
            quick = self._prefilter.quick_check([text for _, text in texts])
            if quick is False:
                return [], [], []
            forms = [fold(text) for _, text in texts]
        else:
            texts, forms = list(index.texts), index.folds()  # folded once for every topic
        folded = [(name, text, form) for (name, text), form in zip(texts, forms, strict=True)]
        if quick is None and not self._prefilter.folded_check([f.text for _, _, f in folded]):
            return [], [], []
        sided = []
        sides: set[int] = set()
        for name, text, form in folded:
            hits = self._lexicon.side_hits(form.text, day, MAX_SIDE_HITS)
            if len(hits) >= MAX_SIDE_HITS:
                logger.warning("field %s names a side %d+ times: the rest is not read",
                               name, MAX_SIDE_HITS)
            # A headline or subtitle naming no side may still refer to them ("The two
            # neighbours agree…"); a body naming none holds no evidence.
            if hits or (name != "body" and text.strip()):
                sided.append((name, text, form, hits))
                sides.update(hit.code for hit in hits)
        if len(sides) < 2:
            return [], [], []
        evidence: list[Finding] = []
        near: list[Finding] = []
        coref = Coref(self._rules, self._triggers, day)
        coref.at_home = any(self._triggers.at_home(form.text) for _, _, form, _ in sided)
        for name, text, form, hits in sided:
            if name != "title":
                coref.foresee(text, form.text, hits, form.to_orig)
        for name, text, form, hits in sided:
            if name == "body":
                coref.ahead.clear()  # the body learns its names as it reads them
            analysis = FieldAnalysis(name, text, form, self._lexicon, day, hits, coref)
            analysis.run()
            evidence += analysis.evidence
            near += analysis.near_misses
        asked = _one_sided(sided) if one_side and not (evidence or near) else []
        return evidence, near, asked

    def _verdict(self, evidence: list[Finding], near: list[Finding]) -> Verdict:
        evidence, near = _ordered(evidence), _ordered(near)
        if not evidence:
            return Verdict(self.topic.id, self.topic.rule_version, False,
                           near_misses=_public(near[:MAX_NEAR_MISSES]))
        strongest = min(evidence, key=lambda f: f.priority)
        grade = "development" if any(f.grade == "development" for f in evidence) else "mention"
        return Verdict(self.topic.id, self.topic.rule_version, True, grade, strongest.rule,
                       _public(evidence), _public(near[:MAX_NEAR_MISSES]))


def _opinion_reads(near: list[Finding], asked: list[Finding]) -> list[Finding]:
    """The sentences a second opinion reads where the rules found no evidence, the same in a
    crawl and in ``mtwatch learn``: the near-misses, else the sentences naming one side, in
    reading order, at most MAX_NEAR_MISSES."""
    return _ordered(near or asked)[:MAX_NEAR_MISSES]


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Findings in reading order: field, then position."""
    return sorted(findings, key=lambda f: (FIELDS.index(f.field), f.start, f.end))


def _consult(opinion: SecondOpinion, fields: dict[str, str],
             near: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(evidence, near-misses) after the second opinion read an article in which the rules
    found no evidence: its near-miss sentence weighing most becomes the evidence when the
    model's probability reaches the threshold."""
    from .opinion import article_text, near_text

    model = opinion.model
    article = article_text(fields["title"], fields["subtitle"], fields["body"])
    probability = model.probability(article, near_text(f.sentence for f in near))
    if probability < opinion.threshold:
        return [], near
    best = max(near, key=lambda f: model.sentence_weight(f.sentence))
    reason = (f"learned second opinion {probability:.2f} (threshold {opinion.threshold:.2f}); "
              f"the rules: {best.reason}")
    found = Finding(best.field, best.start, best.end, best.sentence, SECOND_OPINION,
                    best.terms, reason, "mention", best.priority)
    return [found], [f for f in near if f is not best]


#: the rule name of a sentence naming one side, read by a second opinion in an article
#: whose rules found no near-miss
ONE_SIDE = "one-side"


def _one_sided(sided: list[tuple[str, str, Folded, list[Hit]]]) -> list[Finding]:
    """The sentences naming a side (lexicon hits), in original offsets: deep in a long story
    the relation may be told in one ("he flew on to Ankara for talks with Erdogan") while the
    other side is named elsewhere. At most MAX_NEAR_MISSES."""
    found: list[Finding] = []
    for name, text, form, hits in sided:
        # (sentences are told apart by the capitals of the original text, not the folded)
        named = sorted((form.to_orig(h.start), form.to_orig(h.end)) for h in hits)
        at = 0
        for start, end in sentence_spans(text):
            while at < len(named) and named[at][0] < start:
                at += 1
            if at == len(named):
                break
            if named[at][0] >= end:
                continue
            terms = tuple(text[a:b] for a, b in named if start <= a < end)
            found.append(Finding(name, start, end, text[start:end], ONE_SIDE, terms,
                                 "one side named here, the other elsewhere in the article"))
            if len(found) >= MAX_NEAR_MISSES:
                return found
    return found


def article_index(document: Document) -> ArticleIndex:
    """The fields of ``document`` as query topics read them."""
    return ArticleIndex([(name, _text(getattr(document, name, ""))) for name in FIELDS])


def _public(findings: list[Finding]) -> tuple[Evidence, ...]:
    return tuple(Evidence(f.field, f.start, f.end, f.sentence, f.rule, f.terms, f.reason)
                 for f in findings)


def _text(value: object) -> str:
    return value[:MAX_FIELD_CHARS] if isinstance(value, str) else ""


def _day(published: object) -> date | None:
    """The UTC calendar day of ``published`` (naive datetimes are taken as UTC)."""
    if isinstance(published, datetime):
        if published.tzinfo is not None:
            return published.astimezone(UTC).date()
        return published.date()
    if isinstance(published, date):
        return published
    return None
