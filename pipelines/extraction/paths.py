"""Which way an article's body was read: the values of the ``extraction`` column, and the
rule that decides between the site's article zone and the whole page.

=========================  ==================================================================
``zone``                   trafilatura over the site's article zone (``div.article__content``)
``zone:blocks``            the zone's block text: trafilatura dropped text the zone holds
``generic``                no article zone on the page (a redesign): trafilatura over the
                           whole page, widgets cut first (``crawler.pages.boilerplate``)
``generic:small_zone``     the zone held too little of the page's text (the body goes on
                           outside it): the whole page, as for ``generic``
``raw``                    no zone and trafilatura found no body: the raw text of the page
                           without its widgets (recall first; the run says so)
``no_body``                no body text anywhere (a video page): matched on the headline
``extraction_failed:<why>``  a parser limit (``depth``, ``timeout``, ``memory``, ``error``,
                           ``crashed``, ``lost_text``): matched on the raw text
=========================  ==================================================================

Stores written before these names hold ``ok`` (now ``zone``) and ``ok:fallback`` (now
``zone:blocks``); revision 0006_coverage renames them.
"""

from __future__ import annotations

ZONE = "zone"
ZONE_BLOCKS = "zone:blocks"
GENERIC = "generic"
GENERIC_SMALL_ZONE = "generic:small_zone"
RAW = "raw"
NO_BODY = "no_body"
FAILED = "extraction_failed"
#: the names older stores hold
LEGACY = {"ok": ZONE, "ok:fallback": ZONE_BLOCKS}
#: paths that read the site's article zone (what the zone monitor expects)
FROM_ZONE = (ZONE, ZONE_BLOCKS)
#: paths that read the page without the zone (a layout change)
WITHOUT_ZONE = (GENERIC, GENERIC_SMALL_ZONE, RAW)

#: the zone is "suspiciously small" when it holds less than this share of the page's text...
ZONE_MIN_SHARE = 0.5
#: ... and the page holds at least this many letters more (headline, byline, tags, a short
#: article: a page always has some text outside the zone)
ZONE_MIN_GAP = 400
#: without a zone and without trafilatura's body, the page's raw text is used from this size
RAW_MIN_LETTERS = 400


def zone_is_enough(zone_letters: int, page_letters: int) -> bool:
    """Whether the zone's text stands for the page (letters, widgets cut from the page)."""
    gap = page_letters - zone_letters
    return gap < ZONE_MIN_GAP or zone_letters >= ZONE_MIN_SHARE * page_letters


def is_failure(status: str) -> bool:
    return status.startswith(FAILED)


def current(status: str) -> str:
    """A stored value under today's name (``ok`` → ``zone``)."""
    return LEGACY.get(status, status)
