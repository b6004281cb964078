# ruff: noqa: E501  (HTML templates keep their natural lines)
"""The article bodies of the redesigned layouts (see ``redesign.py``), block by block."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from .excerpts import article_url, image_src, label_text
from .model import Article, Block, date_c, date_text, html_paragraphs, join_paragraphs
from .model import php_text as t

DONATE = ("<p>The Moscow Times has been branded a \"foreign agent\" by the Russian government. "
          "Independent journalism needs readers like you: support us monthly from just $2.</p>")


def _byline(a: Article, base: str, cls: str) -> str:
    names = ", ".join(f'<a class="{cls}__author" href="{base}/author/{x.slug}">{t(x.name)}</a>'
                      for x in a.authors)
    by = f"By {names}" if names else ""
    return f"""<div class="{cls}">{by}
				<time class="{cls}__time" datetime="{date_c(a.published)}">{date_text(a.published)}</time>
				<div class="{cls}__share"><a href="https://www.facebook.com/sharer/sharer.php?u={article_url(base, a)}">Share</a> <a href="{article_url(base, a)}/pdf">PDF</a></div>
			</div>"""


def _hero(a: Article, base: str, figure: bool) -> str:
    if not a.has_image:
        return ""
    credit = f" <span class=\"hero__credit\">{t(a.credits)}</span>" if a.credits else ""
    caption = f"{t(a.caption)}{credit}" if (a.caption or a.credits) else ""
    img = f'<img src="{image_src(base, a, "article_1360")}" alt="">'
    if figure:
        return f'<figure class="story-hero">{img}<figcaption class="story-hero__caption">{caption}</figcaption></figure>'
    return f'<div class="post-media">{img}<div class="post-media__caption">{caption}</div></div>'


def _tags(a: Article, base: str, cls: str) -> str:
    if not a.tags:
        return ""
    from .model import slugify

    links = " ".join(f'<a class="{cls}__tag" href="{base}/tag/{slugify(x)}">{t(x)}</a>' for x in a.tags)
    return f'<div class="{cls}"><span class="{cls}__label">Read more about:</span> {links}</div>'


def _related_box(b: Block, a: Article, base: str, cls: str) -> str:
    """An in-body related-article box, now a plain ``div`` (no ``<aside>`` any more)."""
    href = f"{base}/{a.published:%Y/%m/%d}/{b.caption}"
    label = "Opinion" if b.by == "opinion" else "Related"
    return f"""<div class="{cls}"><a class="{cls}__link" href="{href}">
					<span class="{cls}__label">{label}</span>
					<span class="{cls}__title">{t(b.body)}</span>
					<span class="{cls}__cta">Read more</span></a></div>"""


def _blocks(a: Article, base: str, related_cls: str, figure: bool,
            wrap: Callable[[str], str] = lambda html: html) -> list[str]:
    """Each body block in the new markup; ``wrap`` frames the text blocks."""
    out: list[str] = []
    for b in a.blocks:
        if b.type == "html":
            out.append(wrap(b.body))
        elif b.type == "article":
            out.append(_related_box(b, a, base, related_cls))
        elif b.type == "image":
            img = f'<img src="{image_src(base, a, "1360", suffix="-2")}" alt="">'
            caption = f"{t(b.caption)} {t(b.credits)}"
            out.append(f'<figure class="inline-image">{img}<figcaption>{caption}</figcaption></figure>'
                       if figure else f'<div class="inline-image">{img}<div class="inline-image__caption">{caption}</div></div>')
        elif b.type == "header":
            out.append(wrap(f"<h2>{t(b.body)}</h2>"))
        elif b.type == "quote":
            cite = f"<cite>{t(b.by)}</cite>" if b.by else ""
            out.append(wrap(f"<blockquote>{t(b.body)}{cite}</blockquote>"))
    return out


def story_a(a: Article, base: str) -> str:
    """Renamed classes, same structure."""
    kicker, _ = label_text(a)
    intro = f'<p class="story-body__lede">{t(a.intro)}</p>' if a.intro else ""
    body = "\n".join(_blocks(a, base, "story-body__related", figure=True))
    return f"""<article class="story story--{a.section}">
			<header class="story-head">
				<span class="story-head__kicker">{t(kicker)}</span>
				<h1 class="story-head__title">{t(a.title)}</h1>
				<p class="story-head__dek">{t(a.subtitle)}</p>
				{_byline(a, base, "story-byline")}
			</header>
			{_hero(a, base, figure=True)}
			<div class="story-body">
				{intro}
				{body}
			</div>
			{_tags(a, base, "story-tags")}
			<div class="donate-box"><h4>… we have a small favor to ask.</h4>{DONATE}<a class="donate-box__cta" href="{base}/contribute">Continue</a></div>
		</article>"""


def story_b(a: Article, base: str) -> str:
    """Microdata containers; every text block in its own ``div.text-block``."""
    intro = f'<div class="text-block text-block--lead"><p>{t(a.intro)}</p></div>' if a.intro else ""
    body = "\n".join(_blocks(a, base, "embed-related", figure=False,
                             wrap=lambda html: f'<div class="text-block">{html}</div>'))
    return f"""<div class="post" itemscope itemtype="https://schema.org/NewsArticle">
			<div class="post-top">
				<div class="post-top__section">{t(label_text(a)[0])}</div>
				<h1 class="post-title" itemprop="headline">{t(a.title)}</h1>
				<div class="post-standfirst" itemprop="description">{t(a.subtitle)}</div>
			</div>
			{_byline(a, base, "post-meta")}
			{_hero(a, base, figure=False)}
			<div class="post-content" itemprop="articleBody">
				{intro}
				{body}
			</div>
			<div class="post-support"><div class="post-support__title">… we have a small favor to ask.</div>{DONATE}</div>
			{_tags(a, base, "post-tags")}
		</div>"""


def split_story(a: Article, base: str) -> str:
    """The old zone survives with the first block only; the body goes on in new sections."""
    blocks = _blocks(a, base, "related-inline", figure=True,
                     wrap=lambda html: f'<section class="article-continued__chunk">{html}</section>')
    first_html = next((i for i, b in enumerate(a.blocks) if b.type == "html"), None)
    first = ""
    if first_html is not None:
        first = (f'<div class="article__block article__block--html article__block--column ">'
                 f'{a.blocks[first_html].body}</div>')
        del blocks[first_html]
    promo = ('<div class="promo-inline"><strong>The Moscow Times Daily</strong> '
             '<p>Sign up for our free morning newsletter.</p><a href="/newsletter">Sign up</a></div>')
    middle = len(blocks) // 2
    rest = "\n".join([*blocks[:middle], promo, *blocks[middle:]]) if blocks else ""
    intro = f'<div class="article__intro">{t(a.intro)}</div>' if a.intro else ""
    return f"""<article class="article article--{a.quirk_section}">
			<header class="article__header ">
				<h1>{t(a.title)}</h1>
				<h2>{t(a.subtitle)}</h2>
			</header>
			{_byline(a, base, "article-meta")}
			{intro}
			{_hero(a, base, figure=True)}
			<div class="article__content-container">
				<div class="article__content" y-name="article-content">{first}</div>
			</div>
			<div class="article-continued">
				{rest}
			</div>
			{_tags(a, base, "article-keywords")}
			<div class="donate-box"><h4>… we have a small favor to ask.</h4>{DONATE}</div>
		</article>"""


def live_blog(a: Article, base: str) -> str:
    """A live blog: each paragraph (or block) is a timestamped post, newest first."""
    posts: list[str] = []
    pieces = _live_pieces(a, base)
    for index, html in enumerate(pieces):
        when = a.published + timedelta(minutes=7 * (len(pieces) - 1 - index))
        posts.append(f"""<li class="lb-post" id="post-{a.id}-{index}">
					<div class="lb-post__meta"><time datetime="{date_c(when)}">{when:%H:%M}</time></div>
					<div class="lb-post__body">{html}</div>
					<div class="lb-post__share"><a href="{article_url(base, a)}#post-{a.id}-{index}">Link</a></div>
				</li>""")
    summary = f'<div class="lb-summary"><h3>Key points</h3><p>{t(a.intro)}</p></div>' if a.intro else ""
    return f"""<article class="lb">
			<header class="lb-head">
				<span class="lb-head__badge">Live</span>
				<h1 class="lb-head__title">{t(a.title)}</h1>
				<p class="lb-head__standfirst">{t(a.subtitle)}</p>
				{_byline(a, base, "lb-byline")}
			</header>
			{_hero(a, base, figure=True)}
			{summary}
			<ol class="lb-feed">
				{"".join(reversed(posts))}
			</ol>
			<div class="donate-box"><h4>… we have a small favor to ask.</h4>{DONATE}</div>
		</article>"""


def _live_pieces(a: Article, base: str) -> list[str]:
    """One post per paragraph; asides, images, subheads and quotes stay posts of their own."""
    out: list[str] = []
    for html in _blocks(a, base, "lb-related", figure=True):
        paras = html_paragraphs(html) if html.startswith("<p>") else []
        if paras:
            out.extend(join_paragraphs([p]) for p in paras)
        else:
            out.append(html)
    return out
