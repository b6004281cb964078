"""A parsed page's elements by tag and by class, gathered in one walk of the tree.

An article page asks a dozen questions of its tree (the header's h1, the zone's blocks, the
canonical link, the JSON-LD scripts, the bylines, ...); a CSS query each walks the whole tree
again in libxml2's XPath engine, which on the site's ~65 KB pages cost more than the parse.
Here one walk (libxml2's, handing over only the candidates) files the elements of the tags and
the class names asked for, and the questions become lookups, with the answers CSS would give:
elements in document order, each once; a class matches as ``.name`` does (a whole word of the
``class`` attribute, split at XML whitespace).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from lxml import etree
from lxml.html import HtmlElement

_XML_SPACE = re.compile(r"[ \t\r\n]+")


class ElementIndex:
    """Elements of ``root`` (itself included) by tag, for each tag in ``tags``, and by class,
    for each class in ``classes``."""

    def __init__(self, root: HtmlElement, tags: Iterable[str], classes: Iterable[str]) -> None:
        tags, wanted = tuple(tags), frozenset(classes)
        self._root = root
        self._order: dict[HtmlElement, int] = {}
        self._tags: dict[str, list[HtmlElement]] = {tag: [] for tag in tags}
        self._classes: dict[str, list[HtmlElement]] = {name: [] for name in wanted}
        by_tag, order = self._tags, self._order
        # libxml2 walks the tree and hands over only the candidates, in document order
        for position, node in enumerate(_candidates(tags, wanted)(root)):
            order[node] = position
            filed = by_tag.get(node.tag)
            if filed is not None:
                filed.append(node)
            names = node.get("class")
            if names:
                for name in set(_XML_SPACE.split(names.strip())) & wanted:
                    self._classes[name].append(node)

    def tag(self, tag: str) -> list[HtmlElement]:
        """Every ``tag`` element, in document order (``tag`` one of the index's tags)."""
        return self._tags[tag]

    def with_class(self, name: str, tag: str | None = None) -> list[HtmlElement]:
        """Every element of class ``name`` (``tag.name``; ``.name`` without ``tag``); ``name``
        must be one of the classes the index was built for."""
        found = self._classes[name]
        return found if tag is None else [node for node in found if node.tag == tag]

    def ordered(self, nodes: Iterable[HtmlElement]) -> list[HtmlElement]:
        """``nodes`` (elements of the tree) once each, in document order (what a CSS query
        returns)."""
        unique = list(dict.fromkeys(nodes))
        if len(unique) < 2:
            return unique
        if any(node not in self._order for node in unique):  # rare: number the whole tree
            self._order = {node: position for position, node in enumerate(self._root.iter())}
        return sorted(unique, key=self._order.__getitem__)

    def descendants(self, parents: list[HtmlElement], tag: str) -> list[HtmlElement]:
        """The ``tag`` elements inside any of ``parents`` (CSS ``parent tag``)."""
        if len(parents) == 1:  # the usual case: one walk, already in document order
            return list(_below(parents[0], tag))
        return self.ordered(node for parent in parents for node in _below(parent, tag))


@functools.cache
def _candidates(tags: tuple[str, ...], classes: frozenset[str]) -> etree.XPath:
    """An XPath for the elements of ``tags`` and those whose class attribute holds one of
    ``classes``' keys as a substring (the exact, word-wise test is made on these few).

    libxml2's XPath pays for every test on every element: the tags are name steps (no
    predicate), and each element's class is read once and tested against as few substrings
    as find every class (``_keys``: a BEM block's elements, ``article__header`` and
    ``article__content``, share one test, ``article__``); half the cost of a test per name.
    """
    if any(not re.fullmatch(r"[\w-]+", name) for name in (*tags, *classes)):
        raise ValueError("tags and classes are names: letters, digits, '_' and '-'")
    steps = [f"descendant-or-self::{tag}" for tag in tags]
    if classes:
        tests = " or ".join(f"contains(., '{key}')" for key in _keys(classes))
        steps.append(f"descendant-or-self::*[@class[{tests}]]")
    return etree.XPath(" | ".join(steps) or "descendant-or-self::*[false()]")


def _keys(classes: frozenset[str]) -> list[str]:
    """Substrings that every name of ``classes`` holds one of: a name's BEM block with its
    ``__`` (``article__`` for ``article__header``), or the name itself; none that holds
    another (``tag`` finds ``article__tags``)."""
    keys = set()
    for name in classes:
        block, bem, _ = name.partition("__")
        keys.add(block + bem if block else name)
    return sorted(key for key in keys if not any(k != key and k in key for k in keys))


def _below(parent: HtmlElement, tag: str) -> Iterator[HtmlElement]:
    found = parent.iter(tag)
    if parent.tag == tag:
        next(found)  # iter() starts with the parent itself; a descendant is strictly inside
    return found


def texts(nodes: Iterable[HtmlElement]) -> list[str]:
    """Every text node inside ``nodes`` (in document order, as listed by
    :meth:`ElementIndex.ordered`), each once: CSS ``::text`` on ``nodes``."""
    chosen = list(nodes)
    within = set(chosen)
    outer = [node for node in chosen
             if len(chosen) == 1 or not any(up in within for up in node.iterancestors())]
    return [text for node in outer for text in node.itertext() if text]
