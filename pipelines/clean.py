"""Clean: the body zone → plain text with trafilatura, bounded, with fallbacks that never lose text.

Every page gets a linear raw-text pass (``pipelines.extraction.rawtext``): the yardstick of
what text the body holds. Ordinary pages go through trafilatura in-process (fast); long or
tag-heavy ones through a killable worker process (``pipelines.extraction.worker``); pages
nested deeper than the parser can read skip trafilatura. Whatever trafilatura returns is
checked against the yardstick, so a parser that silently dropped text (libxml2 at depth 255,
a killed worker) never turns into a silent "no match": the article keeps the fallback text,
and its ``extraction`` status says what happened (``extraction_failed:<why>``).
"""

from __future__ import annotations

import atexit
import logging
import re
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml.etree import LxmlError, ParserError

from pipelines.extraction.engine import document, trafilatura_text
from pipelines.extraction.rawtext import measure, raw_text
from pipelines.extraction.worker import ExtractionWorker, Limits
from pipelines.untrusted import clean_text

logger = logging.getLogger(__name__)

_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div")
_ANY_SPACE = re.compile(r"\s+")
#: trafilatura may legitimately trim a little; losing more than this means it lost text
_MIN_SHARE = 0.8
#: libxml2 drops elements nested deeper than 255; the estimate stops well before that
DEPTH_LIMIT = 200
#: the block-text fallback parses a second tree in this process only below this size
TREE_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Thresholds:
    """Above these, trafilatura runs in the worker process instead of in-process."""

    max_bytes: int = 256 * 1024
    max_tags: int = 6000


@dataclass(frozen=True)
class Extraction:
    """The body text and how it was obtained: ``ok``, ``ok:fallback``, ``no_body`` or
    ``extraction_failed:<depth|timeout|memory|error|crashed|lost_text>`` (text = fallback)."""

    text: str
    status: str


def plain_text(body_html: str) -> str:
    """Every text block of the body zone, one paragraph per block (the tree fallback)."""
    try:
        root = lxml.html.fromstring(body_html)
    except (ParserError, LxmlError, ValueError):
        return ""
    paragraphs = []
    for node in root.iter(*_BLOCK_TAGS):
        if any(child.tag in _BLOCK_TAGS for child in node.iterchildren()):
            continue  # a container: its block children are read on their own
        text = _ANY_SPACE.sub(" ", node.text_content()).strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def extract_text(body_html: str, *, worker: ExtractionWorker | None = None,
                 thresholds: Thresholds | None = None) -> Extraction:
    """The body text: trafilatura when it keeps the text, else a fallback that does; in every
    case without control or format characters (``pipelines.untrusted.clean_text``)."""
    extraction = _extract(body_html, worker, thresholds)
    return Extraction(clean_text(extraction.text), extraction.status)


def _extract(body_html: str, worker: ExtractionWorker | None,
             thresholds: Thresholds | None) -> Extraction:
    raw = raw_text(body_html)
    raw_letters = _letter_count(raw)
    if not raw_letters:
        return Extraction("", "no_body")
    limits = thresholds or Thresholds()
    shape = measure(body_html, limit=DEPTH_LIMIT)
    if shape.depth >= DEPTH_LIMIT:
        logger.warning("body nested %d+ deep: using the raw text", DEPTH_LIMIT)
        return Extraction(raw, "extraction_failed:depth")
    if shape.size > limits.max_bytes or shape.tags > limits.max_tags:
        outcome = (worker or default_worker()).extract(document(body_html))
        if outcome.text is None:
            return Extraction(raw, f"extraction_failed:{outcome.failure}")
        extracted = outcome.text
    else:
        extracted = trafilatura_text(document(body_html))
    if _letter_count(extracted) >= _MIN_SHARE * raw_letters:
        return Extraction(extracted, "ok")
    return _fallback(body_html, raw, raw_letters)


def _fallback(body_html: str, raw: str, raw_letters: int) -> Extraction:
    """trafilatura lost text: the block text if it holds it, else the raw text."""
    if len(body_html) > TREE_MAX_BYTES:
        # a long page: a second tree would cost what the worker was there to avoid
        return Extraction(raw, "ok:fallback")
    blocks = plain_text(body_html)
    if _letter_count(blocks) >= _MIN_SHARE * raw_letters:
        return Extraction(blocks, "ok:fallback")
    # Both trees lost text the markup holds: a parser limit, whatever its cause.
    logger.warning("extraction lost text (%d of %d letters kept): using the raw text",
                   _letter_count(blocks), raw_letters)
    return Extraction(raw, "extraction_failed:lost_text")


def _letter_count(text: str) -> int:
    return sum(map(str.isalnum, text))


_DEFAULT: list[ExtractionWorker] = []


def default_worker() -> ExtractionWorker:
    """The process-wide worker for callers that bring none (stopped at exit)."""
    if not _DEFAULT:
        _DEFAULT.append(ExtractionWorker())
        atexit.register(_DEFAULT[0].close)
    return _DEFAULT[0]


class CleanPipeline:
    """Fill ``item.text`` from the body zone; articles without a body are kept and flagged."""

    def __init__(self, stats: Any, limits: Limits, thresholds: Thresholds) -> None:
        self.stats = stats
        self.thresholds = thresholds
        self.worker = ExtractionWorker(limits)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        settings = crawler.settings
        limits = Limits(timeout=settings.getfloat("MTWATCH_EXTRACTION_TIMEOUT", 15.0),
                        max_rss_mb=settings.getint("MTWATCH_EXTRACTION_MAX_RSS_MB", 512))
        thresholds = Thresholds(
            max_bytes=settings.getint("MTWATCH_EXTRACTION_INPROCESS_BYTES", 256 * 1024),
            max_tags=settings.getint("MTWATCH_EXTRACTION_INPROCESS_TAGS", 6000))
        if not 0 < limits.timeout <= 20:
            raise ValueError("MTWATCH_EXTRACTION_TIMEOUT must be in (0, 20] seconds")
        return cls(crawler.stats, limits, thresholds)

    def close_spider(self) -> None:
        self.worker.close()

    def process_item(self, item: Any) -> Any:
        extraction = extract_text(item.html, worker=self.worker, thresholds=self.thresholds)
        item.text = extraction.text
        item.extraction = extraction.status
        self.stats.inc_value(f"mtwatch/extraction/{extraction.status}")
        if extraction.status == "no_body":
            self.stats.inc_value("mtwatch/no_body")
            logger.warning("article %s has no body text: %s", item.article_id, item.url)
        elif extraction.status.startswith("extraction_failed"):
            self.stats.inc_value("mtwatch/extraction_failed")
            logger.warning("article %s: %s; matching the fallback text: %s",
                           item.article_id, extraction.status, item.url)
        return item
