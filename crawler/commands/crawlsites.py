"""``scrapy crawlsites``: every site of the run in one crawl process, one crawler per site.

The config is loaded once and one crawl context (crawler.context) is shared by all crawlers;
each site keeps its own politeness per host (``DOWNLOAD_SLOTS``). ``-s MTWATCH_SITE=NAME``
runs one site; ``-s MTWATCH_SITE=URL`` the default site at that address (the replica).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand

from crawler.context import CrawlContext, config_from_settings, register
from crawler.importcost import frames_without_source

# Scrapy's HTTP(S) download handler, imported now (Scrapy imports this module at start-up, with
# a short stack) rather than when the first crawler builds its engine: the handler's modules
# create deprecated aliases, each calling inspect.stack(), whose cost grows with the depth of
# the stack and the number of modules loaded; without the source lines it costs nothing.
with frames_without_source():
    import scrapy.core.downloader.handlers.http11  # noqa: F401

if TYPE_CHECKING:
    import argparse

#: the spider that crawls a site of each kind
SPIDER_OF_KIND = {"moscowtimes": "moscowtimes", "generic": "generic"}


class Command(ScrapyCommand):
    """Crawl the run's sites side by side."""

    requires_project = True

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Crawl every enabled site (or -s MTWATCH_SITE=NAME|URL) in one process"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        self.start_crawlers()
        self.crawl()

    def start_crawlers(self) -> None:
        """Load the config once, build the crawl context and one crawler per site."""
        assert self.crawler_process is not None
        assert self.settings is not None
        context = CrawlContext.from_config(config_from_settings(self.settings))
        register(context, self.crawler_process.settings)
        for name, site in context.sites.items():
            self.crawler_process.crawl(SPIDER_OF_KIND[site.kind], site=name)

    def crawl(self) -> None:
        """Run the crawlers until every one is done (exit code 1 if one could not start)."""
        assert self.crawler_process is not None
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
