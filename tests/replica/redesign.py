# ruff: noqa: E501  (HTML templates keep their natural lines)
"""Redesigned article markup: the same articles in new templates, traps included.

News sites change their templates every few years; the article text stays, the class names
and containers do not. Each layout here keeps every trap of the classic page (sidebar "Most
read"/"Just in" headlines, the bottom "Read more" cards, in-body related-article boxes, photo
captions, the donation box, tags) but in markup mtwatch has never seen:

=================  ===========================================================================
``classic``        the site's template today (``render.py``)
``redesign-a``     renamed classes: ``story``/``story-body``/``rail``; related boxes as ``div``
``redesign-b``     other containers: ``itemprop`` microdata, body in ``text-block`` divs,
                   captions in plain ``div``; no canonical link and no ``article:*`` metas
                   (the ID comes from the URL, the date from JSON-LD)
``redesign-split`` a partial redesign: the old ``div.article__content`` is kept but holds
                   only the first block; the rest of the body follows in new
                   ``article-continued`` sections around a newsletter promo (the old
                   sidebar and "Read more" cluster stay)
``liveblog``       a live blog: timestamped posts in a list, JSON-LD ``LiveBlogPosting``
``app-shell``      a client-rendered page: the body only exists in a JSON ``<script>`` (no
                   text extractor can read it; canaries and monitors must notice)
=================  ===========================================================================

The layout is chosen per site (``Site.layout``) and may be overridden per article
(``Site.layout_overrides``), e.g. to break only the canary article.
"""

from __future__ import annotations

import json

from .excerpts import article_url, image_src, teaser
from .model import Article, date_c, date_text
from .model import php_text as t
from .redesign_story import live_blog, split_story, story_a, story_b
from .seo import article_seo, php_json
from .site import Site
from .widgets import cluster, sidebar

CLASSIC = "classic"
LAYOUTS = ("classic", "redesign-a", "redesign-b", "redesign-split", "liveblog", "app-shell")
#: the redesigns a text extractor can be expected to read (app-shell hides its body)
READABLE_REDESIGNS = ("redesign-a", "redesign-b", "redesign-split", "liveblog")


#: per layout: (rail, rail box, rail list, bottom section, bottom card) class names
_WIDGET_NAMES = {
    "redesign-a": ("rail", "rail-widget", "rail-list", "more-stories", "card"),
    "redesign-b": ("col-side", "box", "box__list", "recirculation", "tile"),
    "liveblog": ("lb-aside", "latest-box", "latest-box__items", "more-coverage", "teaser-card"),
}


def redesigned_page(site: Site, a: Article, base: str, layout: str) -> str:
    """The article page in ``layout`` (anything but ``classic``)."""
    if layout == "app-shell":
        return _shell(base, _head(a, base, layout), _app_shell(a, base), "app")
    if layout == "redesign-split":  # a partial redesign: the old sidebar and cluster stay
        side, bottom = sidebar(site, a, base), cluster(site, a, base)
    elif layout in _WIDGET_NAMES:
        names = _WIDGET_NAMES[layout]
        side, bottom = rail(site, a, base, names), more_stories(site, a, base, names)
    else:
        raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    body = {"redesign-a": story_a, "redesign-b": story_b, "redesign-split": split_story,
            "liveblog": live_blog}[layout]
    main = f"""
<main class="page page--story" id="main">
	<div class="story-layout">
		<div class="story-layout__main">
			{body(a, base)}
		</div>
		<div class="story-layout__side">
			{side}
		</div>
	</div>
	{bottom}
</main>"""
    return _shell(base, _head(a, base, layout), main, "story")


def _head(a: Article, base: str, layout: str) -> str:
    seo = article_seo(a, base)
    if layout == "redesign-b":  # a leaner head: no canonical, no article:* metas
        lines = [line for line in seo.split("\n")
                 if 'rel="canonical"' not in line and 'property="article:' not in line]
        seo = "\n".join(lines)
    if layout == "liveblog":
        seo = seo.replace('"@type":"NewsArticle"', '"@type":"LiveBlogPosting"')
    return seo


def _shell(base: str, seo: str, main: str, kind: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en" class="v2">
<head>
	<meta charset="utf-8">
	<meta name="viewport" content="width=device-width, initial-scale=1">
	<meta property="og:site_name" content="The Moscow Times">
	{seo}
	<link rel="stylesheet" href="{base}/assets/v2/app.css">
	<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "WebSite", "url": "{base}/",}}</script>
</head>
<body class="v2 v2--{kind}">
	<div class="topbar">
		<a class="topbar__logo" href="{base}/"><img src="{base}/img/logo_tmt_30_yo.svg" alt="The Moscow Times"></a>
		<nav class="topbar__nav"><a href="{base}/news">News</a> <a href="{base}/opinion">Opinion</a> <a href="{base}/business">Business</a> <a href="{base}/ukraine-war">Ukraine War</a></nav>
		<div class="topbar__support"><p>Support The Moscow Times!</p><a href="{base}/contribute">Contribute today</a></div>
	</div>
	{main}
	<div class="site-footer">
		<div class="site-footer__links"><a href="{base}/page/about-us">About us</a> <a href="{base}/page/privacy-policy">Privacy Policy</a></div>
		<p class="site-footer__copy">&copy; The Moscow Times, all rights reserved.</p>
	</div>
	<script src="{base}/assets/v2/app.js" defer></script>
</body>
</html>
"""


def rail(site: Site, a: Article, base: str, names: tuple[str, ...]) -> str:
    """The side column: "Most read" and "Just in" headlines of other articles (a trap)."""
    column, box, listing = names[:3]

    def items(arts: list[Article]) -> str:
        return "".join(f"""
				<li class="{listing}__item"><a class="{listing}__link" href="{article_url(base, x)}">
					<span class="{listing}__title">{t(x.title)}</span>
					<span class="{listing}__time">{date_text(x.published)}</span></a></li>""" for x in arts)
    return f"""<div class="{column}">
			<div class="{box} {box}--popular">
				<div class="{box}__heading">Most read</div>
				<ol class="{listing}">{items(site.most_read(a))}</ol>
			</div>
			<div class="ad-slot" data-slot="side-1"></div>
			<div class="{box} {box}--latest">
				<div class="{box}__heading">Just in</div>
				<ul class="{listing}">{items(site.just_in(a))}</ul>
			</div>
		</div>"""


def more_stories(site: Site, a: Article, base: str, names: tuple[str, ...]) -> str:
    """Bottom "Read more" cards: headline and teaser of related articles (a trap)."""
    section, card = names[3:]
    cards = "".join(f"""
			<div class="{card}">
				<a class="{card}__link" href="{article_url(base, x)}">
					<img class="{card}__image" src="{image_src(base, x, 'article_640')}" alt="">
					<h3 class="{card}__title">{t(x.title)}</h3>
					<p class="{card}__teaser">{teaser(x)}</p>
				</a>
			</div>""" for x in site.related(a))
    return f"""<section class="{section}">
		<h2 class="{section}__heading">Read more</h2>
		<div class="{section}__grid">{cards}
		</div>
	</section>"""


def _app_shell(a: Article, base: str) -> str:
    """Only a mount point and the story as JSON: the browser renders it, a crawler sees none."""
    state = {"story": {"id": a.id, "title": a.title, "subtitle": a.subtitle,
                       "published": date_c(a.published),
                       "blocks": [{"type": b.type, "html": b.body} for b in a.blocks]}}
    payload = php_json(state).replace("<", "\\u003c")  # as frameworks do: no "</script>"
    return f"""<div id="root" data-hydrate="story"><div class="spinner" aria-busy="true"></div></div>
	<noscript>Please enable JavaScript to read this article.</noscript>
	<script id="__STATE__" type="application/json">{payload}</script>
	<script>window.__BOOT__ = {json.dumps({"base": base})};</script>"""
