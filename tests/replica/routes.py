"""URL routing of the replica: path -> Response (status, body, type, redirects, soft 404s)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import unquote

from . import feeds
from .furniture import weigh
from .listing import H1, TAG_SIZE, fragment, listing_page, not_found_page, real_404_body
from .model import Article
from .redesign import CLASSIC, redesigned_page
from .render import article_fragment, article_page, pdf_bytes
from .site import LISTINGS, Response, Site

XML = "application/xml; charset=utf-8"
RSS = "text/xml; charset=utf-8"
# A 1x1 transparent GIF for every /image/... URL (images are never inspected).
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
         b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

Handler = Callable[[Site, str, "re.Match[str]"], Response]


def _html(text: str, when: datetime | None = None) -> Response:
    return Response(200, text.encode(), last_modified=when)


def _redirect(location: str, status: int = 302) -> Response:
    body = f'<html><body>Redirecting to <a href="{location}">{location}</a></body></html>\n'
    return Response(status, body.encode(), headers={"Location": location}, cache_control="no-cache")


def not_found() -> Response:
    return Response(404, real_404_body(), cache_control="no-cache")


def soft_404(site: Site, base: str) -> Response:
    return _html(not_found_page(base, site.lang), site.now)


# ---- handlers ---------------------------------------------------------------------------
def robots(site: Site, base: str, m: re.Match[str]) -> Response:
    return Response(200, feeds.robots(base).encode(), "text/plain; charset=utf-8",
                    last_modified=site.now, cache_control="max-age=3600, public")


def rss(site: Site, base: str, m: re.Match[str]) -> Response:
    name = m["name"]
    if name == "all":
        return Response(200, feeds.rss_all(site, base).encode(), RSS, last_modified=site.now,
                        cache_control="max-age=60, public")
    return Response(200, feeds.rss(site, base, name).encode(), RSS, last_modified=site.now)


def sitemap(site: Site, base: str, m: re.Match[str]) -> Response:
    name = m["name"]
    if name == "sitemap":
        text = feeds.sitemap_index(site, base)
    elif name == "newsmap":
        text = feeds.newsmap_index(base)
    elif name in feeds.NEWSMAP_SECTIONS:
        text = feeds.newsmap_section(site, base, name)
    elif (ym := re.fullmatch(r"(\d{4})-(\d{1,2})", name)) and not ym[2].startswith("0"):
        y, mo = int(ym[1]), int(ym[2])
        if (y, mo) not in feeds.months(site.now):
            return not_found()
        text = feeds.sitemap_month(site, base, y, mo)
    else:
        return not_found()
    return Response(200, text.encode(), XML, last_modified=site.now)


def section(site: Site, base: str, m: re.Match[str]) -> Response:
    path = m["section"]
    items = site.section_items(LISTINGS[path])
    no_label = path in ("opinion", "features")
    if m["offset"] is None:
        return _html(listing_page(site, base, items, path, H1[path], no_label), site.now)
    return _html(fragment(items, base, int(m["offset"]), no_label=no_label), site.now)


def home(site: Site, base: str, m: re.Match[str]) -> Response:
    return _html(listing_page(site, base, site.articles, "news", "The Moscow Times"), site.now)


def tag(site: Site, base: str, m: re.Match[str]) -> Response:
    slug = m["slug"]
    title = site.tag_title(slug)
    if title is None:
        return soft_404(site, base)
    items = site.tag_items(slug)
    if m["offset"] is None:
        heading = f"Articles with tag &quot;{title}&quot;"
        return _html(listing_page(site, base, items, f"tag/{slug}", heading, size=TAG_SIZE),
                     site.now)
    return _html(fragment(items, base, int(m["offset"]), size=TAG_SIZE), site.now)


def author(site: Site, base: str, m: re.Match[str]) -> Response:
    items = site.author_items(m["slug"])
    if not items:
        return soft_404(site, base)
    name = next(x.name for x in items[0].authors if x.slug == m["slug"])
    return _html(listing_page(site, base, items, f"author/{m['slug']}", name, size=TAG_SIZE),
                 site.now)


def article(site: Site, base: str, m: re.Match[str]) -> Response:
    """Lookup by `-a<id>` (else by exact slug); redirect when the URL is not canonical."""
    slug, pdf = m["slug"], bool(m["pdf"])
    tail = slug.rsplit("-", 1)[-1]
    by_id = re.fullmatch(r"a\d+", tail)
    a: Article | None = site.live(int(tail[1:])) if by_id else site.by_slug.get(slug)
    if a is None:
        return soft_404(site, base)
    canonical = a.path + ("/pdf" if pdf else "")
    if m[0] != canonical:
        return _redirect(base + canonical)
    if pdf:
        return Response(200, pdf_bytes(a), "application/pdf", last_modified=a.modified)
    layout = site.layout_of(a.id)
    html = article_page(site, a, base) if layout == CLASSIC else redesigned_page(site, a, base,
                                                                                  layout)
    return _html(weigh(html, site.page_kb, base) if site.page_kb else html, a.modified)


def legacy(site: Site, base: str, m: re.Match[str]) -> Response:
    a = site.live(int(m["id"]))
    return _redirect(base + a.path) if a is not None else soft_404(site, base)


def scroll_item(site: Site, base: str, m: re.Match[str]) -> Response:
    a = site.live(int(m["id"]))
    if a is None:
        return soft_404(site, base)
    return _html(article_fragment(site, a, base), a.modified)


def image(site: Site, base: str, m: re.Match[str]) -> Response:
    return Response(200, PIXEL, "image/gif", last_modified=site.now,
                    cache_control="max-age=2592000, public")


_SECTIONS = "|".join(re.escape(p) for p in LISTINGS)
ROUTES: tuple[tuple[re.Pattern[str], Handler], ...] = tuple(
    (re.compile(p), h) for p, h in (
        (r"/robots\.txt", robots),
        (r"/rss/(?P<name>news|opinion|city|meanwhile|podcasts|in-depth|arts-and-life|all)/?", rss),
        (r"/sitemap/(?P<name>[a-z0-9_-]+)\.xml", sitemap),
        (rf"/(?P<section>{_SECTIONS})(?:/(?P<offset>\d+))?", section),
        (r"/(?:news|articles|photogalleries)/(?P<slug>[^/]+)-(?P<id>\d+)", legacy),
        (r"/tag/(?P<slug>[a-z0-9-]+)(?:/(?P<offset>\d+))?", tag),
        (r"/author/(?P<slug>[a-z0-9-]+)", author),
        (r"/all/(?P<id>\d+)", scroll_item),
        (r"/\d{4}/\d{2}/\d{2}/(?P<slug>[^/]+?)(?P<pdf>/pdf)?", article),
        (r"/image/.+\.(?:jpg|jpeg|png|gif)", image),
        (r"/", home),
    )
)


def resolve(site: Site, path: str, base: str) -> Response:
    """Route a request path (query string already removed)."""
    path = unquote(path)
    for pattern, handler in ROUTES:
        m = pattern.fullmatch(path)
        if m:
            return _in_language(site, handler(site, base, m))
    return not_found()


def _in_language(site: Site, resp: Response) -> Response:
    """The Russian edition: the same templates, in its own language."""
    if site.lang != "en" and resp.content_type.startswith("text/html"):
        resp.body = resp.body.replace(b'<html lang="en"',
                                      b'<html lang="%s"' % site.lang.encode("ascii"))
    return resp
