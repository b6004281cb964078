"""Clean: the body zone → plain text with trafilatura, and a fallback that never drops text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
from lxml.etree import LxmlError, ParserError
from trafilatura.settings import use_config

logger = logging.getLogger(__name__)

_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div")
_ANY_SPACE = re.compile(r"\s+")
#: trafilatura may legitimately trim a little; losing more than this means it lost text
_MIN_SHARE = 0.8


def _trafilatura_config() -> Any:
    config = use_config()
    # Short articles and one-paragraph notes are still articles.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


_CONFIG = _trafilatura_config()


@dataclass(frozen=True)
class Extraction:
    """The body text and how it was obtained: ``ok``, ``ok:fallback`` or ``no_body``."""

    text: str
    status: str


def plain_text(body_html: str) -> str:
    """Every text block of the body zone, one paragraph per block (the fallback)."""
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


def extract_text(body_html: str) -> Extraction:
    """Trafilatura on the body zone; the plain text of the blocks when it loses text."""
    fallback = plain_text(body_html)
    if not fallback:
        return Extraction("", "no_body")
    # Source line breaks inside a paragraph are not text: collapse them so a phrase that wraps
    # in the HTML still reads as one phrase (the site's markup has no <pre>).
    flat = _ANY_SPACE.sub(" ", body_html)
    document = f"<html><body><article>{flat}</article></body></html>"
    extracted = trafilatura.extract(
        document, include_comments=False, include_tables=True, favor_recall=True,
        deduplicate=False, with_metadata=False, config=_CONFIG,
    ) or ""
    if len(_letters(extracted)) >= _MIN_SHARE * len(_letters(fallback)):
        return Extraction(extracted.strip(), "ok")
    logger.debug("trafilatura kept %d of %d characters; using the fallback text",
                 len(extracted), len(fallback))
    return Extraction(fallback, "ok:fallback")


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


class CleanPipeline:
    """Fill ``item.text`` from the body zone; articles without a body are kept and flagged."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        extraction = extract_text(item.html)
        item.text = extraction.text
        item.extraction = extraction.status
        self.stats.inc_value(f"mtwatch/extraction/{extraction.status}")
        if extraction.status == "no_body":
            self.stats.inc_value("mtwatch/no_body")
            logger.warning("article %s has no body text: %s", item.article_id, item.url)
        return item
