"""A site's selector overrides: CSS, or XPath when the text starts with ``/`` or ``(``."""

from __future__ import annotations

import lxml.etree
from cssselect import GenericTranslator, SelectorError
from parsel import Selector, SelectorList


def is_xpath(expression: str) -> bool:
    return expression.startswith(("/", "("))


def check_selector(expression: str) -> str:
    """``expression`` if it compiles (as XPath or CSS), else a ValueError saying why."""
    if not expression:
        return expression
    try:
        if is_xpath(expression):
            lxml.etree.XPath(expression)
        else:
            GenericTranslator().css_to_xpath(expression)
    except (lxml.etree.XPathSyntaxError, SelectorError) as exc:
        kind = "XPath" if is_xpath(expression) else "CSS selector"
        raise ValueError(f"not a valid {kind}: {expression!r} ({exc})") from None
    return expression


def select(sel: Selector, expression: str) -> SelectorList[Selector]:
    """What ``expression`` selects in ``sel``."""
    return sel.xpath(expression) if is_xpath(expression) else sel.css(expression)
