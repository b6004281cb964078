"""Which side mentions govern a relation cue: "Türkiye's rapprochement", "Turkish-Syrian talks"."""

from __future__ import annotations

from .lexicon import Hit
from .segment import Token
from .topic import Topic


def governing(sides: list[tuple[Hit, int, int]], toks: list[Token], joined: list[bool],
              words: list[str], cues: list[tuple[str, int]], topic: Topic) -> list[bool]:
    """Which side mentions are the possessor or the modifier of a relation cue.

    A possessive side ("Türkiye's rapprochement", "Ankara's long-awaited thaw") governs a cue
    that follows it within the cue class's ``possessor_gap`` words (determiners such as
    "new" not counted: "Turkey's new opening to Damascus"); a coordinated pair governs one
    when its second half does, or is followed by the cue within that gap ("Turkish-Syrian
    talks", "Turkey and Syria's rapprochement"). The words between must form one noun phrase:
    no comma, no preposition or connector ("Turkey's president on normalization" does not).
    """
    context = topic.context
    determiners = context.determiners
    stops = context.phrase_stops
    max_gap = max((c.possessor_gap or 0 for c in topic.cues), default=0)

    # The largest possessor_gap of the cue classes starting at each word.
    reach_at: dict[int, int] = {}
    for cls, first in cues:
        gap = topic.cue_class(cls).possessor_gap
        if gap is not None:
            reach_at[first] = max(gap, reach_at.get(first, 0))
    size = len(words)

    def heads_cue(last: int) -> bool:
        """Walk the noun phrase after ``last`` until a cue close enough for its class."""
        between = 0
        for pos in range(last + 1, size):
            if not joined[pos]:
                return False
            if reach_at.get(pos, -1) >= between:
                return True
            word = words[pos]
            if word in determiners:
                continue
            between += 1
            if word in stops or between > max_gap:
                return False
        return False

    result = [toks[last].possessive and heads_cue(last) for _, _, last in sides]
    connectors, reach = context.connectors, topic.windows.pair_gap
    for i in range(len(sides) - 2, -1, -1):
        (one, _, last), (two, first2, last2) = sides[i], sides[i + 1]
        middle = words[last + 1:first2]
        if (two.code != one.code and len(middle) <= reach and all(w in connectors for w in middle)
                and all(joined[last + 1:first2 + 1]) and (result[i + 1] or heads_cue(last2))):
            result[i] = result[i + 1] = True
    return result
