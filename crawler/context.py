"""One crawl context per crawl process: the config, its sites and topics, one Store; and the
crawl's config as its Scrapy settings give it.

Built once (by ``mtwatch``'s ``crawlsites`` command for every crawler of the process, or on
first use by a plain ``scrapy crawl``) and reachable as ``crawler.mtwatch`` through
:func:`crawl_context`, so the spider, middlewares, pipelines and extensions share it instead of
each loading the config and opening the store again. Tests build one from a Config and fakes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from crawler.sites import Site
    from pipelines.matcher import Matcher
    from pipelines.storage import Store
    from pipelines.topic_files import TopicHeader

logger = logging.getLogger(__name__)

#: Scrapy setting naming the process's registered context (see ``register``)
CONTEXT_SETTING = "MTWATCH_CONTEXT"
#: Scrapy setting holding the Config a spider's ``update_settings`` loaded (read once)
LOADED_CONFIG = "MTWATCH_LOADED_CONFIG"
_REGISTRY: dict[str, CrawlContext] = {}


@dataclass
class CrawlContext:
    """What every component of one crawl shares; the store opens on first use."""

    config: Config
    sites: dict[str, Site]
    open_store: Callable[[str], Store] | None = None
    _store: Store | None = field(default=None, repr=False)
    _matchers: list[Matcher] | None = field(default=None, repr=False)
    _headers: list[TopicHeader] | None = field(default=None, repr=False)
    _users: int = 0
    #: set once the first run row of the process was opened (crawler.health.extension.RunHealth)
    runs_opened: bool = False
    #: the crawl lease the process holds (crawler.lock.CrawlLease), shared by its crawlers
    lease: Any = None
    #: the run-health extensions of the process's crawlers still running (one per site)
    health: list[Any] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: Config) -> CrawlContext:
        from crawler.sites import build_site

        names = config.running_sites or [next(iter(config.sites))]
        return cls(config, {name: build_site(name, config.sites[name]) for name in names})

    @property
    def store(self) -> Store:
        """The crawl's one Store (opened on first use, closed when the last crawler stops)."""
        if self._store is None:
            opener = self.open_store or _default_store
            self._store = opener(self.config.store_url)
        return self._store

    @property
    def matchers(self) -> list[Matcher]:
        """The enabled topics, compiled once."""
        if self._matchers is None:
            from pipelines.wiring import load_matchers

            self._matchers = load_matchers(self.config.topics_dir, self.config.topics.enabled)
        return self._matchers

    @property
    def topic_headers(self) -> list[TopicHeader]:
        """The enabled topics' ids, names and rule versions, read without compiling the rules
        (an idle poll never evaluates an article, so it never compiles them)."""
        if self._headers is None:
            if self._matchers is not None:
                from pipelines.topic_files import TopicHeader

                self._headers = [TopicHeader(m.topic.id, m.topic.name, m.topic.rule_version)
                                 for m in self._matchers]
            else:
                from pipelines.topic_files import read_header, topic_file

                self._headers = [read_header(topic_file(self.config.topics_dir, entry))
                                 for entry in self.config.topics.enabled]
        return self._headers

    def site(self, name: str | None = None) -> Site:
        """A site of the run by name (by default its main one); a configured site asked for
        by name (``scrapy crawl moscowtimes -a site=NAME``) joins the run even if disabled."""
        if name is None:
            name = self.config.only_site or next(iter(self.sites))
        if name not in self.sites and name in self.config.sites:
            from crawler.sites import build_site

            self.sites[name] = build_site(name, self.config.sites[name])
        try:
            return self.sites[name]
        except KeyError:
            raise ValueError(f"no site named {name!r} "
                             f"(configured: {', '.join(self.config.sites)})") from None

    def attach(self, crawler: Any) -> None:
        """One more crawler uses the context; the store closes after the last one stopped."""
        self._users += 1
        crawler.mtwatch = self
        crawler.signals.connect(self._crawler_stopped, signal=signals.engine_stopped,
                                weak=False)

    def _crawler_stopped(self) -> None:
        self._users -= 1
        if self._users <= 0:
            self.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _default_store(url: str) -> Store:
    from pipelines.alerts.policy import POLICY
    from pipelines.storage import Store

    return Store(url, alerts=POLICY)


def register(context: CrawlContext, settings: Any) -> str:
    """Make ``context`` the one every crawler built from ``settings`` uses."""
    token = uuid.uuid4().hex
    _REGISTRY[token] = context
    settings.set(CONTEXT_SETTING, token, priority="cmdline")
    return token


def registered(settings: Any) -> CrawlContext | None:
    token = settings.get(CONTEXT_SETTING)
    return _REGISTRY.get(token) if token else None


def crawl_context(crawler: Any) -> CrawlContext:
    """The crawler's context: the registered one, else one built now from its settings."""
    found = getattr(crawler, "mtwatch", None)
    if isinstance(found, CrawlContext):
        return found
    context = registered(crawler.settings)
    if context is None:
        context = CrawlContext.from_config(config_from_settings(crawler.settings))
    context.attach(crawler)
    return context


def config_from_settings(settings: Any) -> Config:
    """The crawl's config: the crawl context's, or the one the spider loaded into the settings
    (``update_settings``), else loaded now; ``-s MTWATCH_SITE=…``/``MTWATCH_DB_URL``/
    ``MTWATCH_CONFIG`` win over files and environment."""
    context = registered(settings)
    if context is not None:
        return context.config
    loaded = settings.get(LOADED_CONFIG)
    if isinstance(loaded, Config):
        return loaded
    path = settings.get("MTWATCH_CONFIG")
    overrides = {
        "site": {"url": settings.get("MTWATCH_SITE")},
        "store": {"url": settings.get("MTWATCH_DB_URL")},
    }
    labels = {"site.url": "-s MTWATCH_SITE", "store.url": "-s MTWATCH_DB_URL"}
    return load_config(Path(path) if path else None, overrides=overrides,
                       override_labels=labels)


def since_from_settings(settings: Any) -> date | None:
    """``MTWATCH_SINCE`` (YYYY-MM-DD): evaluate every article published on or after that day."""
    raw = settings.get("MTWATCH_SINCE")
    if not raw:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ConfigError(f"MTWATCH_SINCE must be a date like 2023-01-31, got {raw!r}") from None


__all__ = ["CONTEXT_SETTING", "LOADED_CONFIG", "CrawlContext", "config_from_settings",
           "crawl_context", "register", "registered", "since_from_settings"]
