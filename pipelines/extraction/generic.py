"""trafilatura as this project calls it: body zone (or whole page) in, plain text out, no
cross-call state. trafilatura is imported on the first extraction: a crawl that fetches no
article (an idle poll) never pays for it.

Each call passes a ready ``Extractor`` (trafilatura's options): given keyword arguments
instead, ``trafilatura.extract`` builds a new one from the config for every page, which cost
a tenth of the zone's extraction. trafilatura supports sharing one (it never changes it: a
recall retry works on a copy), and these hold no state across calls (no deduplication)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_ANY_SPACE = re.compile(r"\s+")


@cache
def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # Short articles and one-paragraph notes are still articles.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    # trafilatura's own timeout uses signals (main thread only); pipelines.extraction.worker
    # bounds long pages instead.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


@cache
def _options(focus: str) -> Any:
    """trafilatura's options for ``focus`` (``recall``: a zone; ``precision``: a whole page)."""
    from trafilatura.settings import Extractor

    return Extractor(config=_config(), comments=False, tables=True, dedup=False,
                     with_metadata=False, recall=focus == "recall",
                     precision=focus == "precision")


def preload() -> None:
    """Import trafilatura now (the extraction worker, before its first page)."""
    import trafilatura  # noqa: F401

    _options("recall")
    _options("precision")


def document(body_html: str) -> str:
    """The body zone as a page trafilatura reads as one article.

    Source line breaks inside a paragraph are not text: they are collapsed so a phrase that
    wraps in the HTML still reads as one phrase (the site's markup has no <pre>).
    """
    flat = _ANY_SPACE.sub(" ", body_html)
    return f"<html><body><article>{flat}</article></body></html>"


def trafilatura_text(page: str) -> str:
    """trafilatura's text of ``page``; ``deduplicate=False`` because its cache would blank
    text it has seen before in this process (bar row B4: retries, refreshes)."""
    import trafilatura

    extracted = trafilatura.extract(page, options=_options("recall"))
    return (extracted or "").strip()


def generic_text(page: str) -> str:
    """trafilatura's article text of a whole page (``crawler.pages.boilerplate`` has cut the
    widgets it knows): its own boilerplate removal, precision first, since sidebars and
    "Read more" boxes hold other articles' headlines."""
    import trafilatura

    extracted = trafilatura.extract(page, options=_options("precision"))
    return (extracted or "").strip()
