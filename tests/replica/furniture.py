"""Heavier article pages for benchmarks: the page furniture a real article page carries.

The replica's article pages are ~37 KB; the site's real ones are 60–150 KB (see the site notes:
menus, sidebars, related cards, banners, inline SVG). ``weigh`` brings a page to about ``kb``
kilobytes with the kinds of bytes that make up that difference on news sites: an inline SVG
icon sprite right after ``<body>``, and before ``</body>`` the front-end's serialized state
(menu, most-read and related teasers as JSON in a ``<script>``). Neither is article text, so
what an extractor keeps from the page does not change; only the bytes to fetch and parse do.

Deterministic: the same page and size give the same bytes (no randomness, no clock).
"""

from __future__ import annotations

import json

from .layout import MENU

_ICONS = ("arrow", "bookmark", "close", "facebook", "mail", "menu", "play", "search", "share",
          "telegram", "twitter", "vk", "whatsapp", "youtube", "podcast", "clock")


def _path(icon: int, variant: int) -> str:
    """A plausible icon outline: relative curve commands with small integer coordinates."""
    steps = []
    for k in range(24):
        a = (icon * 37 + variant * 11 + k * 13) % 23
        b = (icon * 17 + variant * 7 + k * 5) % 19
        steps.append(f"c{a / 2:.1f} {-b / 3:.2f} {b / 2:.1f} {a / 4:.2f} {(a + b) / 3:.2f} {a - b}")
    return f"M{icon % 24} {variant % 24}" + "".join(steps) + "z"


def _sprite(budget: int) -> str:
    symbols: list[str] = []
    size = 0
    n = 0
    while size < budget:
        name = _ICONS[n % len(_ICONS)]
        symbol = (f'<symbol id="icon-{name}-{n // len(_ICONS)}" viewBox="0 0 24 24">'
                  f'<path d="{_path(n % len(_ICONS), n // len(_ICONS))}"/></symbol>\n')
        symbols.append(symbol)
        size += len(symbol)
        n += 1
    return ('<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true">\n'
            + "".join(symbols) + "</svg>\n")


def _state(budget: int, base: str) -> str:
    teasers = []
    size = 0
    n = 0
    while size < budget:
        slug, section = MENU[n % len(MENU)]
        teaser = {"id": 90000 + n, "section": section, "url": f"{base}/{slug}/{90000 + n}",
                  "image": f"{base}/image/article_640/teaser-{n}.jpg",
                  "label": section.upper(), "reads": (n * 7919) % 50000}
        size += len(json.dumps(teaser)) + 2
        teasers.append(teaser)
        n += 1
    state = {"menu": [{"slug": s, "title": t} for s, t in MENU], "teasers": teasers}
    return ('<script type="application/json" id="__app_state__">'
            + json.dumps(state, separators=(",", ":")).replace("</", "<\\/") + "</script>\n")


def weigh(html: str, kb: int, base: str) -> str:
    """``html`` with furniture added so that it is about ``kb`` KiB (unchanged when already so)."""
    missing = kb * 1024 - len(html.encode())
    if missing <= 0:
        return html
    head, sep, rest = html.partition("<body")
    if not sep:
        return html
    open_end = rest.index(">") + 1
    sprite = _sprite(missing * 2 // 5)
    rest = rest[:open_end] + "\n" + sprite + rest[open_end:]
    state = _state(missing - len(sprite) - 64, base)
    before, tag, after = rest.rpartition("</body>")
    return head + sep + (before + state + tag + after if tag else rest + state)
