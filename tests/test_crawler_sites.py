"""crawler.sites: the Site interface and the two editions of The Moscow Times as two sites."""

from __future__ import annotations

import pytest

from crawler.config import SiteConfig
from crawler.sites import UnknownSiteKindError, build_site

EN = "https://www.themoscowtimes.com/2023/05/10/russia-says-roadmap-a81087"
RU = "https://ru.themoscowtimes.com/2025/08/19/vlasti-zadumali-a81087"


def test_each_edition_knows_only_its_own_articles_and_keys_them_by_its_own_id() -> None:
    english = build_site("moscowtimes", SiteConfig(url="https://www.themoscowtimes.com"))
    russian = build_site("moscowtimes-ru", SiteConfig(url="https://ru.themoscowtimes.com"))
    assert english.is_article_url(EN)
    assert not english.is_article_url(RU)
    assert russian.is_article_url(RU)
    assert not russian.is_article_url(EN)
    en_ref, ru_ref = english.urls.article(EN + "/pdf"), russian.urls.article(RU + "?x=1")
    assert en_ref is not None
    assert ru_ref is not None
    # the same numeric ID on both editions: two articles, told apart by (site, key)
    en_key = (english.name, english.article_key(en_ref))
    assert en_key != (russian.name, russian.article_key(ru_ref))
    assert english.article_key(en_ref) == russian.article_key(ru_ref) == "81087"
    assert russian.canonical(RU + "/") == RU
    assert str(russian.timezone) == "Europe/Moscow"


def test_the_soft_404_page_is_the_sites_own() -> None:
    site = build_site("moscowtimes", SiteConfig(url="https://www.themoscowtimes.com"))
    oops = ('<html><body class="page-item"><h1>Oops!</h1>'
            "<p>We couldn't find your page.</p></body></html>")
    assert site.is_soft_404(EN, oops)
    assert site.article_page(EN, oops).fields() is None


def test_the_russian_editions_soft_404_is_told_by_its_markup_not_its_english_words() -> None:
    from tests.replica.routes import resolve
    from tests.replica.russian import build_russian_site

    replica = build_russian_site()
    base = "http://127.0.0.2:8000"
    page = resolve(replica, "/2025/01/01/nichego-net-a999999", base)
    html = page.body.decode("utf-8")
    assert page.status == 200
    assert "Упс" in html
    assert "Oops" not in html
    site = build_site("moscowtimes-ru", SiteConfig(url=base))
    unknown = f"{base}/2025/01/01/nichego-net-a999999"
    assert site.is_soft_404(unknown, html)
    assert site.article_page(unknown, html).fields() is None


def test_a_kind_without_rules_is_refused_with_its_key() -> None:
    config = SiteConfig.model_construct(kind="wiki", url="https://example.org")
    with pytest.raises(UnknownSiteKindError, match=r"sites.other.kind = 'wiki'"):
        build_site("other", config)


def test_a_generic_site_keys_its_articles_by_canonical_url() -> None:
    site = build_site("other", SiteConfig(kind="generic", url="https://example.org",
                                          feeds=["/feed/"]))
    assert site.kind == "generic"
    ref = site.urls.article("https://EXAMPLE.org/2025/03/14/talks-begin-in-ankara/?utm_source=x")
    assert ref is not None
    assert site.article_key(ref) == "https://example.org/2025/03/14/talks-begin-in-ankara"


def test_each_site_host_gets_its_own_politeness(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crawler.config import load_config
    from crawler.politeness import site_politeness

    user = tmp_path / "two.toml"
    user.write_text('[sites.moscowtimes-ru]\nenabled = true\ndownload_delay = 4\n'
                    'concurrency = 1\n[sites.replica]\nurl = "http://127.0.0.2:8000"\n'
                    '[crawl]\nfast_on_loopback = true\n', encoding="utf-8")
    slots = site_politeness(load_config(user, env={}))
    assert slots["www.themoscowtimes.com"] == {"delay": 1.0, "concurrency": 2}
    assert slots["static.themoscowtimes.com"] == slots["www.themoscowtimes.com"]
    assert slots["ru.themoscowtimes.com"] == {"delay": 4.0, "concurrency": 1}
    assert slots["127.0.0.2"] == {"delay": 0.0, "concurrency": 8}  # lifted: loopback only
