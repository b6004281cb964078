"""What an idle poll never uses stays out of its processes: importing the crawl child's entry
module (``scrapy crawlsites``) or ``mtwatch run`` loads no text extraction, no story
grouping, no topic compiler; the crawl child (``python -m crawler.crawl``) starts without
Scrapy's other commands, and keeps the garbage collector off while it starts; and Scrapy's
deprecated TLS aliases still name their module although their import skips inspect.stack()'s
source lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: heavy modules an idle poll never needs, and which module pulls them in when it needs them
NEVER_IDLE = ["trafilatura", "datasketch", "scipy", "pipelines.stories",
              "pipelines.matcher", "jinja2",
              # the progress bar, for a terminal only (crawler.cli.progress._bar)
              "rich.progress",
              # a SQLite store's process (pipelines.storage.schema: PostgreSQL's variants are
              # added when a connection to PostgreSQL is made)
              "sqlalchemy.dialects.postgresql"]

PROBE = """
import inspect, json, sys
before = inspect.stack, inspect.getmodule
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
    "stack_restored": (inspect.stack, inspect.getmodule) == before,
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


#: what ``python -m scrapy`` imports to list its commands, and the crawl child never needs
SCRAPY_COMMANDS = ["scrapy.cmdline", "scrapy.commands.shell", "scrapy.commands.bench",
                   "scrapy.commands.check", "scrapy.shell", "scrapy.utils.test", "unittest"]

CHILD_PROBE = """
import gc, json, sys
import crawler.crawl
collections = []
gc.callbacks.append(lambda phase, info: collections.append(phase))
command = crawler.crawl._started(["-s", "MTWATCH_SITE=http://127.0.0.1:9"])
print(json.dumps({{"loaded": sorted(m for m in {never!r} if m in sys.modules),
                  "crawlers": len(command.crawler_process.crawlers),
                  "collections": len(collections)}}))
"""


def test_the_crawl_child_starts_without_scrapys_other_commands_or_the_collector(
        tmp_path: Path) -> None:
    """Built as ``mtwatch run``'s child builds its crawl (``crawler.crawl._started``; the
    garbage collector is off when ``main`` calls it)."""
    code = "import gc; gc.disable()\n" + CHILD_PROBE.format(never=SCRAPY_COMMANDS + NEVER_IDLE)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", "SCRAPY_SETTINGS_MODULE": "crawler.settings",
             "MTWATCH_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path),
             "MTWATCH_DB_URL": f"sqlite:///{tmp_path / 'store.db'}"})
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    assert found["crawlers"] == 1
    assert found["collections"] == 0


def test_the_crawl_child_runs_gc_free_start_up_then_freezes_it() -> None:
    code = """
import gc, json, sys
import crawler.crawl
seen = {}
class Command:
    exitcode = 4
    def crawl(self):
        seen.update(enabled=gc.isenabled(), frozen=gc.get_freeze_count() > 0)
def started(argv):
    seen["enabled_at_start_up"] = gc.isenabled()
    return Command()
crawler.crawl._started = started
seen["exit"] = crawler.crawl.main([])
print(json.dumps(seen))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, check=True, env={"PATH": "/usr/bin:/bin"})
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"enabled_at_start_up": False, "enabled": True, "frozen": True, "exit": 4}


@pytest.mark.parametrize(("given", "kept"), [(None, "__all__"), ("", ""), ("logfire", "logfire")])
def test_pydantic_looks_for_no_plugins_unless_the_user_says(given: str | None, kept: str) -> None:
    """Its plugin search reads every installed distribution's entry points."""
    env = {"PATH": "/usr/bin:/bin"} | ({} if given is None else {"PYDANTIC_DISABLE_PLUGINS": given})
    done = subprocess.run(
        [sys.executable, "-c", "import os, crawler.config; "
         "print(repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS')))"],
        cwd=REPO, capture_output=True, text=True, check=True, env=env)
    assert done.stdout.strip() == repr(kept)
