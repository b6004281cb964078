"""The `<head>` SEO block of an article (seo/article.php): title, metas and JSON-LD."""

from __future__ import annotations

import json
import re

from .excerpts import article_url, image_src, og_image
from .model import Article, strip_tags
from .model import php_text as t

_BREADCRUMB = {
    "business": ("business", "Business"), "climate": ("climate", "Climate"),
    "opinion": ("opinion", "Opinion"), "city": ("arts-and-life", "Arts & Life"),
    "diaspora": ("diaspora", "The New Diaspora"), "ukraine_war": ("ukraine-war", "Ukraine War"),
}
# preg_split('~([a-zA-Z]([.?!]"?|"?[.?!]))\K\s+(?=[A-Z"])~', ...) without \K
_SENTENCE = re.compile(
    r'(?:(?<=[a-zA-Z][.?!])|(?<=[a-zA-Z][.?!]")|(?<=[a-zA-Z]"[.?!]))\s+(?=[A-Z"])'
)


def description(a: Article) -> str:
    """First sentence of the first html block, with the Opinion/Video prefix."""
    first = next((b.body for b in a.blocks if b.type == "html"), "")
    paragraph = re.sub(r"\r|\n", " ", strip_tags(first))[:2000]
    sentence = _SENTENCE.split(paragraph)[0] if paragraph else ""
    prefix = "Opinion | " if a.opinion else ("Video | " if a.type == "video" else "")
    return prefix + sentence


def php_json(obj: object) -> str:
    """PHP json_encode defaults: compact, `\\/` and `\\uXXXX` escapes."""
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


def article_seo(a: Article, base: str) -> str:
    url = article_url(base, a)
    title = f"{a.title} - The Moscow Times"
    keywords = ",".join(a.tags)
    desc = description(a)
    thumb = image_src(base, a, "320")
    image = og_image(base, a)
    author = a.authors[0].name if a.authors else "The Moscow Times"
    metas = {"keywords": keywords, "news_keywords": keywords, "description": desc,
             "thumbnail": thumb, "author": author}
    props = {
        "og:url": url, "og:title": title, "og:description": desc, "og:image": image,
        "og:image:width": "1200", "og:image:height": "630", "article:author": author,
        "article:content_tier": "free",
        "article:modified_time": a.modified.isoformat(timespec="seconds"),
        "article:published_time": a.published.isoformat(timespec="seconds"),
        "article:publisher": "https://www.facebook.com/MoscowTimes",
        "article:section": a.quirk_section, "article:tag": keywords,
        "twitter:title": a.title, "twitter:description": desc, "twitter:image:src": image,
    }
    meta_html = "".join(f'\t<meta name="{k}" content="{t(v)}">\n' for k, v in metas.items())
    prop_html = "".join(f'\t<meta property="{k}" content="{t(v)}">\n' for k, v in props.items())
    blocks = "".join(
        f"<script type=\"application/ld+json\" data-json-ld-for-pagemetadata>\n\t{php_json(j)}\n"
        "</script>" for j in (_news_article(a, base, desc, keywords, thumb, image),
                              _breadcrumbs(a, base))
    )
    return (f"<title>{t(title)}</title>\n\n\t<link rel=\"canonical\" href=\"{t(url)}\">\n\n"
            f"{meta_html}\n{prop_html}\n\n\n{blocks}")


def _news_article(a: Article, base: str, desc: str, keywords: str, thumb: str,
                  image: str) -> dict[str, object]:
    url = article_url(base, a)
    created = a.created or a.published
    obj: dict[str, object] = {
        "@context": "http://schema.org/", "@type": "NewsArticle",
        "dateCreated": created.isoformat(timespec="seconds"),
        "datePublished": a.published.isoformat(timespec="seconds"),
        "dateModified": a.modified.isoformat(timespec="seconds"),
        "name": a.title, "headline": a.title, "description": desc, "keywords": keywords,
        "articleSection": a.quirk_section, "isAccessibleForFree": True,
        "mainEntityOfPage": url, "url": url, "thumbnailUrl": thumb,
        "image": {"@type": "ImageObject", "url": image, "width": 1200, "height": 630},
        "publisher": {"@type": "Organization", "name": "The Moscow Times",
                      "logo": {"@type": "ImageObject", "url": f"{base}/img/logo.png",
                               "width": 50, "height": 50}},
        "inLanguage": {"@type": "Language", "name": "English", "alternateName": "English"},
    }
    if a.authors:
        first = a.authors[0]
        obj["creator"] = first.name
        person: dict[str, str] = {
            "@type": "Person", "name": first.name, "description": first.description,
            "image": (f"{base}/image/320/{first.slug}.jpg" if first.photo
                      else f"{base}/avatar_default.jpg"),
            "url": f"{base}/author/{first.slug}",
        }
        if first.twitter:
            person["sameAs"] = "http://www.twitter.com/" + first.twitter.lstrip("@")
        obj["author"] = person
    else:
        obj["author"] = {"@type": "Organization", "name": "The Moscow Times"}
    return obj


def _breadcrumbs(a: Article, base: str) -> dict[str, object]:
    slug, label = _BREADCRUMB.get(a.section, ("news", "News"))
    items = [("The Moscow Times", f"{base}/"), (label, f"{base}/{slug}"),
             (a.title, article_url(base, a))]
    return {
        "@context": "http://schema.org/", "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": i, "name": n, "item": u}
                            for i, (n, u) in enumerate(items, 1)],
    }
