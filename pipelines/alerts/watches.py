"""Watches: which topics on which sites alert through which channels (``[watches.<name>]``).

Pure routing, handed to the store as its ``pipelines.storage.routes.Routing``.

A config without watches has one implicit watch (``""``): every topic on every site, to the
``[alerts]`` channels, its rows going through the channels themselves ("email"), keyed and
worded exactly as before watches. A named watch's rows go through channels of its own,
``<channel>:<watch>`` ("email:energy"): its own recipients, delivery mode, digests, and hold
when its endpoint fails; their keys are the watch's own (``pipelines.alerts.policy.watch_key``).

One article matching two watches alerts each watch once. An article matching two topics of one
watch alerts that watch once per topic, as it does without watches. A story's thread is per
watch and topic: the first article of a story that a watch covers alerts that watch; the
story's later reports it covers are updates threaded under that alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipelines.storage.routes import IMPLICIT_WATCH, Route

#: separates a channel from its watch in a route's name ("email:energy")
_JOIN = ":"


def route(channel: str, watch: str) -> str:
    """The outbox channel of ``watch``'s alerts on ``channel``."""
    return channel if watch == IMPLICIT_WATCH else f"{channel}{_JOIN}{watch}"


def split_route(name: str) -> tuple[str, str]:
    """(channel, watch) of a route's name: ``"email:energy"`` → ``("email", "energy")``."""
    channel, _, watch = name.partition(_JOIN)
    return channel, watch


@dataclass(frozen=True)
class Watch:
    """One watch: its name, its channels, and the topics and sites it covers (None: all)."""

    name: str
    channels: tuple[str, ...]
    #: topic ids (as in match rows); None: every topic
    topics: frozenset[str] | None = None
    #: site names; None: every site
    sites: frozenset[str] | None = None

    def covers(self, site: str, topic: str) -> bool:
        return ((self.topics is None or topic in self.topics)
                and (self.sites is None or site in self.sites))  # fmt: skip

    @property
    def routes(self) -> list[Route]:
        return [Route(self.name, route(channel, self.name))
                for channel in dict.fromkeys(self.channels)]


class Watches:
    """Every watch of a config: the routes a new match alerts on."""

    def __init__(self, watches: Iterable[Watch]) -> None:
        self.watches = tuple(watches)
        names = [w.name for w in self.watches]
        if len(set(names)) != len(names):
            raise ValueError(f"two watches share a name: {names}")

    @classmethod
    def implicit(cls, channels: Sequence[str]) -> Watches:
        """The watch of a config without watches: everything to ``channels``."""
        return cls([Watch(IMPLICIT_WATCH, tuple(channels))])

    def routes(self, site: str, topic: str) -> list[Route]:
        """The routes of every watch that covers ``topic`` on ``site``, watch by watch."""
        return [r for w in self.watches if w.covers(site, topic) for r in w.routes]

    @property
    def every_route(self) -> list[Route]:
        """Every route of every watch (whatever it covers)."""
        return [r for w in self.watches for r in w.routes]
