"""RSS feeds, sitemaps and robots.txt, byte-compatible with the site's PHP templates.

The PHP templates eat the newline after each `?>`, which is where the odd tabs come from
(e.g. a description is "\\n" + 8 tabs + text + 3 tabs).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .excerpts import article_url, og_image
from .model import ANCHOR, START, Article, date_c, date_r
from .model import php_text as t
from .render import join_names
from .site import Site

ROBOTS = (
    "User-agent: *\nDisallow: /preview/\nDisallow: /search/\nDisallow: *?utm\nDisallow: *&utm\n\n"
    "User-agent: Yandex\nDisallow: /preview/\nDisallow: /search/\nDisallow: */amp/\n"
    "Disallow: */amp$\nDisallow: *?amp \nDisallow: *?utm\nDisallow: *&utm\n\n"
    "Sitemap: {base}/sitemap/sitemap.xml"
)
# /rss/<name> -> (section key for selection, path of the channel <link>, atom self name)
RSS_SECTIONS = {
    "news": ("news", "news", "news"), "opinion": ("opinion", "opinion", "opinion"),
    "city": ("city", "arts-and-life", "city"), "arts-and-life": ("city", "arts-and-life", "city"),
    "meanwhile": ("meanwhile", "meanwhile", "meanwhile"),
    "podcasts": ("podcasts", "podcasts", "podcasts"),
    "in-depth": ("indepth", "features", "in-depth"),
}
NEWSMAP_SECTIONS = ("news", "opinion", "meanwhile", "city", "business", "climate", "diaspora",
                    "ukraine_war", "lecture_series")
_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">\n'
    "\t<channel>\n"
    "\t\t<title>The Moscow Times - Independent News From Russia</title>\n"
    "\t\t<link>{link}</link>\n"
    "\t\t<description>The Moscow Times offers everything you need to know about Russia: "
    "Breaking news, top stories, business,\n\t\t\tanalysis, opinion, multimedia</description>\n"
    '\t\t<atom:link rel="self" href="{self}"></atom:link>\n'
)


def _description(a: Article) -> str:
    return a.excerpt or a.intro or a.subtitle


def rss(site: Site, base: str, name: str) -> str:
    """`/rss/<section>` (resources/views/article/rss.php)."""
    key, link, self_name = RSS_SECTIONS[name]
    head = _HEAD.format(link=f"{base}/{link}", self=f"{base}/rss/{self_name}")
    out = [head, "\t\t<language>en-us</language>\n",
           f"\t\t<lastBuildDate>{date_r(site.now)}</lastBuildDate>\n", "\t\t<ttl>600</ttl>\n\t\t"]
    for a in site.feed_items(key)[:50]:
        url = article_url(base, a)
        out.append(
            "\t\t<item>\n"
            f"\t\t\t<title>{t(a.title)}</title>\n"
            f"\t\t\t<link>{url}</link>\n"
            f"\t\t\t<description>\n\t\t\t\t\t\t\t\t{t(_description(a))}\t\t\t</description>\n"
            f"\t\t\t<pubDate>{date_r(a.published)}</pubDate>\n"
            f"\t\t\t<guid>{url}</guid>\n"
            "\t\t</item>\n\t\t"
        )
    out.append("\t</channel>\n</rss>")
    return "".join(out)


def rss_all(site: Site, base: str) -> str:
    """`/rss/all` (rss_all.php): full body HTML in CDATA, author, category, enclosure."""
    head = _HEAD.format(link=f"{base}/rss/all", self=f"{base}/rss/all")
    out = [head, "\t\t<language>en</language>\n",
           f"\t\t<copyright>The Moscow Times, {site.now.year}</copyright>\n",
           f"\t\t<lastBuildDate>{date_r(site.now)}</lastBuildDate>\n", "\t\t<ttl>600</ttl>\n\t\t"]
    for a in site.feed_items("all")[:50]:
        out.append("\t\t" + _all_item(a, base) + "\t\t")
    out.append("\t</channel>\n</rss>")
    return "".join(out)


def _all_item(a: Article, base: str) -> str:
    url = article_url(base, a)
    prefix = join_names([x.name for x in a.authors]) + ": " if a.opinion and a.authors else ""
    body = "\t\t\t\t"
    for index, b in enumerate(a.blocks):
        branch = ""
        if b.type == "html" and b.body:
            branch = "\t\t\t\t\t\t" + b.body + "\t\t\t\t\t\t" + "\t\t\t\t\t\t"
        elif b.type == "html" and index < 1:
            branch = "\t\t\t\t\t\t" + t(_description(a)) + "\t\t\t\t\t"
        body += "\t\t\t\t\t" + branch + "\t\t\t\t"
    kind = "Video" if a.type == "video" else "Article"
    if a.type == "video":
        enclosure = f'<enclosure url="{t(a.video.strip())}" length="1" type="text/plain" />\n\t\t\t'
    elif a.has_image:
        enclosure = f'<enclosure url="{og_image(base, a)}" length="1" type="image/jpeg" />\n\t\t\t'
    else:
        enclosure = ""
    return (
        "\t\t<item>\n"
        f"\t\t\t<title>\n\t\t\t\t{t(prefix) if prefix else ''}\t\t\t\t{t(a.title)}\t\t\t</title>\n"
        f"\t\t\t<link>{url}</link>\n"
        "\t\t\t<author>general@themoscowtimes.com</author>\n"
        "\t\t\t<description>\n\t\t\t\t\t\t\t\t<![CDATA[\n"
        f"{body}\t\t\t\t]]>\n\t\t\t\t\t\t\t</description>\n"
        f"\t\t\t<category>\n\t\t\t\t{kind} - {t(a.info.rss_slug)}\t\t\t</category>\n"
        f"\t\t\t{enclosure}<pubDate>{date_r(a.published)}</pubDate>\n"
        f"\t\t\t<guid>{url}</guid>\n"
        "\t\t</item>\n"
    )


def robots(base: str) -> str:
    return ROBOTS.format(base=base)


def months(now: datetime = ANCHOR) -> list[tuple[int, int]]:
    """Every (year, month) with a monthly sitemap file, newest first."""
    out, y, m = [], START.year, START.month
    while (y, m) <= (now.year, now.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out[::-1]


def _month_items(site: Site, year: int, month: int) -> list[Article]:
    items = site.feed_items("all")
    # newest first, like Article\Model::month
    return [a for a in items if (a.published.year, a.published.month) == (year, month)]


def sitemap_index(site: Site, base: str) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    for y, m in months(site.now):
        items = _month_items(site, y, m)
        # lastmod is the file's write time: the last change in that month, else its end
        end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=site.now.tzinfo) - timedelta(minutes=1)
        stamp = min(max([a.modified for a in items], default=end), site.now)
        parts.append(f"    <sitemap>\n        <loc>{base}/sitemap/{y}-{m}.xml</loc>\n"
                     f"        <lastmod>{date_c(stamp)}</lastmod>\n    </sitemap>\n")
    parts.append("</sitemapindex>")
    return "".join(parts)


def sitemap_month(site: Site, base: str, year: int, month: int) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
             'xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">\n']
    for a in _month_items(site, year, month):
        parts.append(f"    <url>\n        <loc>{article_url(base, a)}</loc>\n    </url>\n")
    parts.append("</urlset>")
    return "".join(parts)


def newsmap_index(base: str) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    parts += [f"    <sitemap>\n        <loc>{base}/sitemap/{s}.xml</loc>\n    </sitemap>\n"
              for s in NEWSMAP_SECTIONS]
    parts.append("</sitemapindex>")
    return "".join(parts)


def newsmap_section(site: Site, base: str, section: str) -> str:
    """Up to 100 latest items of a section, last 30 days; the title is NOT XML-escaped."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n']
    for a in site.feed_items(section)[:100]:
        if a.published < site.now - timedelta(days=30):
            continue
        parts.append(
            f"    <url>\n        <loc>{article_url(base, a)}</loc>\n"
            "        <news:news>\n"
            "           <news:publication>\n"
            "                <news:name>The Moscow Times</news:name>\n"
            "                <news:language>en</news:language>\n"
            "            </news:publication>\n"
            f"            <news:publication_date>{date_c(a.published)}</news:publication_date>\n"
            f"            <news:title>{a.title}</news:title>\n"
            f"            <news:keywords>{','.join(a.tags)}</news:keywords>\n"
            "        </news:news>\n"
            "        <changefreq>hourly</changefreq>\n"
            "   </url>\n"
        )
    parts.append("</urlset>")
    return "".join(parts)
