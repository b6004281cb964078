"""Third parties: which name a relation cue belongs to when it is not one of the sides."""

from __future__ import annotations

from collections.abc import Collection

from .lexicon import Hit
from .topic import Topic
from .view import Cue, SentenceView


def nearest_third_party(cue: Cue, view: SentenceView, exempt: Collection[int] = ()) -> Hit | None:
    """The third-party name closer to the cue than any side mention, if there is one."""
    third = [(first, last, hit) for first, last, hit in view.third if first not in exempt]
    if not third:
        return None
    best_side = min((_distance(cue, m.first, m.last) for m in view.mentions), default=1e9)
    distance, hit = min(((_distance(cue, first, last), hit) for first, last, hit in third),
                        key=lambda item: item[0])
    return hit if distance < best_side else None


def third_party_subject(cue: Cue, view: SentenceView, exempt: Collection[int] = ()) -> Hit | None:
    """The third party named last before the cue with no side named in between: the cue's
    subject ("Arab states moved to restore ties with Damascus")."""
    covered, _ = view.named_positions()
    for pos in range(cue.first - 1, -1, -1):
        if pos in covered:
            return None
        for first, last, hit in view.third:
            if first <= pos <= last and first not in exempt:
                return hit
    return None


def third_party_partner(view: SentenceView, topic: Topic,
                        exempt: Collection[int] = ()) -> Hit | None:
    """A third party coordinated with a side: "Armenia and Turkey", "Saudi Arabia and Syria"."""
    for first, last, hit in view.third:
        if first in exempt:
            continue
        for mention in view.mentions:
            if mention.first > last:
                gap = view.words[last + 1:mention.first]
            elif mention.last < first:
                gap = view.words[mention.last + 1:first]
            else:
                continue
            if coordinated(gap, topic):
                return hit
    return None


def _distance(cue: Cue, first: int, last: int) -> float:
    """Words between the cue and a name; names after the cue (its object) count as nearer."""
    if last < cue.first:
        return cue.first - last
    if first > cue.last:
        return first - cue.last - 0.5
    return 0.0


def coordinated(gap: list[str], topic: Topic) -> bool:
    """The words between two names coordinate them ("and", "or", "и", nothing)."""
    return len(gap) <= topic.windows.pair_gap and all(
        word in topic.context.connectors for word in gap)
