"""The configuration of one crawl process: config files + env + Scrapy ``-s MTWATCH_*`` settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from crawler.config import Config, ConfigError, load_config


def config_from_settings(settings: Any) -> Config:
    """The crawl's config: the crawl context's, or the one the spider loaded into the settings
    (``update_settings``), else loaded now; ``-s MTWATCH_SITE=…``/``MTWATCH_DB_URL``/
    ``MTWATCH_CONFIG`` win over files and environment."""
    from crawler.context import LOADED_CONFIG, registered

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
