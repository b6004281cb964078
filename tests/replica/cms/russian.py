"""A Russian-language site: Cyrillic article paths (``/новости/2023/05/10/<слова>``), an Atom
feed, ``<html lang="ru">``.

Its traps: the feed spells each path percent-encoded in lower-case hex with a tracking
parameter while the page's canonical link spells it in Cyrillic; a "Читайте также" box shows
the positive's headline on the other pages; the feed links a tag page; a removed article
answers 200 "Страница не найдена"."""

from __future__ import annotations

import re
from urllib.parse import quote

from .model import Story, esc

GHOST = "/новости/2026/06/01/материал-снят-с-публикации-редакцией"
TAG = "/теги/сирия"


def path(s: Story) -> str:
    words = [w.strip(".,:;«»\"%") for w in s.slug_words]
    return f"/новости/{s.published:%Y/%m/%d}/{'-'.join(w for w in words if w)}"


def _encoded(decoded: str) -> str:
    """A path percent-encoded in lower-case hex, as some CMSs write it."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(decoded))


def page(s: Story, stories: list[Story], base: str) -> str:
    positive = next(o for o in stories if o.positive)
    more = "" if s.positive else (
        f'<div class="read-more"><h3>Читайте также</h3><a href="{quote(path(positive))}">'
        f"{esc(positive.title)}</a></div>")
    body = "".join(f"<p>{esc(p)}</p>" for p in s.paragraphs)
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        f"<title>{esc(s.title)} — Вестник</title>"
        f'<link rel="canonical" href="{base}{path(s)}">'
        f'<meta property="og:title" content="{esc(s.title)}">'
        '<meta property="og:locale" content="ru_RU">'
        f'<meta property="article:published_time" content="{s.published.isoformat()}">'
        '</head><body><header><nav class="menu"><a href="/">Главная</a>'
        f'<a href="{quote(TAG)}">Сирия</a></nav></header><main><article>'
        f'<h1>{esc(s.title)}</h1><div class="text">{body}</div>'
        f'<div class="tags"><a href="{quote(TAG)}">Сирия</a></div></article>{more}</main>'
        "<footer>© Вестник</footer></body></html>")


def not_found() -> str:
    return ('<!DOCTYPE html><html lang="ru"><head><title>Страница не найдена — Вестник</title>'
            "</head><body><h1>Страница не найдена</h1></body></html>")


def feed(stories: list[Story], base: str) -> str:
    links = [(base + _encoded(path(s)) + "?utm_source=atom", s.title, s.published.isoformat())
             for s in stories]
    links += [(base + _encoded(GHOST), "Снято", stories[0].published.isoformat()),
              (base + _encoded(TAG), "Сирия", stories[0].published.isoformat())]
    entries = "".join(
        f'<entry><title>{esc(t)}</title><link rel="alternate" href="{esc(u)}"/>'
        f"<id>{esc(u)}</id><published>{d}</published><updated>{d}</updated></entry>"
        for u, t, d in links)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>Вестник</title><link href="{base}/"/><id>{base}/</id>'
            f"<updated>{stories[0].published.isoformat()}</updated>{entries}</feed>")


def routes(stories: list[Story], base: str) -> dict[str, tuple[int, str, str]]:
    out = {path(s): (200, "text/html; charset=utf-8", page(s, stories, base)) for s in stories}
    out.update({
        GHOST: (200, "text/html; charset=utf-8", not_found()),
        TAG: (200, "text/html; charset=utf-8", "<html><body><h1>Сирия</h1></body></html>"),
        "/feeds/atom.xml": (200, "application/atom+xml; charset=utf-8", feed(stories, base)),
    })
    return out
