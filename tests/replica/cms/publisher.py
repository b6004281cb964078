"""A large publisher: JSON-LD NewsArticle in an ``@graph`` (no rel=canonical), a body of
blocks of which the later ones are lazy-loaded, a Google news sitemap and a sitemap index.

Its traps: a lazy "recirculation" box and an in-body aside inside the body zone, a live page
and a video page with positive headlines listed in the sitemaps, the news sitemap listing
articles with a tracking parameter, and a removed article answering 200 "no longer
available"."""

from __future__ import annotations

import json

from .model import Story, esc

GHOST = "/world/middle-east/story-removed-after-legal-complaint-99999901"
LIVE = "/live/2026/06/23/syria-turkey-talks-live-updates"
VIDEO = "/video/2026/06/23/ankara-and-damascus-leaders-meet-in-moscow"
#: blocks after this many are lazy-loaded (their text is in the page, marked for the script)
_EAGER = 2


def path(s: Story) -> str:
    return f"/world/middle-east/{'-'.join(s.slug_words)}-{s.key}"


def _ld(s: Story, base: str) -> str:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Global Wire Times", "url": base},
        {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "World", "item": f"{base}/world"}]},
        {"@type": "NewsArticle", "headline": s.title, "description": s.subtitle,
         "datePublished": s.published.isoformat(), "inLanguage": "en-GB",
         "author": [{"@type": "Person", "name": n.strip()} for n in s.author.split(",") if n],
         "mainEntityOfPage": {"@type": "WebPage", "@id": f"{base}{path(s)}"}},
    ]}
    return json.dumps(graph).replace("</", "<\\/")


def _blocks(s: Story, others: list[Story]) -> str:
    out = []
    for i, text in enumerate(s.paragraphs):
        lazy = f' data-lazy="true" data-src="/api/blocks/{s.key}/{i}"' if i >= _EAGER else ""
        out.append(f'<div class="article-body__block" data-block="text"{lazy}><p>{esc(text)}</p>'
                   "</div>")
    if s.aside:
        out.insert(1, f'<aside class="article-body__block inline-related"><a href="/">'
                      f"{esc(s.aside)}</a></aside>")
    if not s.positive and others:
        box = "".join(f'<li><a href="{path(o)}">{esc(o.title)}</a></li>' for o in others[:3])
        out.insert(min(len(out), _EAGER + 1),
                   '<aside class="article-body__block recirculation" data-lazy="true">'
                   f"<h4>More on this story</h4><ul>{box}</ul></aside>")
    return "".join(out)


def page(s: Story, stories: list[Story], base: str) -> str:
    others = [o for o in stories if o.positive and o is not s]
    figure = (f'<figure class="article-body__image"><img data-src="/img/{s.key}.jpg">'
              f"<figcaption>{esc(s.caption)}</figcaption></figure>" if s.caption else "")
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{esc(s.title)} | Global Wire Times</title>"
        f'<meta property="og:url" content="{base}{path(s)}?ref=og">'
        f'<meta property="og:title" content="{esc(s.title)}">'
        f'<script type="application/ld+json">{_ld(s, base)}</script>'
        '</head><body><div id="app"><header class="masthead"><nav>World Business Tech</nav>'
        '</header><main><article class="story"><div class="story__header">'
        f'<h1 class="story__headline">{esc(s.title)}</h1>'
        f'<p class="story__standfirst">{esc(s.subtitle)}</p></div>{figure}'
        f'<div class="article-body" data-component="body">{_blocks(s, others)}</div>'
        '<div class="loader" aria-hidden="true">Loading more…</div></article>'
        '<section class="most-read"><h3>Most read</h3><ol>'
        + "".join(f'<li><a href="{path(o)}">{esc(o.title)}</a></li>' for o in others[:5])
        + "</ol></section></main></div></body></html>")


def not_found() -> str:
    return ('<!DOCTYPE html><html lang="en-GB"><head><title>Page not found | Global Wire Times'
            '</title></head><body><main><h1>Sorry, this page is no longer available</h1>'
            "</main></body></html>")


def _news_sitemap(stories: list[Story], base: str) -> str:
    entries = [(f"{base}{path(s)}?cmpid=nsm", s.title, s.published.isoformat())
               for s in stories[:20]]
    entries += [(base + GHOST, "Removed", stories[0].published.isoformat()),
                (base + LIVE, "Syria and Turkey talks: live", stories[0].published.isoformat())]
    body = "".join(
        f"<url><loc>{u}</loc><news:news><news:publication><news:name>Global Wire Times"
        "</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{d}</news:publication_date><news:title>{esc(t)}</news:title>"
        "</news:news></url>" for u, t, d in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
            'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{body}</urlset>")


def routes(stories: list[Story], base: str) -> dict[str, tuple[int, str, str]]:
    xml = "application/xml"
    out = {path(s): (200, "text/html; charset=utf-8", page(s, stories, base)) for s in stories}
    every = "".join(f"<url><loc>{base}{path(s)}</loc><lastmod>{s.published.isoformat()}"
                    "</lastmod></url>" for s in stories)
    positive = next(s for s in stories if s.positive)
    trap_page = f"<html><body><h1>{esc(positive.title)}</h1></body></html>"
    out.update({
        GHOST: (200, "text/html; charset=utf-8", not_found()),
        LIVE: (200, "text/html; charset=utf-8", trap_page),
        VIDEO: (200, "text/html; charset=utf-8", trap_page),
        "/sitemaps/index.xml": (200, xml, (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9"><sitemap><loc>{base}/sitemaps/articles.xml</loc></sitemap>'
            f"<sitemap><loc>{base}/sitemaps/video.xml</loc></sitemap></sitemapindex>")),
        "/sitemaps/articles.xml": (200, xml, (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">{every}</urlset>')),
        "/sitemaps/video.xml": (200, xml, (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9"><url><loc>{base}{VIDEO}</loc></url></urlset>')),
        "/sitemaps/news.xml": (200, xml, _news_sitemap(stories, base)),
    })
    return out
