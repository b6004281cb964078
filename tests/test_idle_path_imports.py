"""What an idle poll never uses stays out of its processes: importing the crawl child's entry
module (``scrapy crawlsites``) or ``mtwatch run`` loads no text extraction, no story
grouping, no topic compiler; and Scrapy's deprecated TLS aliases still name their module
although their import skips inspect.stack()'s source lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: heavy modules an idle poll never needs, and which module pulls them in when it needs them
NEVER_IDLE = ["trafilatura", "datasketch", "scipy", "pipelines.stories",
              "pipelines.matcher", "jinja2"]

PROBE = """
import inspect, json, sys
before = inspect.stack
import {module}
if {components!r}:  # what the crawl child builds its crawlers from (crawler.settings)
    import crawler.settings as settings
    from scrapy.utils.misc import load_object
    for name in ("ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES", "EXTENSIONS"):
        for path in getattr(settings, name):
            load_object(path)
from scrapy.core.downloader import contextfactory
print(json.dumps({{
    "loaded": sorted(m for m in {never!r} if m in sys.modules),
    "stack_restored": inspect.stack is before,
    "alias_module": getattr(contextfactory, "ScrapyClientContextFactory").__module__,
}}))
"""


def _probe(module: str, *, components: bool = False) -> dict[str, object]:
    code = PROBE.format(module=module, never=NEVER_IDLE, components=components)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "SCRAPY_SETTINGS_MODULE": "crawler.settings"})
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("module", ["crawler.commands.crawlsites", "crawler.spiders.articles",
                                    "crawler.cli.run"])
def test_the_idle_path_imports_nothing_it_never_uses(module: str) -> None:
    assert _probe(module)["loaded"] == []


def test_the_crawl_child_components_import_nothing_an_idle_poll_never_uses() -> None:
    assert _probe("crawler.commands.crawlsites", components=True)["loaded"] == []


def test_scrapy_aliases_keep_their_module_and_inspect_is_given_back() -> None:
    found = _probe("crawler.commands.crawlsites")
    assert found["stack_restored"] is True
    assert found["alias_module"] == "scrapy.core.downloader.contextfactory"
