"""Linear-time text of an HTML fragment and its shape, for pages a parser cannot be trusted with.

Nothing here builds a tree: libxml2 silently drops everything nested deeper than 255
elements (2048 with ``huge_tree``), and trafilatura's cost grows faster than the page. A
regular-expression pass over the markup reads every text node whatever the nesting, in time
proportional to the size of the page; it is the fallback that makes a lost text visible.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

#: elements whose content is never article text (captions and asides included: body only)
_SKIPPED = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object",
            "figure", "figcaption", "aside", "form", "button", "select", "textarea", "title")
#: raw-text elements: an unclosed one swallows the rest of the page, as in a browser
_SWALLOWING = frozenset({"script", "style", "textarea", "title"})
# the lookaheads reject a "<" that starts no tag at once: "<" * 10**6 stays cheap
_OPENER = re.compile(r"<(?=[!A-Za-z])(?:!--|(" + "|".join(_SKIPPED) + r")\b)", re.IGNORECASE)
_BLOCK = re.compile(
    r"<(?=/?[A-Za-z])(?:/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|tbody|thead|blockquote|section|article"
    r"|header|footer|main|dd|dt|dl|pre|hr|center|caption|details|summary)\b)[^<>]*>",
    re.IGNORECASE)
_TAG = re.compile(r"<[!/?]?[A-Za-z][^<>]*>")
_LINE_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "keygen", "basefont", "frame"})
#: opening one of these closes an open one of the same name (``<p>a<p>b``), as parsers do
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
#: how far up the stack an end tag may close open elements (mis-nested markup)
_CLOSE_REACH = 64


def raw_text(markup: str, max_chars: int = 10_000_000) -> str:
    """Every text node outside script/style/captions/asides, block elements as line breaks,
    entities decoded; at most ``max_chars`` characters of output."""
    kept = _drop_skipped(markup)
    text = _BLOCK.sub("\n", kept)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = _LINE_SPACE.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", lines).strip()[:max_chars]


def _drop_skipped(markup: str) -> str:
    """The markup without comments and skipped elements; linear: once the end of an element
    is known to be missing, no later search for it runs."""
    lower = markup.lower()
    parts: list[str] = []
    missing: dict[str, int] = {}
    pos = 0
    for match in _OPENER.finditer(markup):
        if match.start() < pos:
            continue
        name = (match.group(1) or "").lower()
        closer = f"</{name}" if name else "-->"
        end = -1 if missing.get(closer, len(markup)) <= match.start() else lower.find(
            closer, match.end())
        if end < 0:
            missing[closer] = match.start()
            if name and name not in _SWALLOWING:
                continue  # an unclosed <figure>: drop nothing but the tag itself
            parts.append(markup[pos:match.start()])
            return "".join(parts)
        parts.append(markup[pos:match.start()])
        close_end = markup.find(">", end)
        pos = len(markup) if close_end < 0 else close_end + 1
    parts.append(markup[pos:])
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Shape:
    """How big and how deep a fragment is; ``depth`` is ``limit`` when it reached it."""

    size: int
    tags: int
    depth: int


def measure(markup: str, limit: int = 200, max_tags: int = 300_000) -> Shape:
    """Size, tag count and nesting depth (stopping at ``limit``), in one linear pass.

    Implicitly closed siblings (``<p>a<p>b``), void and self-closed elements do not nest,
    and an end tag closes what it matches within the last few open elements: the estimate
    follows what an HTML parser builds closely enough to tell a 255-deep page from a long one.
    Only the first ``max_tags`` tags are walked (the text comparison in
    ``pipelines.extraction.body`` catches a deep region after them).
    """
    stack: list[str] = []
    deepest = 0
    for count, match in enumerate(_TAG_NAME.finditer(markup)):
        if count >= max_tags:
            break
        closing, name, self_closed = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closed:
            continue
        if closing:
            _close(stack, name)
            continue
        if stack and stack[-1] == name and name in _SELF_CLOSING_SIBLINGS:
            stack.pop()
        stack.append(name)
        if len(stack) > deepest:
            deepest = len(stack)
            if deepest >= limit:
                break
    return Shape(len(markup), markup.count("<"), deepest)


def _close(stack: list[str], name: str) -> None:
    for index in range(len(stack) - 1, max(-1, len(stack) - 1 - _CLOSE_REACH), -1):
        if stack[index] == name:
            del stack[index:]
            return
