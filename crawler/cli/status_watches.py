"""The watches in `mtwatch status`: what each covers, where it alerts, its alerts by status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.config import Config
from pipelines.untrusted import clean_line

STATUSES = ("pending", "sending", "sent", "dead")


def watch_health(config: Config, counts: Mapping[str, Mapping[str, int]]) -> list[dict[str, Any]]:
    """Every configured watch, then every watch the store has alerts of that is no longer
    configured; ``counts``: alerts and updates of each watch by status (Store.watch_counts)."""
    from pipelines.alerts.watches import route

    found = [{"name": name, "configured": True, "topics": w.topics, "sites": w.sites,
              "channels": [route(c, name) for c in w.channels or []],
              "alerts": _counts(counts.get(name, {}))}
             for name, w in config.watches.items()]  # fmt: skip
    found += [{"name": name, "configured": False, "topics": None, "sites": None,
               "channels": [], "alerts": _counts(counts[name])}
              for name in sorted(counts) if name not in config.watches]  # fmt: skip
    return found


def _counts(by_status: Mapping[str, int]) -> dict[str, int]:
    return {status: int(by_status.get(status, 0)) for status in STATUSES}


def watch_line(watch: Mapping[str, Any]) -> str:
    """``syria: 4 sent, 1 pending; topics all; sites moscowtimes, tass; via email:syria``."""
    alerts = ", ".join(f"{n} {s}" for s, n in watch["alerts"].items() if n) or "no alerts yet"
    if not watch["configured"]:
        return clean_line(f"{watch['name']}: {alerts}; no longer configured")
    topics = ", ".join(watch["topics"]) if watch["topics"] is not None else "all"
    sites = ", ".join(watch["sites"]) if watch["sites"] is not None else "all"
    return clean_line(f"{watch['name']}: {alerts}; topics {topics}; sites {sites}; "
                      f"via {', '.join(watch['channels'])}")
