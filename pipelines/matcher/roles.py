"""A side mention's role from its neighbours, and two-part cues from their parts."""

from __future__ import annotations

from .lexicon import NEAR1, NEAR2, Hit
from .topic import Context, Topic, WordSet

NONPARTY = "nonparty"


def phrases_at(words: list[str], start: int, step: int) -> set[str]:
    """The one- and two-word phrases that begin (step 1) or end (step -1) at ``start``."""
    if not 0 <= start < len(words):
        return set()
    found = {words[start]}
    other = start + step
    if 0 <= other < len(words):
        pair = (words[start], words[other]) if step > 0 else (words[other], words[start])
        found.add(" ".join(pair))
    return found


#: Russian adjective endings (the agreeing forms): «турецкие», «строительных», «сирийской»
_ADJECTIVE_ENDINGS = ("ые", "ие", "ых", "их", "ая", "яя", "ую", "юю", "ой", "ый", "ий", "ое",
                      "ее", "ого", "его", "ому", "ему", "ым", "им", "ыми", "ими")


def adjectival(word: str) -> bool:
    """A Russian word shaped as an adjective (four letters or more, so no «их», «мой»)."""
    return len(word) >= 4 and word.endswith(_ADJECTIVE_ENDINGS) and "а" <= word[0] <= "я"


def mention_role(base: str, first: int, last: int, words: list[str], context: Context, *,
                 possessor: bool = False, nonparty: WordSet | None = None,
                 fields: WordSet | None = None) -> tuple[str, bool]:
    """Role of a mention from its base role and the words around it.

    The words before a ``possessor`` (of a cue or of an actor word) belong to the phrase it
    opens ("adjusting to [Türkiye's rapprochement]", "wrote to [Turkey's president]"), so
    they cannot make it a non-party. A nonparty word that is an office's ``fields`` word
    with an office right after it names the office ("Syria's tourism minister"), not the
    trade ("Syrian tourism").
    """
    after = phrases_at(words, last + 1, 1)
    if context.nonparty_after.any_of(after) or (nonparty is not None and nonparty.any_of(after)):
        office = last + 2 < len(words) and fields is not None and words[last + 1] in fields
        if not (office and context.actor_after.any_of({words[last + 2]})):
            return NONPARTY, False
        return "actor", False
    if (last + 2 < len(words) and adjectival(words[last]) and adjectival(words[last + 1])
            and not context.actor_after.any_of({words[last + 1]})
            and context.nonparty_after.any_of(phrases_at(words, last + 2, 1))):
        # an adjectival side before another adjective and a non-party noun: «турецкие
        # строительные холдинги» are firms as «турецкие холдинги» are
        return NONPARTY, False
    before = set() if possessor else phrases_at(words, first - 1, -1)
    # "президент Турции", "власти Сирии": a genitive side after its actor noun.
    if context.actor_before.any_of(before):
        return "actor", False
    if context.nonparty_before.any_of(before):
        return NONPARTY, False
    if base == "place" and context.place_nonparty_before.any_of(before):
        return NONPARTY, True
    following = phrases_at(words, last + 1, 1) | phrases_at(words, last + 2, 1)
    if context.actor_after.any_of(following):
        return "actor", False
    return base, False


NearCue = tuple[str, int, int, tuple[Hit, Hit]]


def near_cues(near: list[tuple[Hit, int, int]], topic: Topic) -> list[NearCue]:
    """Pair each first part with a later second part of the same two-part cue: (class,
    first word, last word, the two hits)."""
    found: list[NearCue] = []
    for one, first, last in near:
        if one.kind != NEAR1:
            continue
        gap = topic.cue_class(one.key).near[one.code].max_gap
        for two, first2, last2 in near:
            if (two.kind == NEAR2 and two.key == one.key and two.code == one.code
                    and 0 < first2 - last <= gap + 1):
                found.append((one.key, first, last2, (one, two)))
                break
    return found
