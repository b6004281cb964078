"""Article excerpts (default, lead, tiny, ranked), labels and URL helpers."""

from __future__ import annotations

from .model import Article, date_c, date_text, md5_hex, strip_tags, truncate
from .model import php_text as t


def article_url(base: str, a: Article) -> str:
    return base + a.path


def image_src(base: str, a: Article, preset: str, suffix: str = "") -> str:
    h = md5_hex(a.id)
    return f"{base}/image/{preset}/{h[:2]}/{h[2:14]}{suffix}.jpg"


def og_image(base: str, a: Article) -> str:
    """`md5(id)[0:2]/<id>__<md5(id)>.jpg`, as app/Url.php builds the og image path."""
    h = md5_hex(a.id)
    return f"{base}/image/og/{h[:2]}/{a.id}__{h}.jpg"


def label_text(a: Article) -> tuple[str, str]:
    """(label, modifier) following common/label.php."""
    if a.section == "analysis":
        return "News Analysis", "opinion"
    if a.section == "opinion":
        return "Opinion", "opinion"
    if a.section == "ukraine_war":
        return "Ukraine War", "ukraine_war"
    return a.info.label, ""


def label_html(a: Article, context: str) -> str:
    label, modifier = label_text(a)
    cls = f"label {context}__label" + (f" label--{modifier}" if modifier else "")
    return f"""<span class="{cls}">
		{t(label)}
	</span>"""


def teaser(a: Article, limit: int = 150) -> str:
    """Excerpt, else intro, else the first html block, cut at 150 characters."""
    if a.excerpt:
        return t(truncate(a.excerpt, limit))
    if a.intro:
        return t(truncate(a.intro, limit))
    for b in a.blocks:
        if b.type == "html":
            return t(truncate(strip_tags(b.body), limit))
    return ""


def _authors_span(a: Article, cls: str) -> str:
    if not (a.opinion and a.authors):
        return ""
    sep = f'<span class="{cls}">&nbsp;and&nbsp;</span>'
    return sep.join(f'<span class="{cls}">{t(x.name)}</span>' for x in a.authors)


def excerpt_default(a: Article, base: str, label: bool = True, modifier: str | None = None) -> str:
    url = article_url(base, a)
    block = "article-excerpt-default"
    mod = modifier if modifier is not None else a.quirk_section
    cls = block + (f" {block}--{mod}" if mod else "")
    lab = ("\n\t\t\t\t" + label_html(a, block)) if label else ""
    video = ('\n\t\t\t\t\t\t<div class="article-excerpt-default__type-icon">\n\t\t\t\t\t\t\t'
             '<i class="fa fa-play"></i>\n\t\t\t\t\t\t</div>') if a.type == "video" else ""
    return f"""

<div
	class="{cls}"
	data-url="{url}"
	data-title="{t(a.title)}"
>

	<a href="{url}" class="{block}__link" title="{t(a.title)}">
					<div class=" {block}__image-wrapper">
				<figure>
					<img src="{image_src(base, a, 'article_640')}" alt="" />{video}
				</figure>
			</div>

		<div class="{block}__content">{lab}
			{_authors_span(a, block + "__author")}

			<h3 class="{block}__headline">
				{t(a.title)}
			</h3>

				<div class="{block}__teaser">{teaser(a)}</div>
		</div>
	</a>
</div>"""


def excerpt_lead(a: Article, base: str) -> str:
    url = article_url(base, a)
    block = "article-excerpt-lead"
    return f"""
<div
	class="{block} {block}--primary "
	data-url="{url}"
	data-title="{t(a.title)}"
>
	<a href="{url}" class="{block}__link" title="{t(a.title)}">
		<div class=" {block}__image-wrapper">
			<figure>
				<img src="{image_src(base, a, 'article_1360')}" alt="" />
			</figure>
		</div>
		<div class="{block}__content">
			{label_html(a, block)}
			{_authors_span(a, block + "__author")}
			<h3 class="{block}__headline">
				<span class="wrap wrap1">
					<span class="wrap wrap2">
						<span>{t(a.title)}</span>
					</span>
				</span>
			</h3>
			<div class="{block}__teaser">

				<span class="wrap wrap1">
					<span class="wrap wrap2">
						{teaser(a)}
					</span>
				</span>
			</div>
		</div>

	</a>
</div>"""


def tiny(a: Article, base: str) -> str:
    return f"""
<div class="article-excerpt-tiny">
	<a 
		href="{article_url(base, a)}"
		title="{t(a.title)}"
		data-track="just-in-link {t(a.title)}"
	>
		<time class="article-excerpt-tiny__time  "
			datetime="{date_c(a.published)}" y-use="Timeago">
			{date_text(a.published)}
		</time>
		<h5 class="article-excerpt-tiny__headline ">
			{t(a.title)}
		</h5>
	</a>
</div>"""  # noqa: W291  (the template really has a trailing space after "<a")


def ranked(a: Article, base: str, rank: int) -> str:
    block = "article-excerpt-ranked"
    author = ""
    if a.opinion and a.authors:
        author = f"""
				<span class="{block}__author">
					{t(a.authors[0].name)}
				</span>"""
    return f"""
<div class="{block} ranked-articles__{block}">
	<a href="{article_url(base, a)}" title="{t(a.title)}">
		<div class="{block}__rank">
			{rank}
		</div>
		<div class="{block}__item">
			{label_html(a, block)}{author}
			<h5 class="{block}__headline">
				{t(a.title)}
			</h5>
		</div>
	</a>
</div>"""
