"""A generic site's URL rules and canonical URLs (with property tests for the normaliser),
its page object on each CMS replica layout, and its config errors."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.config import ConfigError, SiteConfig, load_config
from crawler.sites import build_site
from crawler.sites.common import ArticleRef
from crawler.sites.generic import GenericSite
from crawler.sites.generic.urls import GenericUrls, looks_like_article, normalise
from pipelines.extraction.body import extract_article
from tests.replica.cms import CmsSite

BASE = "http://127.0.0.3:8000"

# ---- URL rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/2025/03/14/syria-and-turkey-agree/", "/2025/03/14/talks", "/world/middle-east/"
    "ankara-and-damascus-restore-ties-81087", "/news/12345678", "/новости/2025/03/14/встреча",
    "/politics/syria-turkey-normalization-talks-resume.html",
])
def test_article_paths_are_recognised(path: str) -> None:
    assert looks_like_article(path)


@pytest.mark.parametrize("path", [
    "/", "/2025/03/14/", "/2025/03/", "/tag/syria/", "/category/middle-east/page/2/",
    "/author/editor/", "/feed/", "/rss", "/wp-sitemap.xml", "/теги/сирия", "/about",
    "/live/2026/06/23/syria-turkey-talks-live-updates", "/video/2026/06/23/leaders-meet-now",
    "/wp-content/uploads/2025/03/photo-of-the-day.jpg", "/search/syria-turkey-ties",
])
def test_listing_feed_and_file_paths_are_not_articles(path: str) -> None:
    assert not looks_like_article(path)


def test_an_article_url_pattern_replaces_the_heuristics() -> None:
    urls = GenericUrls(BASE, r"^/story/\d+$")
    assert urls.article("/story/42") is not None
    assert urls.article("/2025/03/14/syria-and-turkey-agree/") is None


def test_the_key_is_one_spelling_of_the_canonical_url() -> None:
    urls = GenericUrls(BASE)
    spellings = ["/2025/03/14/syria-and-turkey-agree/", "/2025/03/14/syria-and-turkey-agree",
                 "/2025/03/14/syria-and-turkey-agree/?utm_source=rss&utm_medium=rss#comments",
                 "HTTP://127.0.0.3:8000/2025/03/14/syria-and-turkey-agree/amp/",
                 "/2025/03/14/syria-and-turkey-agree/?fbclid=x"]
    assert all(urls.article(s) is not None for s in spellings)
    assert {urls.canonical(s) for s in spellings} == {BASE + "/2025/03/14/syria-and-turkey-agree"}


def test_an_article_is_fetched_as_the_site_spells_it_without_tracking() -> None:
    ref = GenericUrls(BASE).article("/2025/03/14/syria-and-turkey-agree/?utm_source=rss&p=2#c")
    assert ref is not None
    assert ref.url == BASE + "/2025/03/14/syria-and-turkey-agree/?p=2"


def test_cyrillic_paths_raw_and_percent_encoded_are_one_article() -> None:
    urls = GenericUrls(BASE)
    path = "/новости/2025/03/14/турция-и-сирия-договорились"
    lower = quote(path).lower().replace("/", "/")
    assert all(urls.article(p) is not None for p in (path, quote(path), lower))
    assert len({urls.canonical(p) for p in (path, quote(path), lower)}) == 1


def test_other_hosts_and_schemes_are_not_the_sites() -> None:
    urls = GenericUrls(BASE)
    assert urls.article("http://127.0.0.4:8000/2025/03/14/syria-and-turkey-agree") is None
    assert urls.article("ftp://127.0.0.3:8000/2025/03/14/syria-and-turkey-agree") is None
    assert urls.article("http://[bad/2025/03/14/a-b-c") is None


_segment = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
_urls = st.builds(
    lambda scheme, host, segments, query, fragment: (
        f"{scheme}://{host}/{'/'.join(quote(s) for s in segments)}"
        f"{'?' + query if query else ''}{'#' + fragment if fragment else ''}"),
    st.sampled_from(["http", "HTTP", "https"]),
    st.sampled_from(["example.org", "EXAMPLE.org", "news.example.org:8080", "127.0.0.3:80"]),
    st.lists(_segment, max_size=4),
    st.sampled_from(["", "utm_source=x", "b=2&a=1", "a=1&b=2&utm_medium=y", "fbclid=1&p=3"]),
    st.sampled_from(["", "comments", "top"]),
)


@given(_urls)
def test_normalising_is_idempotent(url: str) -> None:
    once = normalise(url)
    assert normalise(once) == once


@given(_urls)
def test_normalised_urls_have_no_fragment_tracking_or_trailing_slash(url: str) -> None:
    found = normalise(url)
    assert "#" not in found
    assert "utm_" not in found
    assert "fbclid" not in found
    path = found.split("?", 1)[0].split("://", 1)[1]
    assert path == path.split("/", 1)[0] + "/" or not path.endswith("/")
    assert found.split("://", 1)[0] in ("http", "https")


@given(_urls, st.sampled_from(["", "/", "#x", "?utm_campaign=z"]))
def test_decorations_never_change_the_key(url: str, extra: str) -> None:
    base = url.split("#", 1)[0]
    if extra.startswith("?") and "?" in base:
        extra = "&" + extra[1:]
    if extra == "/" and "?" in base:
        return
    assert normalise(base + extra) == normalise(base)


_word = st.text(st.sampled_from("abcxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя0123456789"),
                min_size=1, max_size=8)


@given(st.lists(_word, min_size=1, max_size=5))
def test_raw_and_percent_encoded_paths_in_any_hex_case_are_one_url(words: list[str]) -> None:
    raw = "/" + "/".join(words)
    upper = quote(raw)
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), upper)
    assert normalise("http://x.test" + raw) == normalise("http://x.test" + upper) == (
        normalise("http://x.test" + lower))


# ---- the page object on each layout --------------------------------------------------------

LAYOUT_SITES = {
    "wordpress": {"feeds": ["/feed/"], "sitemaps": ["/wp-sitemap.xml"]},
    "publisher": {"sitemaps": ["/sitemaps/news.xml"], "body": "div.article-body"},
    "russian": {"feeds": ["/feeds/atom.xml"], "language": "ru"},
}


def _site(layout: str) -> tuple[CmsSite, GenericSite]:
    site = build_site(layout, SiteConfig(kind="generic", url=BASE, **LAYOUT_SITES[layout]))
    assert isinstance(site, GenericSite)
    return CmsSite(layout, BASE), site


@pytest.mark.parametrize("layout", sorted(LAYOUT_SITES))
def test_each_layout_gives_the_canonical_url_headline_date_and_body(layout: str) -> None:
    cms, site = _site(layout)
    positive = next(s for s in cms.stories if s.positive)
    path = cms.layout.path(positive)
    page = site.article_page(BASE + quote(path) + "?utm_source=x", cms.routes[path][2])
    fields = page.fields()
    assert not page.is_soft_404
    assert fields is not None
    assert normalise(fields.url) == normalise(BASE + quote(path))
    assert site.article_key(ArticleRef(fields.url, 0, None)) == normalise(BASE + quote(path))
    assert fields.headline == positive.title
    assert fields.published == positive.published
    assert fields.language == ("ru" if layout == "russian" else "en")
    assert fields.body.has_zone == (layout == "publisher")
    text = extract_article(fields.body).text
    assert positive.paragraphs[0] in text
    assert positive.paragraphs[-1] in text


@pytest.mark.parametrize("layout", sorted(LAYOUT_SITES))
def test_widgets_comments_and_lazy_boxes_stay_out_of_the_body(layout: str) -> None:
    cms, site = _site(layout)
    positive = next(s for s in cms.stories if s.positive)
    filler = next(s for s in cms.stories if not s.positive and s.paragraphs)
    path = cms.layout.path(filler)
    fields = site.article_page(BASE + quote(path), cms.routes[path][2]).fields()
    assert fields is not None
    text = extract_article(fields.body).text
    assert positive.title not in text
    assert "restore ties" not in text or "restore ties" in " ".join(filler.paragraphs)


@pytest.mark.parametrize("layout", sorted(LAYOUT_SITES))
def test_each_layouts_removed_article_is_a_soft_404(layout: str) -> None:
    cms, site = _site(layout)
    ghost = cms.layout.ghost
    assert site.is_soft_404(BASE + quote(ghost), cms.routes[ghost][2])


def test_a_page_whose_canonical_is_the_home_page_is_no_article() -> None:
    _cms, site = _site("wordpress")
    html = ('<html><head><link rel="canonical" href="/"><title>Home</title></head>'
            "<body><h1>Latest news</h1></body></html>")
    assert site.article_page(BASE + "/", html).fields() is None


# ---- config errors ---------------------------------------------------------------------


@pytest.mark.parametrize(("table", "message"), [
    ('kind = "generic"\nurl = "https://example.org"\nsitemap_index = "/s.xml"\nfeeds = ["/f"]',
     r"sites\.blog\.sitemap_index in .*blog\.toml: is not read for kind = 'generic'"),
    ('url = "https://example.org"\nsitemaps = ["/s.xml"]',
     r"sites\.blog\.sitemaps in .*blog\.toml: is only read for kind = 'generic'"),
    ('kind = "generic"\nurl = "https://example.org"\nfeeds = ["/f"]\narticle_url = "(["',
     r"sites\.blog\.article_url in .*blog\.toml: not a regular expression"),
    ('kind = "generic"\nurl = "https://example.org"\nfeeds = ["/f"]\nbody = "div[["',
     r"sites\.blog\.body in .*blog\.toml: not a valid CSS selector"),
    ('kind = "generic"\nurl = "https://example.org"\nfeeds = ["/f"]\nbody = "//div[@"',
     r"sites\.blog\.body in .*blog\.toml: not a valid XPath"),
    ('kind = "generic"\nurl = "https://example.org"',
     r"sites\.blog in .*blog\.toml: a generic site needs feeds or sitemaps"),
    ('kind = "generic"\nurl = "https://example.org"\nfeeds = ["/f"]\nlanguage = "Russian"',
     r"sites\.blog\.language in .*blog\.toml"),
    ('kind = "generic"\nurl = "https://example.org"\nfeeds = ["/f"]\nsitemapz = []',
     r"unknown key 'sites\.blog\.sitemapz' in .*blog\.toml; did you mean 'sitemaps'\?"),
])
def test_config_errors_name_the_key_and_the_file(tmp_path: Path, table: str,
                                                 message: str) -> None:
    user = tmp_path / "blog.toml"
    user.write_text(f"[sites.blog]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(user, env={})


def test_a_generic_site_takes_any_article_path_as_a_canary(tmp_path: Path) -> None:
    user = tmp_path / "blog.toml"
    user.write_text('[sites.blog]\nkind = "generic"\nurl = "https://example.org"\n'
                    'feeds = ["/feed/"]\ncanaries = ["/2025/03/14/syria-and-turkey-agree/"]\n',
                    encoding="utf-8")
    assert load_config(user, env={}).sites["blog"].canaries


def test_a_generic_sites_canaries_are_the_urls_its_crawl_checks(tmp_path: Path) -> None:
    """The coverage review and the crawl name a canary by the same URL, made absolute by the
    site's own URL rules (a Cyrillic path, a URL given whole, a site under a path)."""
    from crawler.health.coverage import canary_urls
    from crawler.sites import build_site

    user = tmp_path / "sites.toml"
    user.write_text('[sites.ru]\nkind = "generic"\nurl = "https://ru.example/news/"\n'
                    'feeds = ["rss.xml"]\ncanaries = ["/2025/03/14/сирия-и-турция/", '
                    '"/news/story-12", "https://www.ru.example/a/b?x=1"]\n', encoding="utf-8")
    config = load_config(user, env={})
    site = build_site("ru", config.sites["ru"])
    assert canary_urls(config, ["ru"]) == [
        site.urls.absolute(u) for u in config.sites["ru"].canaries]
    assert canary_urls(config, ["ru"]) == [
        "https://ru.example/2025/03/14/сирия-и-турция/", "https://ru.example/news/story-12",
        "https://www.ru.example/a/b?x=1"]
    assert site.is_article_url(canary_urls(config, ["ru"])[0])


# ---- the catalogue and site folders ------------------------------------------------------

CATALOGUE = {"anadolu", "dailysabah", "hurriyetdailynews", "trtworld", "sana", "enabbaladi",
             "almonitor", "tass", "meduza", "kommersant"}


def test_the_catalogue_ships_every_source_disabled_and_valid() -> None:
    config = load_config(None, env={})
    assert set(config.sites) >= CATALOGUE
    for name in CATALOGUE:
        site = config.sites[name]
        assert site.kind == "generic"
        assert not site.enabled
        assert build_site(name, site).urls.base_url.startswith("https://")
    assert config.running_sites == ["moscowtimes"]


def test_a_users_file_enables_a_catalogue_site_and_its_folder_adds_sites(tmp_path: Path) -> None:
    user = tmp_path / "mtwatch.toml"
    user.write_text("[sites.tass]\nenabled = true\n", encoding="utf-8")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "blog.toml").write_text(
        '[sites.blog]\nkind = "generic"\nurl = "https://blog.example"\nfeeds = ["/feed/"]\n',
        encoding="utf-8")
    config = load_config(user, env={})
    assert config.running_sites == ["moscowtimes", "tass", "blog"]
    assert config.sites["tass"].feeds == ["/rss/v2.xml"]


def test_a_site_file_holds_site_tables_only_and_its_errors_name_it(tmp_path: Path) -> None:
    user = tmp_path / "mtwatch.toml"
    user.write_text("", encoding="utf-8")
    (tmp_path / "sites").mkdir()
    bad = tmp_path / "sites" / "bad.toml"
    bad.write_text('[crawl]\ndownload_delay = 0\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml is a site file.*not 'crawl'"):
        load_config(user, env={})
    bad.write_text('[sites.blog]\nkind = "generic"\nurl = "https://blog.example"\n'
                   'feeds = ["/feed/"]\nbody = "div[["\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sites\.blog\.body in .*bad\.toml"):
        load_config(user, env={})
