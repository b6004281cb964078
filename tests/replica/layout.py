# ruff: noqa: E501  (hand-written prose / HTML templates keep their natural lines)
"""Page chrome shared by every HTML page: head, header, menu, contribute teasers, footer."""

from __future__ import annotations

from .model import php_text as t

GTM = "GTM-TMTREPL"
MENU = (
    ("ukraine-war", "Ukraine War"), ("news", "News"), ("business", "Business"),
    ("opinion", "Opinion"), ("arts-and-life", "Arts and Life"), ("meanwhile", "Meanwhile"),
    ("diaspora", "Diaspora"), ("climate", "Climate"), ("podcasts", "Podcasts"),
)


def page(base: str, seo: str, body_class: str, main: str, billboard: str = "") -> str:
    """A full HTML document around `main`, following the site's html.php/default.php."""
    return f"""<!DOCTYPE html>
<html lang="en">

<head>
  <meta name="googlebot" content="noarchive">

  <base href="{base}/" />
  <meta charset="utf-8">
  <meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <meta name="theme-color" content="#5882b5">
  <link rel="shortcut icon" href="{base}/img/icons/favicon.ico">

  <link rel="publisher" href="https://plus.google.com/114467228383524488842" />

  <link rel="apple-touch-icon-precomposed" sizes="152x152"
    href="{base}/img/icons/apple-touch-icon-152x152.png">
  <link rel="apple-touch-icon-precomposed" href="{base}/img/icons/apple-touch-icon-57x57.png">

  <meta property="og:site_name" content="The Moscow Times" />

  <meta property="fb:admins" content="1190953093,691361317" />
  <meta property="fb:app_id" content="1446863628952411" />

  <meta name="twitter:site" content="@MoscowTimes">
  <meta name="twitter:creator" content="@MoscowTimes">
  <meta property="twitter:account_id" content="19527964">
  <meta name="twitter:card" content="summary_large_image"> <!-- or summary -->

  {seo}

  <!-- load stylesheets -->
  <link type="text/css" href="{base}/css/main.css?v=20240607" rel="stylesheet"
    media="screen" />
  <!-- Other CSS assets -->

  <link rel="dns-prefetch" href="//www.google-analytics.com" />

  <script type="application/ld+json">
  {{
    "@context": "http://schema.org",
    "@type": "NewsMediaOrganization",
    "address": {{
      "@type": "PostalAddress",
      "addressCountry": "RU",
      "addressLocality": "Moscow",
      "postalCode": "",
      "streetAddress": ""
    }},
    "name": "The Moscow Times",
    "email": "general@themoscowtimes.com",
    "telephone": "",
    "url": "{base}",
    "logo": "{base}/img/logo_1280.png"
  }}
  </script>

  <script type="application/ld+json">
  {{
    "@context": "https://schema.org",
    "@type": "WebSite",
    "url": "{base}/",
    }}
  </script>
  <!-- Google Tag Manager -->
<script>(function(w,d,s,l,i){{w[l]=w[l]||[];w[l].push({{'gtm.start':
new Date().getTime(),event:'gtm.js'}});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
}})(window,document,'script','dataLayer','{GTM}');</script>
<!-- End Google Tag Manager -->
</head>


<body class="{body_class}" y-use="Main">
  <!-- Google Tag Manager (noscript) -->
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id={GTM}"
height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>

  <div class="progress-bar" y-use="ProgressBar"><div class="progress-bar__inner"></div></div>

{billboard}

<div class="container">
  {_header(base)}
</div>

<div class="container">
	{_menu(base)}
</div>

<div class="container">
	{_contribute_mobile(base)}
</div>

{main}

{_footer(base)}

  <!-- jQuery -->
  <script src="https://code.jquery.com/jquery-2.2.0.min.js"></script>
  <script src="{base}/vendor/jquery/Timeago.js"></script>
  <script src="{base}/vendor/jquery/Lightbox.js"></script>
  <script src="{base}/vendor/jquery/fitvids.js"></script>

  <!-- Other JS assets -->
  <script src="https://cdn.flipboard.com/web/buttons/js/flbuttons.min.js"></script>

  <div y-name="viewport" class="hidden-lg-down" data-viewport="xl"></div>
  <div y-name="viewport" class="hidden-md-down hidden-xl" data-viewport="lg"></div>
  <div y-name="viewport" class="hidden-lg-up hidden-sm-down" data-viewport="md"></div>
  <div y-name="viewport" class="hidden-md-up hidden-xs" data-viewport="sm"></div>
  <div y-name="viewport" class="hidden-sm-up" data-viewport="xs"></div>

  <script type="text/javascript" src="{base}/vendor/yellow/Yellow.js"
     data-main="{base}/js/main.js?v=20240607"
    data-src="{base}/js/"     data-console="0"></script>

  <script data-cfasync="false" src="https://a.pub.network/moscowtimes-com/pubfig.min.js"></script>
</body>

</html>
"""


def banner(slot: str, ident: str = "") -> str:
    """A freestar ad container, empty as the crawler sees it."""
    return f"""<section y-name="banner" class="banner-{slot}">
	<!-- Tag ID: themoscowtimes.com_{slot} -->
	<div align="center" data-freestar-ad="__336x280 __970x250" id="themoscowtimes.com_{slot}{ident}"></div>
</section>"""


def _contribute_teaser(base: str, medium: str) -> str:
    return f"""<div class="contribute-teaser">
		<div class="contribute-teaser__text">Support The Moscow Times!</div>
		<a class="contribute-teaser__cta button button--color-3"
			href="{base}/contribute?utm_source=contribute&amp;utm_medium={medium}">Contribute today</a>
	</div>"""


def _header(base: str) -> str:
    return f"""<div class="site-header py-3 hidden-xs">
	<a href="{base}/" class="site-header__logo" title="The Moscow Times - Independent News from Russia" >
		<img src="{base}/img/logo_tmt_30_yo.svg" alt="The Moscow Times"  />
	</a>

	{_contribute_teaser(base, "header")}


	<div class="site-header__account">
		<div class="account" y-use="Account"><a href="{base}/account" class="account__login">Sign in</a></div>
	</div>


</div>"""


def _menu(base: str) -> str:
    items = "".join(f'<li class=""><a href="{base}/{p}" title="{t(label)}">{t(label)}</a></li>'
                    for p, label in MENU)
    return f"""<div class="navigation" y-use="Navigation">

	<nav class="nav-top">
		<div class="menu-trigger" y-name="open"><i class="fa fa-reorder"></i></div>
		<div class="nav-top__logo--xs hidden-sm-up">
			<a href="{base}/" class="site-header__logo " title="The Moscow Times - Independent News from Russia">
				<img src="{base}/img/logo_tmt_30_yo.svg" alt="The Moscow Times" />
			</a>
		</div>
		<ul class="nav-top__list">{items}</ul>

		<div class="nav-top__wrapper">
			<div class="nav-top__extra">
				<a href="https://moscowtimes.ru" class="nav-top__lang-toggle">
					<span>RU</span>
				</a>
			</div>
			<a href="{base}/search" title="Search" class="nav-top__search">
				<i class="fa fa-search"></i>
			</a>
		</div>
	</nav>
</div>"""


def _contribute_mobile(base: str) -> str:
    return f"""<div class="contribute-teaser-mobile hidden-sm-up">
		<span class="contribute-teaser-mobile__text">Support The Moscow Times!</span>
		<a class="contribute-teaser-mobile__cta"
			href="{base}/contribute?utm_source=contribute&amp;utm_medium=mobile-header">Contribute today</a>
	</div>"""


def _footer(base: str) -> str:
    links = "".join(f'<li><a href="{base}/{p}">{t(label)}</a></li>' for p, label in MENU)
    return f"""<footer class="footer">
	<div class="container">
		<div class="footer__inner">
			<div class="footer__logo"><img src="{base}/img/logo_tmt_30_yo.svg" alt="The Moscow Times" /></div>
			<div class="footer__menu">
				<ul class="footer__list">{links}</ul>
				<ul class="footer__list">
					<li><a href="{base}/page/about-us">About us</a></li>
					<li><a href="{base}/page/privacy-policy">Privacy Policy</a></li>
					<li><a href="{base}/contribute?utm_source=contribute&amp;utm_medium=footer">Contribute</a></li>
				</ul>
			</div>
			<div class="footer__copyright">
				&copy; The Moscow Times, all rights reserved.
			</div>
		</div>
	</div>
</footer>"""
