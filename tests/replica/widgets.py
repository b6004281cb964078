# ruff: noqa: E501  (HTML templates keep their natural lines)
"""Per-article widgets: sidebar (Most read / Just in), bottom "Read more" cluster, next loader."""

from __future__ import annotations

from .excerpts import excerpt_default, ranked, tiny
from .layout import banner
from .model import Article
from .site import Site


def sidebar(site: Site, a: Article, base: str) -> str:
    just_in = "".join(f"""
		<li class="listed-articles__item">
			{tiny(x, base)}
		</li>""" for x in site.just_in(a))
    most = "".join(f"""
		<li class="ranked-articles__item">
			{ranked(x, base, rank)}
		</li>""" for rank, x in enumerate(site.most_read(a), 1))
    return f"""<aside class="sidebar">

					<!-- Article sidebar -->
					{banner("article_1", f"_{a.id}")}

					<div class="sidebar__sticky">
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
									<ul class="listed-articles">{just_in}
</ul>
								</div>

								<div class="tabs__content" y-name="content mostread" style="display: none">
									<ul class="ranked-articles">{most}
</ul>
								</div>
							</section>
						</div>
					</div>
					<!-- Article sidebar bottom -->

				</aside>"""


def cluster(site: Site, a: Article, base: str) -> str:
    cols = "".join(f"""
				<div class="col-3 col-6-sm">
					{excerpt_default(x, base)}
				</div>""" for x in site.related(a))
    heading = "Read more"
    if a.type == "video":
        heading = f'<a href="{base}/videos" title="More videos">More videos</a>'
    return f"""<div class="container">
		<section class="cluster">

			<div class="cluster__header">
				<h2 class="cluster__label header--style-3">
					{heading}
				</h2>
			</div>

			<div class="row-flex">{cols}
			</div>
		</section>
	</div>"""


def next_loader(nxt: Article | None, base: str) -> str:
    if nxt is None:
        return ""
    return f"""
<div class="container next-article-loader" id="load-next-article" y-use="article.InfiniteScroll"
	data-id="{nxt.id}" data-url="{base}/all/{{{{id}}}}">
	<svg version="1.1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"
		width="40px" height="40px" viewBox="0 0 40 40" enable-background="new 0 0 40 40" xml:space="preserve">
		<path opacity="0.2" fill="#000"
			d="M20.201,5.169c-8.254,0-14.946,6.692-14.946,14.946c0,8.255,6.692,14.946,14.946,14.946z" />
		<path fill="#000" d="M26.013,10.047l1.654-2.866c-2.198-1.272-4.743-2.012-7.466-2.012h0v3.312h0z">
			<animateTransform attributeType="xml" attributeName="transform" type="rotate" from="0 20 20" to="360 20 20"
				dur="0.5s" repeatCount="indefinite" />
		</path>
	</svg>
</div>
"""
