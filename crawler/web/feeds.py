"""Atom feeds of matches (per topic, per site): one entry per match, whose id carries the
alert's idempotency key, so a feed reader never shows one article twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from lxml import etree

from crawler.web.render import environment
from crawler.web.text import clip
from pipelines.alerts.render import highlight
from pipelines.storage.desk import MatchRow

#: entries per feed: the newest matches
FEED_ENTRIES = 50
#: when a feed has no entry yet: a fixed instant, so an empty feed does not change
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def entry_id(key: str) -> str:
    """The Atom entry id of the match whose alert has idempotency key ``key``."""
    return f"urn:mtwatch:alert:{key}"


def _content(row: MatchRow) -> str:
    evidence = [{"field": e.get("field", ""),
                 "segments": highlight(clip(str(e.get("sentence", "")), 1000),
                                       [str(t) for t in e.get("terms") or []])}
                for e in row.evidence[:5]]  # fmt: skip
    return environment().get_template("entry.html.j2").render(row=row, evidence=evidence)


ATOM = "http://www.w3.org/2005/Atom"


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str
         ) -> etree._Element:
    node = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _entry(feed: etree._Element, row: MatchRow, desk_link: Callable[[MatchRow], str] | None
           ) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", entry_id(row.key))
    _add(entry, "title", clip(row.headline, 300) or f"article {row.article_id}", type="text")
    _add(entry, "updated", row.updated_at.isoformat())
    _add(entry, "published", (row.published or row.matched_at).isoformat())
    if row.url.startswith(("https://", "http://")):
        _add(entry, "link", rel="alternate", type="text/html", href=row.url)
    if desk_link is not None:
        _add(entry, "link", rel="related", type="text/html", title="mtwatch desk",
             href=desk_link(row))
    _add(entry, "category", term=row.topic)
    _add(entry, "content", _content(row), type="html")


def atom(feed_id: str, title: str, rows: Sequence[MatchRow], *, self_url: str | None,
         desk_link: Callable[[MatchRow], str] | None) -> bytes:
    """The feed document (lxml escapes every value; crawled text is cleaned of characters
    XML cannot carry). ``desk_link``: the absolute desk URL of an entry's article page."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _add(feed, "id", feed_id)
    _add(feed, "title", clip(title, 200), type="text")
    _add(feed, "updated", max((r.updated_at for r in rows), default=EPOCH).isoformat())
    _add(_add(feed, "author"), "name", "mtwatch")
    _add(feed, "generator", "mtwatch")
    if self_url:
        _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    for row in rows:
        _entry(feed, row, desk_link)
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="utf-8",
                                pretty_print=True))
