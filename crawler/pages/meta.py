"""A page's ``<meta>`` tags, read in one pass: an article page asks for a dozen of them, and a
CSS query each walks the whole tree."""

from __future__ import annotations

from lxml.html import HtmlElement


class MetaTags:
    """``content`` of the page's first ``<meta property=…>``, else its first ``<meta name=…>``,
    as ``meta[property="x"]::attr(content)`` and then ``meta[name="x"]`` would find it: the first
    in document order that has a ``content`` attribute."""

    def __init__(self, root: HtmlElement) -> None:
        self._property: dict[str, str] = {}
        self._name: dict[str, str] = {}
        for node in root.iter("meta"):
            content = node.get("content")
            if content is None:
                continue
            if (key := node.get("property")) is not None:
                self._property.setdefault(key, content)
            if (key := node.get("name")) is not None:
                self._name.setdefault(key, content)

    def get(self, key: str) -> str | None:
        """The tag's content, or None when the page has no such tag."""
        found = self._property.get(key)
        return found if found is not None else self._name.get(key)
