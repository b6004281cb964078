"""Records of untrusted discovery XML (feed items, sitemap entries), in linear time.

A feed or sitemap is read in two steps:

1. a strict, safe lxml parse (no entities, no DTD, no network, depth limit). Well-formed
   documents — nearly all of them — are read exactly;
2. when that fails, a single-pass tag scanner that keeps every record it can see, before and
   after the damage. lxml's own ``recover`` mode is not used: it is quadratic on some inputs
   (1 MB of ``"<link "`` takes minutes) and stops reading at others (unclosed ``<item>``\\ s).
   The site's news sitemaps are known to be broken (unescaped ``&`` in titles), so this path is
   ordinary, not exotic.

The scanner's every step is bounded: one regular-expression pass whose matches cannot run past
the next ``<``, constant work per tag, and field values capped at :data:`MAX_FIELD` characters.
"""

from __future__ import annotations

import codecs
import html
import logging
import re
from collections.abc import Collection
from io import BytesIO

import lxml.etree

logger = logging.getLogger(__name__)

#: longest field value kept (a URL, a date); longer values are cut, never scanned further
MAX_FIELD = 8192

Record = dict[str, str]

# A start or end tag: optional prefix, local name, attributes up to the next ">" — never past
# the next "<", so each match is bounded by the distance to the following tag.
_TAG = re.compile(
    r"<(/?)(?:[A-Za-z_][\w.-]{0,63}:)?([A-Za-z_][\w.-]{0,63})(?:\s[^<>]{0,2048}?)?(/?)>")
_DECLARED = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_CDATA = "<![CDATA["


def read_records(body: bytes, records: Collection[str], fields: Collection[str]) -> list[Record]:
    """For every element named in ``records`` (local name), the first text of each descendant
    named in ``fields``. Strict parse first; the linear scanner when the document is broken."""
    try:
        return _strict_records(body, records, fields)
    except lxml.etree.LxmlError as exc:
        logger.info("discovery document is not well-formed XML (%s); read by the tag scanner",
                    str(exc)[:200])
        return scan_records(decode(body), records, fields)


def _strict_records(body: bytes, records: Collection[str], fields: Collection[str],
                    ) -> list[Record]:
    found: list[Record] = []
    parser = lxml.etree.iterparse(
        BytesIO(body), events=("end",), resolve_entities=False, load_dtd=False,
        no_network=True, huge_tree=False, recover=False, remove_comments=True, remove_pis=True,
    )
    for _, elem in parser:
        if not isinstance(elem.tag, str) or lxml.etree.QName(elem).localname not in records:
            continue
        record: Record = {}
        for child in elem.iterdescendants():
            if isinstance(child.tag, str):
                name = lxml.etree.QName(child).localname
                if name in fields and name not in record:
                    record[name] = (child.text or "").strip()[:MAX_FIELD]
        found.append(record)
        elem.clear()
    return found


def decode(body: bytes) -> str:
    """The document's text: BOM first, then the XML declaration, else UTF-8 (bad bytes replaced)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    declared = _DECLARED.match(body)
    if declared:
        try:  # unknown, not a text encoding ("rot13"), or strict-only ("idna"): UTF-8 instead
            return body.decode(declared.group(1).decode("ascii"), errors="replace")
        except (LookupError, ValueError):
            pass
    return body.decode("utf-8", errors="replace")


def scan_records(text: str, records: Collection[str], fields: Collection[str]) -> list[Record]:
    """The records a tolerant reader sees in broken XML, in one linear pass.

    A record starts at its start tag and ends at its end tag, at the next record's start tag
    (unclosed records) or at the end of the text. Inside a record the first value of each field
    wins; a field's value is its text up to the next tag (or a CDATA section), with XML/HTML
    character references decoded and nothing else expanded.
    """
    found: list[Record] = []
    current: Record | None = None
    for tag in _TAG.finditer(text):
        closing, name, empty = tag.group(1), tag.group(2), tag.group(3)
        if name in records:
            if current is not None:
                found.append(current)
            current = None if closing or empty else {}
        elif current is not None and name in fields and not closing and name not in current:
            current[name] = "" if empty else _value(text, tag.end())
    if current is not None:
        found.append(current)
    return found


def _value(text: str, start: int) -> str:
    """A field's text from ``start``: up to the next ``<`` (bounded), or a CDATA section."""
    if text.startswith(_CDATA, start):  # a URL or a date never holds "<": stop at the next one
        start += len(_CDATA)
        stop = text.find("<", start, start + MAX_FIELD)
        end = text.find("]]>", start, stop if stop != -1 else start + MAX_FIELD)
        return text[start:end].strip() if end != -1 else ""
    end = text.find("<", start, start + MAX_FIELD)
    return html.unescape(text[start:end if end != -1 else start + MAX_FIELD].strip())
