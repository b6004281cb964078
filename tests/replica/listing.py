# ruff: noqa: E501  (HTML templates keep their natural lines)
"""Listing pages (/news, /opinion, /tag/...), their offset fragments, and the 404 page."""

from __future__ import annotations

from .excerpts import excerpt_default, excerpt_lead, ranked, tiny
from .layout import banner, page
from .model import Article
from .model import php_text as t
from .site import Site

PAGE_SIZE = 19
STEP = 18
TAG_SIZE = 20
H1 = {
    "news": "Latest articles", "opinion": "Opinion", "business": "Business",
    "arts-and-life": "Arts & Life", "climate": "Climate", "diaspora": "The New Diaspora",
    "ukraine-war": "Ukraine War", "features": "Features", "meanwhile": "Meanwhile in Russia",
}


def listing_page(site: Site, base: str, items: list[Article], path: str, heading: str,
                 no_label: bool = False, size: int = PAGE_SIZE) -> str:
    """Full page: one lead excerpt, then defaults, then the "View more articles" button."""
    cols = []
    for index, a in enumerate(items[:size]):
        if index == 0:
            col, html = "col-12 col-12-md col-12-sm", excerpt_lead(a, base)
        else:
            wide = index - 4 >= 0 and (index - 4) % 5 == 0
            col = "col-8 col-12-md col-4-sm" if wide else "col-4 col-12-md col-4-sm"
            html = excerpt_default(a, base, label=not no_label)
        cols.append(f"""
						<div class="{col}">
							{html}
						</div>""")
    main = f"""
<div class="container">
	<div class="row-flex">
		<div class="col">
			<section class="cluster cluster--section-articles mb-4">

				<div class="cluster__header">
						<h1 class="cluster__label">{heading}</h1>
				</div>
				<div class="row-flex">{"".join(cols)}

					<div class="col-12" y-use="More"
						data-url="{base}/{path}/{{{{offset}}}}" data-start="19"
						data-step="18">
						<div class="align-center">
							<span title="View more articles" class="button">View more articles</span>
						</div>
					</div>
				</div>
			</section>
		</div>


		<div class="col-auto  hidden-sm-down">
			<aside class="sidebar" style="">
				<div class="mb-3">
					<h2 class="cluster__label header--style-3">&nbsp;</h2>
				</div>

				<!-- vaste breedte 336 -->
				<section class="sidebar__section">
					{banner("section_1")}
				</section>

				{_tabs(site, base)}

			</aside>
		</div>
	</div>
</div>
"""
    title = heading.replace("&quot;", '"')
    seo = (f"<title>{t(title)} - The Moscow Times</title>\n\n"
           f'\t<link rel="canonical" href="{base}/{path}">\n')
    return page(base, seo, "article-index", main, banner("section_top"))


def fragment(items: list[Article], base: str, offset: int, size: int = STEP,
             no_label: bool = False) -> str:
    """`/<section>/<offset>`: bare excerpt blocks, empty past the end."""
    return "".join(f"""	<div class="col-4 col-12-md col-4-sm">
		{excerpt_default(a, base, label=not no_label)}
	</div>
""" for a in items[offset : offset + size])


def _tabs(site: Site, base: str) -> str:
    latest = site.articles[:7]
    most = sorted(site.articles[:40], key=lambda a: site._score(a, "read"), reverse=True)[:5]
    li_tiny = "".join(f"""
		<li class="listed-articles__item">
			{tiny(a, base)}
		</li>""" for a in latest)
    li_rank = "".join(f"""
		<li class="ranked-articles__item">
			{ranked(a, base, i)}
		</li>""" for i, a in enumerate(most, 1))
    return f"""<div class="sidebar__sticky">
						<div class="tabs" y-use="Tabs" data-active="tabs__tab--active">
							<section class="sidebar__section">
								<div class="sidebar__section__header">
									<div class="tabs__tab" y-name="tab" data-content="mostread">
										<h3 class="tab__header header--style-3">Most read</h3>
									</div>
									<div class="tabs__tab" y-name="tab" data-content="justin">
										<h3 class="tab__header header--style-3">Just in</h3>
									</div>
								</div>

								<div class="tabs__content" y-name="content justin">
									<ul class="listed-articles">{li_tiny}
</ul>
								</div>

								<div class="tabs__content" y-name="content mostread" style="display: none">
									<ul class="ranked-articles">{li_rank}
</ul>
								</div>
							</section>
						</div>
					</div>"""


#: the "not found" view's words per edition (the Russian edition shares the templates)
_NOT_FOUND = {
    "en": ("Oops!", "We couldn't find your page.",
           "The page you were looking for doesn't exist (anymore). Use the search bar or",
           "get back to the homepage"),
    "ru": ("Упс!", "Мы не нашли эту страницу.",
           "Страницы, которую вы искали, нет (или больше нет). Воспользуйтесь поиском или",
           "вернитесь на главную"),
}


def not_found_page(base: str, lang: str = "en") -> str:
    """page/404.php: the "Oops!" page the site returns with HTTP 200 for unknown articles (the
    Russian edition says it in Russian: a soft-404 test must not lean on the English words)."""
    heading, subheading, intro, home = _NOT_FOUND.get(lang, _NOT_FOUND["en"])
    main = f"""<div class="container">
  <div class="row-flex gutter-2">
    <div class="col">
      <article class="page">
        <header class="page__header ">
          <h1>{heading}</h1>
          <h2>{subheading}</h2>
        </header>
        <div class="page__intro">
          {intro} <a href="/"
            title="Home">{home}</a>
        </div>
      </article>
    </div>
  </div>
</div>
"""
    return page(base, "<title>The Moscow Times</title>", "page-item", main)


def real_404_body() -> bytes:
    """Body of a true 404 (no route matched): the web server's plain error page."""
    return (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
            b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
            b"</body></html>\n")
