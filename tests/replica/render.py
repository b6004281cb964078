# ruff: noqa: E501  (hand-written prose / HTML templates keep their natural lines)
"""HTML for article pages and their fragments (`/all/<id>`), following item.php / item_raw.php."""

from __future__ import annotations

from .excerpts import article_url, image_src, label_html
from .layout import banner, page
from .model import Article, Block, date_c, date_text, strip_tags
from .model import php_text as t
from .seo import article_seo
from .site import Site
from .widgets import cluster, next_loader, sidebar

DISCLAIMER = ("The views expressed in opinion pieces do not necessarily reflect the position of "
              "The Moscow Times.")


def article_page(site: Site, a: Article, base: str) -> str:
    body_class = "article-item article-item--full-header" if a.type == "video" else "article-item"
    nxt = site.next_older(a)
    main = f"""
<article y-use="article.IsIntersecting">

	<!--[[[article:{a.id}]]]-->

	<div class="gtm-section gtm-type" data-section="{a.quirk_section}"
		data-type="{a.type}">
		<!-- Google Tag Manager places Streamads based on these classes -->
	</div>

	<div class="container article-container" id="article-id-{a.id}"
		data-page-id="{a.id}" data-next-id="{nxt.id if nxt else ''}"
		data-article-url="{article_url(base, a)}"
		data-article-title="{t(a.title)}">
		{_video_header(a)}

		<div class="row-flex gutter-2">
			<div class="col">
				{_article_body(a, base, social_bottom=True)}
			</div>


			<div class="col-auto hidden-sm-down">
				{sidebar(site, a, base)}
			</div>
		</div>
	</div>

	<!-- Article billboard bottom -->
	{banner("article_2")}
	<!-- Article billboard bottom -->
	{banner("article_2_mobile")}

	{cluster(site, a, base)}

</article>
{next_loader(nxt, base)}
<script>
if (typeof window.freestar === 'object') {{
	freestar.config.disabledProducts = {{
		sideWall: true,
	}};
}}
</script>
"""
    return page(base, article_seo(a, base), body_class, main, banner("article_top"))


def article_fragment(site: Site, a: Article, base: str) -> str:
    """`/all/<id>`: the infinite-scroll item, an HTML fragment without <html>/<head>."""
    nxt = site.next_older(a)
    return f"""

<div class="container--full" y-name="banner">
	<div class="preheader_advert py-2">
		<!-- Tag ID: themoscowtimes.com_header -->
		<div align="center" data-freestar-ad="__336x280 __970x250"
			id="themoscowtimes.com_header_{a.id}">
		</div>
	</div>
</div>

<!--[[[article:{a.id}]]]-->

<hr class="container mb-5 mt-5" style="border-width: 1px; border-color: #e8e8e8;">

<div class="lazy-loaded article-container" id="article-id-{a.id}"
	data-page-id="{a.id}" data-next-id="{nxt.id if nxt else ''}"
	data-article-url="{article_url(base, a)}"
	data-article-title="{t(a.title)}">

	<div class="gtm-section gtm-type" data-section="{a.quirk_section}"
		data-type="{a.type}">
		<!-- Google Tag Manager places Streamads based on these classes -->
	</div>

	<div class="container">
		{_video_header(a)}
		<div class="row-flex gutter-2">
			<div class="col">
				{_article_body(a, base, social_bottom=False)}
			</div>
			<div class="col-auto hidden-sm-down">
				{sidebar(site, a, base)}
			</div>
		</div>
	</div>

	{cluster(site, a, base)}

</div>"""


def _video_header(a: Article) -> str:
    if a.type != "video" or "v=" not in a.video:
        return ""
    code = a.video.split("v=", 1)[1]
    return f"""<figure class="videoheader" y-use="Youtube" data-video="{code}">
			<div class="videoplayer__aspect"></div>
			<div class="videoplayer" y-name="player">
				<iframe
					src="https://www.youtube.com/embed/{code}?autoplay=1&loop=1&rel=0&wmode=transparent"
					allowfullscreen="" wmode="Opaque" width="100%" height="100%" frameborder="0"></iframe>
			</div>
		</figure>"""


def _article_body(a: Article, base: str, social_bottom: bool) -> str:
    label = ("\n\t\t\t\t\t\t" + label_html(a, "article")) if a.section in ("opinion", "analysis") else ""
    disclaimer = f"""
						<div class="article__disclaimer">
							{DISCLAIMER}
						</div>
""" if a.opinion else ""
    intro = f"""
					<div class="article__intro">
						{t(a.intro).replace(chr(10), "<br />" + chr(10))}
					</div>
""" if a.intro else ""
    return f"""<article class="article article--{a.quirk_section}">
					<header class="article__header ">{label}
						<h1><a href="{article_url(base, a)}">{t(a.title)}</a>
						</h1>
						<h2>{t(a.subtitle)}</h2>
					</header>

					{_byline(a, base)}
{intro}
					{_featured(a, base)}


					<div class="article__content-container">
						<div class="article__content" y-name="article-content">
							{"".join(_block(b, i, a, base) for i, b in enumerate(a.blocks))}
						</div>
{disclaimer}{_author_boxes(a, base)}
						<div class="article__bottom">

						</div>

						{_tags(a, base)}

						<div class="hidden-md-up">
						</div>

						{_contribute_banner(base) if social_bottom else ""}
						{social(a, base)}
					</div>

				</article>"""


def _byline(a: Article, base: str) -> str:
    photos = "".join(
        f"""<a href="{base}/author/{x.slug}"
										title="{t(x.name)}" class="byline__author__image-wrapper">
										<img class="byline__author__image" src="{base}/image/thumb/{x.slug}.jpg" />
									</a>""" for x in a.authors if x.photo)
    names = [f'<a href="{base}/author/{x.slug}" class="byline__author__name" title="{t(x.name)}">'
             f"{t(x.name)}</a>" for x in a.authors]
    when = a.modified if a.updated_shown else a.published
    updated = "Updated:\n\t\t\t\t\t\t\t\t\t\t" if a.updated_shown else ""
    return f"""<div class="article__byline byline {'byline--opinion' if a.opinion else ''} ">
						<div class="row-flex">
							<div class="col">
								<div class="byline__details">

									{photos}

									<div class="byline__details__column">
										<div class="byline__author">
											{join_names(names, "By ")}										</div>


										{updated}<time class="byline__datetime timeago"
											datetime="{date_c(when)}" y-use="Timeago">
											{date_text(when)}
										</time>
									</div>
								</div>
							</div>

							<div class="col-auto">
								<div class="byline__social">
									{social(a, base)}
								</div>
							</div>
						</div>
					</div>"""


def join_names(names: list[str], first: str = "") -> str:
    """`A`, `A and B`, `A, B and C` with an optional prefix (the site's separator loop)."""
    out, sep = "", first
    for i, name in enumerate(names):
        out += sep + name
        sep = ", " if len(names) - i - 1 > 1 else " and "
    return out


def social(a: Article, base: str) -> str:
    url = article_url(base, a)
    return f"""<div class="social">
	<a href="https://www.facebook.com/sharer/sharer.php?u={url}" class="social__icon social__icon--facebook" target="_blank" title="Share on Facebook"><i class="fa fa-brands fa-facebook"></i></a>
	<a href="https://twitter.com/intent/tweet/?url={url}&text={t(a.title)}" class="social__icon social__icon--x-twitter" target="_blank" title="Share on Twitter"><i class="fa fa-brands fa-x-twitter"></i></a>
	<a href="https://telegram.me/share/url?url={url}" class="social__icon social__icon--telegram" target="_blank" title="Share on Telegram"><i class="fa fa-paper-plane"></i></a>
	<a href="https://wa.me/?text={url}" class="social__icon social__icon--whatsapp"><i class="fa fa-whatsapp" target="_blank" title="Share on WhatsApp"></i></a>
	<a href="mailto:?subject=Shared: {t(a.title)}&body=An article from The Moscow Times: {url}" class="social__icon social__icon--email"><i class="fa fa-envelope" target="_blank" title="Share with email"></i></a>
	<a href="https://flipboard.com" data-flip-widget="shareflip" class="social__icon social__icon--flipboard" title="Share on Flipboard"><img src="{base}/img/flipboard_mrrw.png" /></a>
	<a href="{url}/pdf" class="social__icon social__icon--pdf"><i class="fa fa-file-pdf-o" target="_blank" title="Download as PDF"></i></a>
</div>
"""


def _featured(a: Article, base: str) -> str:
    if not a.has_image:
        return ""
    caption = ""
    if a.caption or a.credits:
        caption = f"""
						<figcaption class="">
							<span class="article__featured-image__caption featured-image__caption">
								{t(a.caption)}
							</span>
							<span class="article__featured-image__credits featured-image__credits">
								{t(a.credits)}
							</span>
						</figcaption>"""
    return f"""<figure class="article__featured-image featured-image">
						<img src="{image_src(base, a, 'article_1360')}" />{caption}
					</figure>"""


def _block(b: Block, index: int, a: Article, base: str) -> str:
    inner = {"html": lambda: b.body, "article": lambda: _aside(b, a, base),
             "image": lambda: _image_block(b, a, base), "header": lambda: f"<h2>{t(b.body)}</h2>",
             "quote": lambda: _quote(b)}[b.type]()
    ads = ""
    if index == 1:
        ads = f"\n\t\t\t\t\t\t\t\t{banner('article_body')}\n\t\t\t\t\t\t\t\t{banner('article_body_mobile')}"
    return f"""<div data-id="article-block-type"
								class="article__block article__block--{b.type} article__block--column ">
								{inner}{ads}
							</div>
							"""


def _aside(b: Block, a: Article, base: str) -> str:
    # The 2024 template builds this link from the slug alone (no -aID); the route redirects.
    modifier = b.by if b.by == "opinion" else "default"
    label = "Opinion" if b.by == "opinion" else "News"
    href = f"{base}/{a.published:%Y/%m/%d}/{b.caption}"
    return f"""<aside class="article__related-article">
		<span class="label related-article__label label--{modifier}">{label}</span>
		<a data-id="in-article-block" class="related-article__inner" href="{href}" title="{t(b.body)}">
			<h3 class="related-article__title">
				{t(b.body)}
			</h3>
			<span class="related-article__cta">Read more</span>
		</a>
	</aside>"""


def _image_block(b: Block, a: Article, base: str) -> str:
    src = image_src(base, a, "1360", suffix="-2")
    alt = f"\n\t\t\t\t\t{t(b.caption)} {t(b.credits)}\n\t\t\t\t"
    return f"""<figure class="article__image">
				<img src="{src}" alt="{alt}" />
			<figcaption>
					<span class="article__image__caption">{t(b.caption)}</span>
					<span class="article__image__credits">{t(b.credits)}</span>
			</figcaption>
	</figure>"""


def _quote(b: Block) -> str:
    cite = f"\n\t<cite>– {t(b.by)}</cite>" if b.by else ""
    return f"""<blockquote class="article__quote">
	{t(b.body)}
</blockquote>{cite}"""


def _author_boxes(a: Article, base: str) -> str:
    if not a.opinion:
        return ""
    return "".join(f"""
						<div class="hidden-xs">
							<div class="author-excerpt-small author-excerpt-small--article">
								<a href="{base}/author/{x.slug}" class="author-excerpt-small__name">{t(x.name)}</a>
								<div class="author-excerpt-small__body">{t(x.description)}</div>
							</div>
						</div>
""" for x in a.authors if x.description)


def _tags(a: Article, base: str) -> str:
    if not a.tags:
        return ""
    from .model import slugify  # local: keeps the import list of this module short

    links = ", ".join(f"""<a
	href="{base}/tag/{slugify(tag)}"
	class="tag article__tags__tag"
	title="{t(tag[:1].upper() + tag[1:])}"
>
	{t(tag[:1].upper() + tag[1:])}
</a>
""" for tag in a.tags)
    return f"""<div class="article__tags">
							Read more about:
							{links}
						</div>"""


def _contribute_banner(base: str) -> str:
    return f"""<div class="contribute-banner p-3 mb-3">
	<h4>… we have a small favor to ask.</h4>
	<p>As you may have heard, The Moscow Times, an independent news source for over 30 years, has been unjustly branded as a "foreign agent" by the Russian government. This blatant attempt to silence our voice is a direct assault on the integrity of journalism and the values we hold dear.</p>
	<p>We, the journalists of The Moscow Times, refuse to be silenced. Our commitment to providing accurate and unbiased reporting on Russia remains unshaken. But we need your help to continue our critical mission.</p>
	<p><span class="contribute-banner__strike">Your support, no matter how small, makes a world of difference. If you can, please support us monthly starting from just <span y-use="contribute.Currency"></span>2.</span> It's quick to set up, and you can be confident that you're making a significant impact every month by supporting open, independent journalism. Thank you.</p>
	<a class="contribute-banner__button" href="{base}/contribute?utm_source=contribute&utm_medium=internal-article">Continue</a>
</div>
"""


def pdf_bytes(a: Article) -> bytes:
    """A tiny PDF-like document: enough for a 200 with the right type; never parsed."""
    text = strip_tags(a.title).encode("ascii", "replace").decode()
    safe = text.replace("\\", "").replace("(", "[").replace(")", "]")
    return (f"%PDF-1.4\n% The Moscow Times replica\n1 0 obj << /Title ({safe}) >> endobj\n"
            "trailer << /Root 1 0 R >>\n%%EOF\n").encode()
