"""``python -m crawler.crawl [-s NAME=VALUE ...]``: the crawl child of ``mtwatch run`` and the
daemon; the same crawl as ``scrapy crawlsites``, with the same options.

``python -m scrapy`` imports every Scrapy command (``shell``, ``bench``, ``check``, and the test
utilities they use) to list them before it runs one: this entry builds ``crawlsites`` alone.
It also keeps the cyclic garbage collector off while the crawl starts up: start-up creates
long-lived objects (modules, classes, settings, spiders), and every full collection would walk
all of them again. They are frozen (never scanned again) before the crawl begins, and the
collector is on again for the crawl itself.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.commands.crawlsites import Command


def main(argv: list[str] | None = None) -> int:
    """Run the crawl; its exit status, as ``scrapy crawlsites`` would give it."""
    gc.disable()
    try:
        command = _started(sys.argv[1:] if argv is None else argv)
    finally:
        gc.freeze()
        gc.enable()
    command.crawl()
    return command.exitcode


def _started(argv: list[str]) -> Command:
    """The ``crawlsites`` command, its options read as ``scrapy`` reads them, crawlers built."""
    from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess
    from scrapy.exceptions import UsageError
    from scrapy.utils.project import get_project_settings
    from scrapy.utils.reactor import _asyncio_reactor_path

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    from crawler.commands.crawlsites import Command

    command = Command()
    parser = argparse.ArgumentParser(prog="python -m crawler.crawl", conflict_handler="resolve",
                                     description=command.long_desc())
    settings.setdict(command.default_settings, priority="command")
    command.settings = settings
    command.add_options(parser)
    opts, args = parser.parse_known_args(argv)
    try:
        command.process_options(args, opts)
    except UsageError as exc:
        parser.error(str(exc))
    # the crawler process scrapy.cmdline.execute would choose
    if ((settings["TWISTED_REACTOR"] == _asyncio_reactor_path
         and not settings.getbool("FORCE_CRAWLER_PROCESS"))
            or not settings.getbool("TWISTED_REACTOR_ENABLED")):
        command.crawler_process = AsyncCrawlerProcess(settings)
    else:
        command.crawler_process = CrawlerProcess(settings)
    command.start_crawlers()
    return command


if __name__ == "__main__":
    sys.exit(main())
