"""How tightly a relation cue ties the two sides together within one sentence."""

from __future__ import annotations

from collections.abc import Iterator

from .lexicon import Hit
from .topic import Topic
from .view import NONPARTY, Cue, Mention, SentenceView

TIGHT, PAIRED, ACTORS, LOOSE = "tight", "paired", "actors", "loose"
Span = tuple[int, int]


def find_pairs(view: SentenceView, topic: Topic) -> list[Span]:
    """Word spans where the two sides are coordinated: "Turkey and Syria", "Turkish-Syrian".

    A pair governed by "with"/"to" ("Putin spoke with Erdogan and Assad") is someone else's
    contact with both sides and is left out, unless the pair modifies a cue ("pointed to
    Turkish-Syrian talks": "to" governs the talks, not the sides).
    """
    parties = sorted((m for m in view.mentions if m.role != NONPARTY), key=lambda m: m.first)
    reach = topic.windows.pair_gap + 1
    spans: list[tuple[int, int, bool]] = []
    for i, one in enumerate(parties):
        for two in parties[i + 1:]:
            if two.first - one.last > reach:
                break
            if one.side != two.side and one.last < two.first and _coordinated(
                    view.words[one.last + 1:two.first], topic):
                spans.append((one.first, two.last, one.governs))
    return [(first, last) for first, last, governs in spans
            if governs or not shared_object(view, first, topic)]


def shared_object(view: SentenceView, first: int, topic: Topic) -> bool:
    """True when the words before position ``first`` are "with"/"to" (plus determiners and
    a possessive side naming the same person's country: "with Turkey's Erdogan and …")."""
    qualifiers = {p for m in view.mentions if m.possessive for p in range(m.first, m.last + 1)}
    for pos in range(first - 1, -1, -1):
        if pos in qualifiers:
            continue
        word = view.words[pos]
        if word in topic.context.links:
            return True
        if word not in topic.context.determiners:
            return False
    return False


def _coordinated(gap: list[str], topic: Topic) -> bool:
    return len(gap) <= topic.windows.pair_gap and all(
        word in topic.context.connectors for word in gap)


def bind(cue: Cue, view: SentenceView, pairs: list[Span], topic: Topic, *,
         elsewhere: bool = False) -> str | None:
    """Binding of ``cue``: tight, paired, actors, loose, or None when a side is missing.

    ``elsewhere`` says the sentence reports a meeting with someone who is neither side
    ("Erdogan, who once called Assad a terrorist, met Putin"): two leaders named in it
    are then not enough to tie a cue to both.
    """
    if any(_next_to(cue, span, topic.windows.adjacent) for span in pairs):
        return TIGHT
    if _bridged(cue, view, topic):
        return TIGHT
    if pairs:
        return PAIRED
    if len(view.sides(parties_only=True)) < 2:
        return None
    actors = {m.side for m in view.mentions if m.role == "actor"}
    return ACTORS if len(actors) == 2 and not elsewhere else LOOSE


def meets_someone_else(view: SentenceView, topic: Topic) -> bool:
    """True when a transitive cue takes a capitalized name that is not a side as object,
    or when both sides are the joint object of "with"/"to"."""
    if any(not m.governs and _coordinated_with_other(view, m, topic)
           and shared_object(view, m.first, topic) for m in view.mentions):
        return True
    if view.title_case:
        return False
    for cue in view.cues:
        if not cue.transitive:
            continue
        for pos in range(cue.last + 1, min(cue.last + 2 + topic.windows.bridge_gap,
                                           len(view.words))):
            if view.mention_starting(pos) is not None:
                break
            if view.capitals[pos]:
                return True
            if view.words[pos] not in topic.context.determiners | topic.context.links:
                break
    return False


def _next_to(cue: Cue, span: Span, adjacent: int) -> bool:
    if cue.last < span[0]:
        return span[0] - cue.last - 1 <= adjacent
    if cue.first > span[1]:
        return cue.first - span[1] - 1 <= adjacent
    return True


def _bridged(cue: Cue, view: SentenceView, topic: Topic) -> bool:
    """``<side A> … cue [with|to] <side B>``: the cue takes side B as its object."""
    for other in _objects(cue, view, topic):
        # The subject is a party named before the cue; after it, only an actor can be one
        # ("… met Erdogan, days after jets bombed Syria's Idlib" does not tie Syria in).
        if any(m.side != other.side and m.role != NONPARTY
               and (m.last < cue.first or m.role == "actor") for m in view.mentions):
            return _subject_clear(cue, view, topic)
    return False


def _objects(cue: Cue, view: SentenceView, topic: Topic) -> Iterator[Mention]:
    """The side mentions the cue may take as its object, nearest first.

    A party right after a noun cue may be its possessor rather than its object (Russian
    genitive: "визит Эрдогана в Сирию", "Erdogan's visit to Syria"), so the scan goes on past
    one party to the next mention.
    """
    linked = cue.transitive
    context = topic.context
    stop = min(cue.last + 2 + topic.windows.bridge_gap, len(view.words))
    pos, seen = cue.last + 1, 0
    while pos < stop:
        mention = view.mention_starting(pos)
        if mention is not None:
            mention = _head(view, mention)
            if _coordinated_with_other(view, mention, topic):
                return
            usable = mention.role != NONPARTY or (mention.linkable and linked)
            if not usable:
                return
            if linked:
                yield mention
            seen += 1
            if seen == 2:
                return
            pos = mention.last + 1
            continue
        word = view.words[pos]
        if word in context.links:
            linked = True
        elif word not in context.determiners:
            return
        pos += 1


def _head(view: SentenceView, mention: Mention) -> Mention:
    """The named person of "Turkey's Erdogan" (a possessive side qualifying the same side)."""
    while mention.possessive:
        head = view.mention_starting(mention.last + 1)
        if head is None or head.side != mention.side:
            break
        mention = head
    return mention


def _coordinated_with_other(view: SentenceView, mention: Mention, topic: Topic) -> bool:
    """The object is one half of a pair ("talks with Erdogan and Assad")."""
    for pos in range(mention.last + 1, mention.last + 2 + topic.windows.pair_gap):
        other = view.mention_starting(pos)
        if other is not None and other.side != mention.side:
            return _coordinated(view.words[mention.last + 1:pos], topic)
    return False


def _subject_clear(cue: Cue, view: SentenceView, topic: Topic) -> bool:
    """False when a third party, not a side, is the nearest name before the cue."""
    covered, third = view.named_positions()
    for pos in range(cue.first - 1, max(-1, cue.first - 1 - topic.windows.subject_window), -1):
        if pos in covered or view.words[pos] in topic.context.pronouns:
            return True
        if pos in third:
            return False
    return True


def nearest_third_party(cue: Cue, view: SentenceView) -> Hit | None:
    """The third-party name closer to the cue than any side mention, if there is one."""
    if not view.third:
        return None
    best_side = min((_distance(cue, m.first, m.last) for m in view.mentions), default=1e9)
    distance, hit = min(((_distance(cue, first, last), hit) for first, last, hit in view.third),
                        key=lambda item: item[0])
    return hit if distance < best_side else None


def third_party_subject(cue: Cue, view: SentenceView) -> Hit | None:
    """The third party named last before the cue with no side named in between: the cue's
    subject ("Arab states moved to restore ties with Damascus")."""
    covered, _ = view.named_positions()
    for pos in range(cue.first - 1, -1, -1):
        if pos in covered:
            return None
        for first, last, hit in view.third:
            if first <= pos <= last:
                return hit
    return None


def third_party_partner(view: SentenceView, topic: Topic) -> Hit | None:
    """A third party coordinated with a side: "Armenia and Turkey", "Saudi Arabia and Syria"."""
    for first, last, hit in view.third:
        for mention in view.mentions:
            if mention.first > last:
                gap = view.words[last + 1:mention.first]
            elif mention.last < first:
                gap = view.words[mention.last + 1:first]
            else:
                continue
            if _coordinated(gap, topic):
                return hit
    return None


def _distance(cue: Cue, first: int, last: int) -> float:
    """Words between the cue and a name; names after the cue (its object) count as nearer."""
    if last < cue.first:
        return cue.first - last
    if first > cue.last:
        return first - cue.last - 0.5
    return 0.0
