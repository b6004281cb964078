"""Which way an article's body was read: the values of the ``extraction`` column, and the
rule that decides between the site's article zone and the whole page.

=========================  ==================================================================
``zone``                   trafilatura over the site's article zone (``div.article__content``)
``zone:blocks``            the zone's block text: trafilatura dropped text the zone holds
``generic``                no article zone on the page (a redesign): trafilatura over the
                           whole page, widgets cut first (``crawler.pages.boilerplate``)
``generic:small_zone``     the page holds text outside the zone (the body goes on outside
                           it): the whole page, as for ``generic``
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

#: the zone is "suspiciously small" when the page (widgets cut) holds at least this many
#: letters outside it, its headline and its standfirst: more than a label ("News Analysis"),
#: as much as one short sentence (on the site's own template: at most 12)
ZONE_MAX_OUTSIDE = 60
#: without a zone and without trafilatura's body, the page's raw text is used from this size
RAW_MIN_LETTERS = 400


def zone_is_enough(outside_letters: int) -> bool:
    """Whether the zone holds the page's text: what lies outside it is no more than a label."""
    return outside_letters < ZONE_MAX_OUTSIDE


def is_failure(status: str) -> bool:
    return status.startswith(FAILED)


def current(status: str) -> str:
    """A stored value under today's name (``ok`` → ``zone``)."""
    return LEGACY.get(status, status)
