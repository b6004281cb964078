"""Scrapy settings for mtwatch: safe, polite defaults; site and politeness come from config."""

from __future__ import annotations

import os as _os

from scrapy.settings import default_settings as _scrapy

from crawler import lifeline as _lifeline

# A crawl started by `mtwatch run` or the daemon dies with it, even by kill -9: armed here, the
# first of mtwatch's code that `scrapy crawl` runs (crawler/lifeline.py; ParentWatch below is
# the fallback where the kernel cannot do it).
_lifeline.hold_from_environment()

BOT_NAME = "mtwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# `scrapy crawlsites`: every site of the run in one process (what `mtwatch run` starts)
COMMANDS_MODULE = "crawler.commands"

# Politeness (the config file can change the numbers, see crawler.spiders.moscowtimes).
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Bounded resources on hostile input (reliability bar, section A).
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 10
REDIRECT_MAX_TIMES = 5
DOWNLOAD_FAIL_ON_DATALOSS = True
RETRY_TIMES = 2
MEMUSAGE_ENABLED = True
MEMUSAGE_LIMIT_MB = 1024

# Only HTTP(S): no file://, data:, ftp:// or s3:// from crawled redirects.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
DOWNLOAD_VERIFY_CERTIFICATES = True

# Crash safety lives in the store, never in JOBDIR; article dedupe is done there too.
COOKIES_ENABLED = False
HTTPCACHE_ENABLED = False

# CPU per response (bench/crawl.py). CONCURRENT_ITEMS: what one response's callback yields is
# processed this many at a time, and Scrapy starts that many asyncio tasks for every response,
# whatever it yields. mtwatch's callbacks yield one article item or a list of requests (queued
# one after the other anyway), so one suffices; the default (100 tasks per page) cost more CPU
# per article than parsing the page.
CONCURRENT_ITEMS = 1
# Response bytes the scraper holds before the engine stops fetching (Scrapy's default: 5 MB).
# A backfill reads its pages on the extraction pool: fetched pages wait there for a worker,
# and 1 MB (about 15 article pages) keeps the worker fed without holding 75 of them
# (measured: bench/crawl.py --also SCRAPER_SLOT_MAX_ACTIVE_SIZE=5000000).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
# Scrapy's check that a generator callback returns no value re-reads the callback's source
# (inspect + ast) for every response: its cache is keyed by the bound method, gone at once.
# A lint, not a safeguard: mtwatch's callbacks are covered by tests.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy's downloader/* counters (bytes and counts of requests and responses, by method and
# status) measure every request's and response's headers again, a twentieth of a millisecond
# of the crawl's process per page; nothing reads them (the run's verdict and funnel count
# mtwatch/* only), they only ended the log's stats dump.
DOWNLOADER_STATS = False

# Only the site's origins; robots.txt strictly (crawler/robots.py: a 5xx means disallow all);
# conditional GET of feeds and sitemaps; Retry-After honoured (before RetryMiddleware, 550);
# Scrapy's meta refresh, a page that never says "refresh" let through without parsing it.
DOWNLOADER_MIDDLEWARES = {
    # replaces Scrapy's offsite check, which drops redirects silently (no errback, no record)
    # and ignores ports and schemes
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.OriginLockMiddleware": 40,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsPolicyMiddleware": 100,
    "crawler.middlewares.ConditionalGetMiddleware": 450,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.MetaRefreshMiddleware": 580,
    "crawler.middlewares.RetryAfterMiddleware": 560,
}

ITEM_PIPELINES = {
    "pipelines.steps.clean.CleanPipeline": 100,
    "pipelines.steps.detect.DetectPipeline": 200,
    "pipelines.steps.store.StorePipeline": 300,
    "pipelines.steps.alert.AlertPipeline": 900,
}
EXTENSIONS = {
    # first: every log record of the crawl escapes control characters (crawler/logsafe.py)
    "crawler.logsafe.SafeLogs": 0,
    "crawler.parentwatch.ParentWatch": 0,
    "crawler.health.extension.RunHealth": 100,
}

# Scrapy's components that the settings above switch off anyway (cookies, telnet, remote
# control, memdebug) are left out of the base lists: Scrapy imports every listed component,
# even one mapped to None, and these bring tldextract and aiohttp into every crawl.
_UNUSED = {
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.memdebug.MemoryDebugger",
    "scrapy.extensions.remote_control.RemoteControl",
}
DOWNLOADER_MIDDLEWARES_BASE = {
    name: order for name, order in _scrapy.DOWNLOADER_MIDDLEWARES_BASE.items()
    if name not in _UNUSED
}
EXTENSIONS_BASE = {
    name: order for name, order in _scrapy.EXTENSIONS_BASE.items() if name not in _UNUSED
}

# Group commit (pipelines/steps/groupcommit.py): evaluated articles are written this many to a
# transaction, or after this many seconds, whichever comes first; a crash loses at most that
# batch, which the next run fetches again. MTWATCH_STORE_BATCH=1: one article at a time.
MTWATCH_STORE_BATCH = _os.environ.get("MTWATCH_STORE_BATCH", "")
MTWATCH_STORE_BATCH_SECONDS = _os.environ.get("MTWATCH_STORE_BATCH_SECONDS", "")

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# mtwatch's own settings (all optional; the config file supplies defaults):
# MTWATCH_SITE, MTWATCH_CONFIG, MTWATCH_DB_URL, MTWATCH_SINCE (YYYY-MM-DD),
# MTWATCH_TRIGGER (who started the run), MTWATCH_VERDICT_FILE (where to write the run verdict).
