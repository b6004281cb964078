"""Tests of the replica's generated site (pure: no sockets)."""

from __future__ import annotations

import itertools
import json
import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from lxml import etree, html

from tests.helpers.fetch import SEED_PATH
from tests.replica import CorpusError, Site, build_site
from tests.replica.model import ANCHOR
from tests.replica.routes import resolve

BASE = "http://127.0.0.1:8000"
ITEM = re.compile(
    r"\t\t<item>\n\t\t\t<title>(?P<title>[^<]*)</title>\n\t\t\t<link>(?P<link>[^<]*)</link>\n"
    r"\t\t\t<description>\n\t{8}(?P<desc>[^<]*?)\t{3}</description>\n"
    r"\t\t\t<pubDate>(?P<date>[^<]*)</pubDate>\n\t\t\t<guid>(?P<guid>[^<]*)</guid>\n\t\t</item>\n"
)
SYRIA = re.compile(r"Syria|Damascus|Assad|al-Sharaa|Mekdad|Shaibani", re.I)
TURKEY = re.compile(r"Turk|Türk|Ankara|Erdo|Cavusoglu|Fidan|Istanbul", re.I)


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(300, 1)


def get(site: Site, path: str) -> str:
    resp = resolve(site, path, BASE)
    assert resp.status == 200, path
    return resp.body.decode()


def doc(site: Site, path: str) -> html.HtmlElement:
    return html.fromstring(get(site, path))


# ---- determinism -----------------------------------------------------------------------------
def _fingerprint(s: Site) -> list[bytes]:
    paths = ["/robots.txt", "/rss/news", "/rss/all", "/sitemap/sitemap.xml", "/news", "/news/19"]
    paths += [a.path for a in s.articles[::7]]
    return [resolve(s, p, BASE).body for p in paths]


def test_same_seed_gives_byte_identical_site() -> None:
    assert _fingerprint(build_site(120, 7)) == _fingerprint(build_site(120, 7))


def test_different_seed_gives_a_different_site() -> None:
    a, b = build_site(120, 7), build_site(120, 8)
    assert [x.id for x in a.articles] != [x.id for x in b.articles]
    assert resolve(a, "/rss/news", BASE).body != resolve(b, "/rss/news", BASE).body


# ---- feeds -------------------------------------------------------------------------------------
def test_rss_news_matches_the_php_template(site: Site) -> None:
    text = get(site, "/rss/news")
    assert text.startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss xmlns:atom="http://www.w3.org/2005/Atom" '
        'version="2.0">\n\t<channel>\n\t\t<title>The Moscow Times - Independent News From Russia'
        f"</title>\n\t\t<link>{BASE}/news</link>\n"
    )
    assert "\t\t<ttl>600</ttl>\n\t\t\t\t<item>\n" in text
    assert text.endswith("\t\t</item>\n\t\t\t</channel>\n</rss>")
    items = list(ITEM.finditer(text))
    assert len(items) == 50 == text.count("<item>")
    dates = [parsedate_to_datetime(m["date"]) for m in items]
    assert all(m["date"].endswith(" +0300") for m in items)
    assert dates == sorted(dates, reverse=True)
    assert all(m["guid"] == m["link"] for m in items)
    root = etree.fromstring(text.encode())
    first = root.find("channel/item")
    assert [c.tag for c in first] == ["title", "link", "description", "pubDate", "guid"]


def test_rss_selects_by_section_and_escapes(site: Site) -> None:
    news_links = {m["link"] for m in ITEM.finditer(get(site, "/rss/news"))}
    opinion = list(ITEM.finditer(get(site, "/rss/opinion")))
    assert opinion
    assert not news_links & {m["link"] for m in opinion}
    by_url = {BASE + a.path: a for a in site.articles}
    assert all(by_url[m["link"]].section == "opinion" for m in opinion)
    assert all(by_url[u].news_flag for u in news_links if u in by_url)
    feed = get(site, "/rss/news") + get(site, "/rss/all")
    assert "&amp;" in feed
    assert "&#039;" in feed
    assert "&amp;amp;" not in feed
    assert get(site, "/rss/news/") == get(site, "/rss/news")


def test_some_titles_carry_curly_quotes(site: Site) -> None:
    assert any(re.search("[‘’“”]", a.title) for a in site.articles)


def test_rss_all_has_full_bodies_category_author_enclosure(site: Site) -> None:
    text = get(site, "/rss/all")
    root = etree.fromstring(text.encode())
    items = root.findall("channel/item")
    assert len(items) == 50
    assert root.findtext("channel/language") == "en"
    assert root.findtext("channel/copyright") == "The Moscow Times, 2026"
    for item in items:
        assert item.findtext("author") == "general@themoscowtimes.com"
        assert re.fullmatch(r"\n\t{4}(Article|Video) - [A-Za-z &]+\t{3}", item.findtext("category"))
        assert item.find("enclosure") is not None
    assert sum("<p>" in (i.findtext("description") or "") for i in items) >= 45
    assert "<![CDATA[\n" in text
    opinion = [a for a in site.articles[:50] if a.opinion and a.authors]
    if opinion:
        assert f"\t\t\t<title>\n\t\t\t\t{opinion[0].authors[0].name}" in text


# ---- sitemaps ----------------------------------------------------------------------------------
def test_sitemap_index_and_monthly_files(site: Site) -> None:
    index = etree.fromstring(get(site, "/sitemap/sitemap.xml").encode())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in index.findall("s:sitemap/s:loc", ns)]
    assert locs[0] == f"{BASE}/sitemap/2026-6.xml"
    assert locs[-1] == f"{BASE}/sitemap/2023-1.xml"
    assert f"{BASE}/sitemap/2023-5.xml" in locs
    assert not any("-0" in u for u in locs)
    for lastmod in index.findall("s:sitemap/s:lastmod", ns):
        assert datetime.fromisoformat(lastmod.text).utcoffset() == timedelta(hours=3)
    seen: list[str] = []
    for loc in locs:
        text = get(site, loc.removeprefix(BASE))
        assert 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in text
        assert 'xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"' in text
        root = etree.fromstring(text.encode())
        for url in root.findall("s:url", ns):
            assert [etree.QName(c).localname for c in url] == ["loc"]
            seen.append(url.findtext("s:loc", namespaces=ns))
    live = [BASE + a.path for a in site.articles]
    assert sorted(u for u in seen if u in set(live)) == sorted(live)  # each exactly once
    assert set(seen) - set(live) == set(site.truth(BASE)["soft404_urls"])
    assert resolve(site, "/sitemap/2023-05.xml", BASE).status == 404


def test_news_sitemaps(site: Site) -> None:
    index = get(site, "/sitemap/newsmap.xml")
    assert f"{BASE}/sitemap/news.xml" in index
    assert f"{BASE}/sitemap/opinion.xml" in index
    files = [get(site, f"/sitemap/{name}.xml") for name in ("news", "opinion", "business", "city")]
    dates = [d for f in files for d in re.findall(r"<news:publication_date>([^<]+)<", f)]
    assert dates
    assert all(datetime.fromisoformat(d) >= ANCHOR - timedelta(days=30) for d in dates)
    broken = [f for f in files if "&" in "".join(re.findall(r"<news:title>([^<]*)</", f))]
    assert len(broken) == 1  # the raw "&" of the real Newsmap command
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(broken[0].encode())


# ---- listings ----------------------------------------------------------------------------------
def test_news_listing_page_and_fragments(site: Site) -> None:
    page = doc(site, "/news")
    assert len(page.cssselect(".article-excerpt-lead")) == 1
    defaults = page.cssselect(".cluster--section-articles .article-excerpt-default")
    assert len(defaults) == 18
    more = page.cssselect('div[y-use="More"]')[0]
    assert more.get("data-url") == f"{BASE}/news/{{{{offset}}}}"
    assert (more.get("data-start"), more.get("data-step")) == ("19", "18")
    frag = get(site, "/news/19")
    assert "<html" not in frag
    assert frag.count('<div class="col-4 col-12-md col-4-sm">') == 18
    news = site.section_items("news")
    assert html.fromstring(frag).cssselect(".article-excerpt-default")[0].get("data-url") == (
        BASE + news[19].path)
    assert get(site, "/news/100000") == ""
    last = (len(news) // 18) * 18
    assert 0 < get(site, f"/news/{last}").count("col-4 col-12-md") <= 18


def test_opinion_listing(site: Site) -> None:
    page = doc(site, "/opinion")
    urls = [e.get("data-url") for e in page.cssselect(".cluster--section-articles [data-title]")]
    opinion = {BASE + a.path for a in site.section_items("opinion")}
    assert urls
    assert set(urls) <= opinion
    assert get(site, "/opinion/0").count("col-4 col-12-md col-4-sm") == min(18, len(opinion))


# ---- article pages -----------------------------------------------------------------------------
def test_seed_article_page_markup(site: Site) -> None:
    text = get(site, SEED_PATH)
    page = html.fromstring(text)
    assert page.findtext(".//title") == (
        "Russia Says Roadmap in the Works to Mend Syria-Turkey Ties - The Moscow Times")
    assert page.cssselect('link[rel="canonical"]')[0].get("href") == BASE + SEED_PATH
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.cssselect("meta")}
    assert meta["article:published_time"] == "2023-05-10T14:25:00+03:00"
    assert meta["author"] == "AFP"
    assert meta["article:section"] == "news"
    assert meta["description"].startswith("Russia said on Wednesday that a roadmap")
    assert '<header class="article__header ">' in text
    assert "<!--[[[article:81087]]]-->" in text
    assert 'id="article-id-81087"' in text
    assert page.cssselect("[data-page-id]")[0].get("data-page-id") == "81087"
    assert page.cssselect("header.article__header h1 a")[0].text == (
        "Russia Says Roadmap in the Works to Mend Syria-Turkey Ties")
    assert len(page.cssselect("header.article__header h2")) == 1
    assert [a.text for a in page.cssselect("a.byline__author__name")] == ["AFP"]
    assert page.cssselect("time.byline__datetime")[0].get("datetime") == "2023-05-10T14:25:00+03:00"
    caption = page.cssselect(".article__featured-image__caption")[0].text_content()
    assert "Mevlut Cavusoglu (L-R)." in caption
    credits = page.cssselect(".featured-image__credits")[0].text_content()
    assert "Valery Sharifulin / TASS" in credits
    body = page.cssselect("div.article__content div.article__block--html p")
    assert len(body) == 15
    assert body[0].text.startswith("Russia said on Wednesday")
    aside = page.cssselect("div.article__content aside.article__related-article")
    assert len(aside) == 1
    assert "Putin Eyes Rapprochement Between Syria and Turkey at Assad Meeting" in (
        aside[0].text_content())
    assert not re.search(r"-a\d+$", aside[0].cssselect("a")[0].get("href"))
    blocks = page.cssselect("div.article__content > div.article__block")
    assert "article__block--article" in blocks[1].get("class")
    for cls in ("contribute-teaser-mobile", "contribute-banner", "article__tags", "sidebar",
                "cluster", "next-article-loader", "social__icon--pdf"):
        assert page.cssselect("." + cls), cls
    assert "Support The Moscow Times!" in text
    assert "Contribute today" in text
    assert "we have a small favor to ask." in text
    assert "foreign agent" in text
    assert len(page.cssselect("ul.listed-articles li")) == 7
    assert len(page.cssselect("ul.ranked-articles li")) == 5
    assert len(page.cssselect("section.cluster .article-excerpt-default__teaser")) == 4
    ld = page.cssselect('script[type="application/ld+json"]')
    assert len(ld) == 4
    assert json.loads(ld[0].text)["@type"] == "NewsArticle"
    assert "\\/" in ld[0].text
    with pytest.raises(json.JSONDecodeError):
        json.loads(ld[3].text)  # the real WebSite block has a trailing comma


def test_updated_byline_keeps_true_published_time(site: Site) -> None:
    a = next(x for x in site.articles if x.updated_shown)
    page = html.fromstring(get(site, a.path))
    time_el = page.cssselect("time.byline__datetime")[0]
    assert time_el.get("datetime") == a.modified.isoformat()
    assert "Updated:" in page.cssselect(".byline__details__column")[0].text_content()
    meta = page.cssselect('meta[property="article:published_time"]')[0]
    assert meta.get("content") == a.published.isoformat()


def test_opinion_article_has_label_and_disclaimer(site: Site) -> None:
    a = next(x for x in site.articles if x.opinion)
    page = html.fromstring(get(site, a.path))
    assert page.cssselect(".byline--opinion")
    assert page.cssselect("header.article__header .article__label")[0].text.strip() == "Opinion"
    assert "do not necessarily reflect" in page.cssselect(".article__disclaimer")[0].text


def test_no_body_item_has_no_html_blocks(site: Site) -> None:
    (nb,) = site.truth(BASE)["no_body"]
    page = html.fromstring(get(site, site.by_id[nb].path))
    assert page.cssselect("figure.article__featured-image")
    assert not page.cssselect("div.article__block--html")


# ---- ground truth and content ------------------------------------------------------------------
def test_truth_is_consistent(site: Site) -> None:
    truth = site.truth(BASE)
    by_id = {a["id"]: a for a in truth["articles"]}
    assert len(by_id) == len(truth["articles"]) == 300
    assert set(truth["positives"]) <= set(by_id)
    assert set(truth["traps"]) <= set(by_id)
    assert 81087 in truth["positives"]
    assert by_id[81087]["kind"] == "seed"
    assert by_id[81087]["url"] == BASE + SEED_PATH
    assert len(truth["positives"]) >= 12
    assert len(truth["traps"]) >= 20
    assert not set(truth["positives"]) & set(truth["traps"])
    kinds = {by_id[i]["kind"] for i in truth["traps"]}
    assert {"syria_only", "turkey_only", "earthquake", "kurds", "other_normalization",
            "aside_trap", "caption_trap"} <= kinds
    assert {by_id[i]["kind"] for i in truth["positives"]} >= {"seed", "headline", "deep", "opinion"}
    assert all(80000 <= i <= 93100 for i in by_id)
    for url in truth["soft404_urls"]:
        assert url not in {a["url"] for a in truth["articles"]}
        assert "Oops!" in get(site, url.removeprefix(BASE))


def test_ids_follow_dates_but_are_not_monotonic(site: Site) -> None:
    by_date = sorted(site.articles, key=lambda a: a.published)
    ids = [a.id for a in by_date]
    assert any(b < a for a, b in itertools.pairwise(ids))
    assert by_date[0].published >= datetime.fromisoformat("2023-01-01T00:00:00+03:00")
    assert by_date[-1].published <= ANCHOR
    assert len({a.published.date() for a in by_date}) < len(by_date)  # some share a day


def test_unrelated_articles_never_mention_syria_or_turkey(site: Site) -> None:
    for a in site.articles:
        if a.kind in ("filler", "aside_trap", "no_body"):
            text = " ".join([a.title, a.subtitle, a.excerpt, a.caption, *a.paragraphs()])
            assert not SYRIA.search(text), a.id
            assert not TURKEY.search(text), a.id


def test_deep_positives_mention_it_only_deep_in_the_body(site: Site) -> None:
    deep = [a for a in site.articles if a.kind == "deep"]
    assert deep
    for a in deep:
        assert not TURKEY.search(a.title + a.subtitle + a.excerpt)
        paras = a.paragraphs()
        hits = [i for i, p in enumerate(paras) if SYRIA.search(p) or TURKEY.search(p)]
        assert len(hits) == 1, a.id
        assert hits[0] >= 2, a.id


def test_widgets_show_positive_headlines_on_unrelated_pages(site: Site) -> None:
    unrelated = [a for a in site.articles if not a.positive]
    with_positive = [a for a in unrelated
                     if any(x.positive for x in site.most_read(a) + site.related(a))]
    assert len(with_positive) > len(unrelated) // 3
    traps = [a for a in site.articles if a.kind == "aside_trap"]
    for a in traps:
        aside = next(b for b in a.blocks if b.type == "article")
        assert SYRIA.search(aside.body) or TURKEY.search(aside.body)


def test_one_russian_edition_link(site: Site) -> None:
    pages = [get(site, a.path) for a in site.articles]
    assert sum("https://ru.themoscowtimes.com/" in p for p in pages) == 1


def test_corpus_articles_are_published_with_labels() -> None:
    rows = [{"title": "Ankara and Damascus Agree to Talks", "text": "One.\n\nTwo.", "label": True},
            {"title": "Plain", "text": "Three.", "id": 95001, "date": "2025-02-03",
             "section": "opinion", "authors": ["Jane Doe"], "label": "negative"}]
    s = build_site(0, 1, rows)
    truth = s.truth(BASE)
    assert [a["kind"] for a in truth["articles"]] == ["corpus", "corpus"]
    assert len(truth["positives"]) == 1
    assert truth["traps"] == []
    plain = s.by_id[95001]
    assert plain.paragraphs() == ["Three."]
    assert plain.section == "opinion"
    assert plain.published.isoformat() == "2025-02-03T12:00:00+03:00"
    assert "Jane Doe" in get(s, plain.path)
    mixed = build_site(50, 1, rows)
    assert len(mixed.articles) == 52
    assert 81087 in mixed.truth(BASE)["positives"]


@pytest.mark.parametrize("rows", [
    [], [{"title": "x"}], [{"title": "x", "text": "y", "id": "7"}],
    [{"title": "x", "text": "y", "date": "yesterday"}],
    [{"title": "x", "text": "y", "label": "maybe"}],
    [{"title": "a", "text": "y", "id": 95000}, {"title": "b", "text": "y", "id": 95000}],
    [{"title": "x", "text": "y", "id": 81087}],
])
def test_bad_corpus_is_rejected(rows: list[dict[str, object]]) -> None:
    with pytest.raises(CorpusError):
        build_site(10, 1, rows)
