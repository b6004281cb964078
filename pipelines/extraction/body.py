"""An article's body → plain text with trafilatura, bounded, with fallbacks that never lose text.

The body is the site's article zone; when a redesign removed it, or it holds too little of
the page's text, trafilatura reads the whole page with its widgets cut (``generic``), and the
``extraction`` column says which path each article took (``pipelines.extraction.paths``).

Every zone gets a linear raw-text pass (``pipelines.extraction.rawtext``): the yardstick of
what text it holds. Ordinary pages go through trafilatura in-process (fast); long or
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

import lxml.html
from lxml.etree import LxmlError, ParserError

from pipelines.extraction import paths
from pipelines.extraction.article import ArticleBody
from pipelines.extraction.generic import document, generic_text, trafilatura_text
from pipelines.extraction.letters import letter_count
from pipelines.extraction.rawtext import measure, raw_text
from pipelines.extraction.worker import ExtractionWorker
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
    """The body text and how it was obtained (``pipelines.extraction.paths``): ``zone``,
    ``zone:blocks``, ``generic``, ``generic:small_zone``, ``raw``, ``no_body`` or
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


def extract_article(body: ArticleBody, *, worker: ExtractionWorker | None = None,
                    thresholds: Thresholds | None = None) -> Extraction:
    """The article's text: its zone when the zone holds the page's text, else trafilatura's
    generic extraction over ``body.page_html`` (the page without its widgets;
    ``body.outside_zone``: the letters it holds outside the zone, the headline and the
    standfirst); like every body text, without control or format characters."""
    found = _extract_article(body, worker, thresholds)
    return Extraction(clean_text(found.text), found.status)


def _extract_article(body: ArticleBody, worker: ExtractionWorker | None,
                     thresholds: Thresholds | None) -> Extraction:
    page_html = body.page_html
    zone = (extract_text(body.zone_html, worker=worker, thresholds=thresholds)
            if body.has_zone else None)
    if not page_html or (zone is not None and paths.is_failure(zone.status)):
        return zone or Extraction("", paths.NO_BODY)
    if zone is not None and paths.zone_is_enough(body.outside_zone):
        return zone
    page_raw = raw_text(page_html)
    zone_letters = letter_count(zone.text) if zone is not None else 0
    found = _trafilatura(page_html, page_raw, worker, thresholds or Thresholds(), generic=True)
    if paths.is_failure(found.status):
        return found if zone is None else zone
    if letter_count(found.text) > zone_letters:
        path = paths.GENERIC if zone is None else paths.GENERIC_SMALL_ZONE
        return Extraction(found.text, path)
    if zone is not None:
        return zone
    if letter_count(page_raw) >= paths.RAW_MIN_LETTERS:
        return Extraction(page_raw, paths.RAW)
    return Extraction("", paths.NO_BODY)


def extract_text(body_html: str, *, worker: ExtractionWorker | None = None,
                 thresholds: Thresholds | None = None) -> Extraction:
    """The zone's text: trafilatura when it keeps the text, else a fallback that does; in every
    case without control or format characters (``pipelines.untrusted.clean_text``)."""
    extraction = _extract(body_html, worker, thresholds)
    return Extraction(clean_text(extraction.text), extraction.status)


def _extract(body_html: str, worker: ExtractionWorker | None,
             thresholds: Thresholds | None) -> Extraction:
    raw = raw_text(body_html)
    raw_letters = letter_count(raw)
    if not raw_letters:
        return Extraction("", paths.NO_BODY)
    found = _trafilatura(document(body_html), raw, worker, thresholds or Thresholds())
    if paths.is_failure(found.status):
        return found
    if letter_count(found.text) >= _MIN_SHARE * raw_letters:
        return Extraction(found.text, paths.ZONE)
    return _fallback(body_html, raw, raw_letters)


def _trafilatura(page: str, raw: str, worker: ExtractionWorker | None, limits: Thresholds,
                 *, generic: bool = False) -> Extraction:
    """trafilatura's text of ``page``, bounded: in-process for ordinary pages, in the worker
    for long or tag-heavy ones, never for pages nested deeper than the parser reads (the
    status is then ``extraction_failed:<why>`` and the text ``raw``)."""
    shape = measure(page, limit=DEPTH_LIMIT)
    if shape.depth >= DEPTH_LIMIT:
        logger.warning("page nested %d+ deep: using the raw text", DEPTH_LIMIT)
        return Extraction(raw, f"{paths.FAILED}:depth")
    if shape.size > limits.max_bytes or shape.tags > limits.max_tags:
        outcome = (worker or default_worker()).extract(page, generic=generic)
        if outcome.text is None:
            return Extraction(raw, f"{paths.FAILED}:{outcome.failure}")
        return Extraction(outcome.text, "")
    return Extraction(generic_text(page) if generic else trafilatura_text(page), "")


def _fallback(body_html: str, raw: str, raw_letters: int) -> Extraction:
    """trafilatura lost text: the block text if it holds it, else the raw text."""
    if len(body_html) > TREE_MAX_BYTES:
        # a long page: a second tree would cost what the worker was there to avoid
        return Extraction(raw, paths.ZONE_BLOCKS)
    blocks = plain_text(body_html)
    if letter_count(blocks) >= _MIN_SHARE * raw_letters:
        return Extraction(blocks, paths.ZONE_BLOCKS)
    # Both trees lost text the markup holds: a parser limit, whatever its cause.
    logger.warning("extraction lost text (%d of %d letters kept): using the raw text",
                   letter_count(blocks), raw_letters)
    return Extraction(raw, f"{paths.FAILED}:lost_text")


_DEFAULT: list[ExtractionWorker] = []


def default_worker() -> ExtractionWorker:
    """The process-wide worker for callers that bring none (stopped at exit)."""
    if not _DEFAULT:
        _DEFAULT.append(ExtractionWorker())
        atexit.register(_DEFAULT[0].close)
    return _DEFAULT[0]
