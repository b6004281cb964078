"""Lists of parties: "Jordan, Iraq, Lebanon, Turkey and Syria", "his Jordanian and Syrian
counterparts", "России, Ирана, Турции и Сирии".

A list names the participants of one format. When both sides are in it, the list ties them
together like a coordinated pair; a third party in it is a co-participant, not a veto.
"""

from __future__ import annotations

from dataclasses import dataclass

from .topic import Topic

#: separators that may stand between two items of a list
_ITEM_SEPS = frozenset({"", ","})


@dataclass(frozen=True, slots=True)
class Group:
    """Parties named together at word positions ``first..last``.

    ``sides``: the sides among them; ``third``: word positions of third parties among them.
    ``virtual``: the group stands for an earlier sentence's parties ("the two neighbours").
    """

    first: int
    last: int
    sides: frozenset[int]
    third: frozenset[int]
    virtual: bool = False

    def covers(self, pos: int) -> bool:
        return self.first <= pos <= self.last


@dataclass(frozen=True, slots=True)
class Item:
    """One candidate list item: a side mention, a third party or an unknown proper name."""

    first: int
    last: int
    side: int | None = None
    third: bool = False


def find_groups(items: list[Item], words: list[str], seps: list[str],
                topic: Topic) -> list[Group]:
    """Lists of at least three items, or of two items with a third party among them, holding
    at least one side. Items are separated by commas, the last by a conjunction ("and", "и")
    — or by commas only in a list of three or more."""
    conjunctions = topic.context.conjunctions
    items = sorted(items, key=lambda item: item.first)
    groups: list[Group] = []
    run: list[Item] = []
    conjoined = False
    for item in items:
        if run and _continues(run[-1], item, words, seps, conjunctions):
            conjoined = conjoined or item.first - run[-1].last > 1
            run.append(item)
            continue
        _close(run, conjoined, groups)
        run, conjoined = [item], False
    _close(run, conjoined, groups)
    return groups


def _continues(previous: Item, item: Item, words: list[str], seps: list[str],
               conjunctions: object) -> bool:
    gap = range(previous.last + 1, item.first)
    if len(gap) > 1:
        return False
    if not gap:
        return seps[item.first] == ","
    pos = gap[0]
    return (words[pos] in conjunctions  # type: ignore[operator]
            and seps[pos] in _ITEM_SEPS and seps[item.first] == "")


def _close(run: list[Item], conjoined: bool, groups: list[Group]) -> None:
    sides = frozenset(item.side for item in run if item.side is not None)
    third = frozenset(pos for item in run if item.third
                      for pos in range(item.first, item.last + 1))
    named = sum(1 for item in run if item.side is not None or item.third)
    if not sides or named < 2:
        return
    if len(run) >= 3 or (conjoined and third):
        groups.append(Group(run[0].first, run[-1].last, sides, third))
