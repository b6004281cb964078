"""Where the alerts of a new match go: (watch, channel) routes, as the store is handed them.

The store knows no watch rules: the caller hands it a :class:`Routing` (the watches of the
config, ``pipelines.alerts.watches``) or, as before watches, a plain list of channel names,
which is the implicit watch (``""``) over every site and topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol, runtime_checkable

#: the watch of a config without ``[watches.*]`` tables (and of every row written before them)
IMPLICIT_WATCH = ""


class Route(NamedTuple):
    """One outbox row per route: the watch it belongs to and the channel it goes through
    (the outbox's ``channel``: "email", or a watch's own "email:<watch>")."""

    watch: str
    channel: str


@runtime_checkable
class Routing(Protocol):
    """Which routes a new match of ``topic`` on ``site`` gets alerts on."""

    def routes(self, site: str, topic: str) -> Sequence[Route]: ...


class ChannelRouting:
    """The implicit watch: every match on every channel of ``channels`` (none: no alert)."""

    def __init__(self, channels: Sequence[str]) -> None:
        self._routes = [Route(IMPLICIT_WATCH, c) for c in dict.fromkeys(channels)]

    def routes(self, site: str, topic: str) -> Sequence[Route]:
        return self._routes


def as_routing(channels: Sequence[str] | Routing) -> Routing:
    """A routing as given, or the implicit watch over a list of channel names."""
    return channels if isinstance(channels, Routing) else ChannelRouting(channels)


def by_watch(routes: Sequence[Route]) -> dict[str, list[str]]:
    """The routes' channels per watch, each once, in the order given."""
    found: dict[str, list[str]] = {}
    for route in routes:
        channels = found.setdefault(route.watch, [])
        if route.channel not in channels:
            channels.append(route.channel)
    return found
