"""A WordPress-like blog: ``/2025/03/14/slug/`` posts, ``/feed/`` (RSS 2.0), ``wp-sitemap.xml``.

Its traps: feed links carry ``utm_*`` parameters; a link without the trailing slash, and a
positive's old slug (in the feed), are redirected, and so are ``/feed`` and ``/sitemap.xml``
(permanently, to ``/feed/`` and ``/wp-sitemap.xml``, as WordPress does); related posts, the
comments, the "recent posts" widget and the category page show positive headlines and text on
pages that are not positives; the sitemap index lists category and author sitemaps; a removed
post is in the feed and answers 200 "not found"."""

from __future__ import annotations

from email.utils import format_datetime

from .model import Story, esc

#: what a reader says under unrelated posts: never the post's own words
COMMENT = ("Great read. Meanwhile Ankara and Damascus say they will restore ties and "
           "normalize relations between Turkey and Syria, with talks in Moscow next month.")
GHOST = "/2026/06/01/post-that-was-removed-later/"


def path(s: Story) -> str:
    return f"/{s.published:%Y/%m/%d}/{'-'.join(s.slug_words)}/"


def old_slug(s: Story) -> str:
    """The post's address before its slug was edited: redirected to the post, as WordPress
    does (a second spelling of one article in the feed)."""
    return f"/{s.published:%Y/%m/%d}/draft-{'-'.join(s.slug_words[:3])}/"


def _positive(stories: list[Story]) -> Story:
    return next(s for s in stories if s.positive)


def page(s: Story, stories: list[Story], base: str) -> str:
    other = _positive(stories)
    trap_widgets = "" if s.positive else (
        '<div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3>'
        f'<div class="jp-relatedposts-post"><a href="{path(other)}">{esc(other.title)}</a>'
        f'<p>{esc(other.paragraphs[0] if other.paragraphs else other.title)}</p></div></div>'
        '<div id="comments" class="comments-area"><h2 class="comments-title">One reply</h2>'
        '<ol class="comment-list"><li class="comment"><div class="comment-content">'
        f'<p>{esc(COMMENT)}</p></div></li></ol></div>')
    body = [f"<p>{esc(p)}</p>" for p in s.paragraphs]
    if s.aside:
        body.insert(1, f'<blockquote class="wp-embedded-content related-post"><a href="/">'
                       f"{esc(s.aside)}</a></blockquote>")
    figure = (f'<figure class="wp-block-image"><img src="/wp-content/uploads/{s.key}.jpg" alt="">'
              f"<figcaption>{esc(s.caption)}</figcaption></figure>" if s.caption else "")
    return (
        '<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">'
        f"<title>{esc(s.title)} &#8211; Levant Notes</title>"
        f'<link rel="canonical" href="{base}{path(s)}">'
        f'<link rel="shortlink" href="{base}/?p={s.key}">'
        f'<meta property="og:title" content="{esc(s.title)}">'
        f'<meta property="og:description" content="{esc(s.subtitle)}">'
        f'<meta property="article:published_time" content="{s.published.isoformat()}">'
        f'<meta name="author" content="{esc(s.author)}">'
        '</head><body class="post-template-default single single-post">'
        '<header class="site-header"><nav class="main-navigation"><a href="/">Home</a>'
        '<a href="/category/middle-east/">Middle East</a></nav></header>'
        '<div id="primary" class="content-area"><main id="main" class="site-main">'
        '<article class="post type-post status-publish"><header class="entry-header">'
        f'<h1 class="entry-title">{esc(s.title)}</h1><div class="entry-meta">'
        f'<time class="entry-date published" datetime="{s.published.isoformat()}">'
        f"{s.published:%B %d, %Y}</time> by <a rel=\"author\" href=\"/author/editor/\">"
        f"{esc(s.author)}</a></div></header><div class=\"entry-content\">"
        f"<p><strong>{esc(s.subtitle)}</strong></p>{figure}{''.join(body)}</div></article>"
        f"{trap_widgets}</main></div>"
        '<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
        f'<h2>Recent Posts</h2><ul><li><a href="{path(other)}">{esc(other.title)}</a></li>'
        "</ul></section></aside><footer class=\"site-footer\">Proudly powered by a CMS</footer>"
        "</body></html>")


def not_found() -> str:
    return ('<!DOCTYPE html><html lang="en-US"><head><title>Page not found &#8211; Levant Notes'
            '</title></head><body class="error404"><main><h1 class="page-title">Oops! That page '
            "can&rsquo;t be found.</h1><p>It looks like nothing was found at this location."
            "</p></main></body></html>")


def feed(stories: list[Story], base: str) -> str:
    items = [(f"{base}{path(s)}?utm_source=rss&amp;utm_medium=rss", s.title, s.published)
             for s in stories]
    items.append((f"{base}{GHOST}?utm_source=rss", "A post that was removed", stories[0].published))
    positive = _positive(stories)
    items.append((base + old_slug(positive), positive.title, positive.published))
    body = "".join(f"<item><title>{esc(t)}</title><link>{u}</link>"
                   f"<pubDate>{format_datetime(p)}</pubDate></item>" for u, t, p in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Levant Notes</title><link>{base}/</link>{body}</channel></rss>")


def routes(stories: list[Story], base: str) -> dict[str, tuple[int, str, str]]:
    """Every path the blog answers (decoded), with its status, type and body."""
    xml = "application/xml; charset=UTF-8"
    posts = "".join(f"<url><loc>{base}{path(s)}</loc></url>" for s in stories)
    out = {path(s): (200, "text/html; charset=UTF-8", page(s, stories, base)) for s in stories}
    other = _positive(stories)
    out.update({
        GHOST: (200, "text/html; charset=UTF-8", not_found()),
        "/feed/": (200, "application/rss+xml; charset=UTF-8", feed(stories, base)),
        "/wp-sitemap.xml": (200, xml, (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<sitemap><loc>{base}/wp-sitemap-{n}-1.xml</loc></sitemap>"
                      for n in ("posts-post", "taxonomies-category", "users"))
            + "</sitemapindex>")),
        "/wp-sitemap-posts-post-1.xml": (200, xml, _urlset(posts)),
        "/wp-sitemap-taxonomies-category-1.xml": (200, xml, _urlset(
            f"<url><loc>{base}/category/middle-east/</loc></url>")),
        "/wp-sitemap-users-1.xml": (200, xml, _urlset(
            f"<url><loc>{base}/author/editor/</loc></url>")),
        "/category/middle-east/": (200, "text/html; charset=UTF-8", (
            f"<html><body><h1>Middle East</h1><article><h2><a href=\"{path(other)}\">"
            f"{esc(other.title)}</a></h2></article></body></html>")),
    })
    return out


def _urlset(entries: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')


def redirect(decoded_path: str, known: dict[str, tuple[int, str, str]],
             stories: list[Story]) -> str | None:
    """A post (or the feed) linked without its trailing slash, or by its old slug, is
    redirected to it, and ``/sitemap.xml`` to the sitemap index, as WordPress does."""
    if decoded_path == "/sitemap.xml":
        return "/wp-sitemap.xml"
    slashed = decoded_path + "/"
    if not decoded_path.endswith("/") and slashed in known:
        return slashed
    positive = _positive(stories)
    return path(positive) if decoded_path.rstrip("/") + "/" == old_slug(positive) else None
