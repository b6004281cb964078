"""Feeds and sitemaps that moved: where the permanent redirects (301, 308) of a poll led, so
that later polls ask there directly, with the validators of what they found there. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: redirects that say the document lives at the new address from now on
PERMANENT = frozenset({301, 308})


def moved_to(document: str, asked: str, hops: Sequence[str], reasons: Sequence[Any],
             final: str) -> str | None:
    """The address later polls of ``document`` (its configured URL) ask: where the leading
    permanent redirects of this poll led (``asked``: the URL this poll asked first, ``hops``:
    every URL it was redirected from, in order, ``reasons``: each redirect's status, ``final``:
    the URL that answered); a temporary redirect (302, 303, 307, a meta refresh) ends the move
    there. None when that is the document's own address."""
    where = asked
    chain = [*hops[1:], final]
    for reason, target in zip(reasons, chain, strict=False):
        if reason not in PERMANENT:
            break
        where = target
    return None if where == document else where


def poll_moved_to(document: str, url: str, meta: Mapping[str, Any]) -> str | None:
    """:func:`moved_to` of a Scrapy response (or a failed request) at ``url`` with ``meta``."""
    hops = list(meta.get("redirect_urls") or [])
    return moved_to(document, hops[0] if hops else url, hops,
                    list(meta.get("redirect_reasons") or []), url)


def first_asked(url: str, meta: Mapping[str, Any]) -> str:
    """The URL a request asked before any redirect."""
    hops = meta.get("redirect_urls") or []
    return str(hops[0]) if hops else url
