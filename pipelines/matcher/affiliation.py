"""Whose a name, an office or a pronoun is: the sentence-level readings coreference uses.

A person is fixed to a side by the title phrase next to the name ("Syria's Energy Minister
X", "X, Syria's economy minister", "министр обороны Сирии X"); whoever stands right before
the office word owns it ("the U.S. ambassador to Turkey" is not Turkey's). Borrowed sides are
added to a sentence as virtual mentions ("lend").
"""

from __future__ import annotations

from .lexicon import SIDE, THIRD, Hit
from .roles import NONPARTY, phrases_at
from .topic import Topic
from .view import Mention, SentenceView

OTHER = -1  # a third party
UNKNOWN = -2  # someone the lexicon does not know


def venues_in(view: SentenceView, topic: Topic) -> set[int]:
    """Positions of mentions that only say where something happened ("in the Turkish
    capital"): a venue is not one of the parties an anaphor can mean. A government named by
    its seat ("the authorities in Damascus", "смены власти в Дамаске") is no venue."""
    skip = topic.context.determiners
    venues = set()
    for m in view.mentions:
        pos = m.first - 1
        while pos >= 0 and view.words[pos] in skip and view.joined[pos + 1]:
            pos -= 1
        if pos >= 0 and view.words[pos] in topic.context.venue_before and not (
                pos and view.joined[pos]
                and f"{view.words[pos - 1]} {view.words[pos]}" in topic.context.actor_before):
            venues.add(m.first)
    return venues


def at_venue(view: SentenceView, pos: int, topic: Topic) -> bool:
    """The name at ``pos`` follows "in"/"в": where, not who."""
    return pos > 0 and view.words[pos - 1] in topic.context.venue_before


def lend(view: SentenceView, owner: int, first: int, last: int) -> None:
    """Add a virtual mention of side ``owner`` (or a third party) at words first..last."""
    start, end = view.offsets[first][0], view.offsets[last][1]
    if owner == OTHER:
        view.third.append((first, last, Hit(start, end, THIRD, THIRD, 0)))
    elif owner >= 0:
        hit = Hit(start, end, SIDE, "actor", owner)
        view.mentions.append(Mention(owner, first, last, "actor", False, hit, virtual=True))
        view.mentions.sort(key=lambda m: (m.first, m.last))
    view.refresh()


def qualified(view: SentenceView, pos: int, runs: list[tuple[int, int]], topic: Topic) -> bool:
    """An office word with its own country or holder: a possessor or adjective before it
    ("Turkey's foreign minister", "the U.S. ambassador"), or a genitive, a name or a
    country right after it in the same noun phrase ("министр обороны Сирии", "President
    Erdogan", "ambassador to Turkey") — not a place named with "in"/"в"."""
    if qualifier(view, pos, topic) is not None or _seated(view, pos, topic):
        return True
    starts = {first for first, _ in runs} | {first for first, _, _ in view.third}
    starts |= {m.first for m in view.mentions}
    # a place named with "in"/"в" says where, not whose: "the president stopped in Istanbul"
    starts = {first for first in starts if not at_venue(view, first, topic)}
    cues = {p for cue in view.cues for p in range(cue.first, cue.last + 1)}
    for nxt in range(pos + 1, min(len(view.words), pos + 4)):
        if not view.joined[nxt] or nxt in cues or view.words[nxt] in topic.coreference.offices:
            return False
        if nxt in starts:
            return True
    return False


#: words of a ministry's field between it and "в" ("Министерство сельского хозяйства в")
_SEAT_FIELD = 3


def _seated(view: SentenceView, pos: int, topic: Topic) -> bool:
    """A collective office right before "in"/"в" and a side's place: "the government in
    Damascus", "власти в Анкаре", "Министерство сельского хозяйства в Дамаске" (its field
    between, [context] actor_before words: that side's own)."""
    context = topic.context
    at = pos + 1
    while at < len(view.words) and at - pos <= _SEAT_FIELD and view.joined[at]:
        if (at + 1 < len(view.words) and view.joined[at + 1]
                and f"{view.words[at]} {view.words[at + 1]}" in context.actor_before):
            at += 2
        elif view.words[at] in context.actor_before and view.words[at] not in context.links:
            at += 1
        else:
            break
    if (view.words[pos] not in context.seated or at + 1 >= len(view.words)
            or not view.joined[at] or view.words[at] not in context.venue_before
            or not view.joined[at + 1]):
        return False
    return view.mention_starting(at + 1) is not None


def phrase_around(view: SentenceView, first: int, last: int, back: int = 3,
            ahead: int = 4) -> tuple[int, int]:
    """The words around first..last within one run of joined words."""
    lo = first
    while lo > 0 and first - lo < back and view.joined[lo]:
        lo -= 1
    hi = last
    while hi + 1 < len(view.words) and hi - last < ahead and view.joined[hi + 1]:
        hi += 1
    return lo, hi


def title_owner(view: SentenceView, first: int, last: int, topic: Topic) -> int | None:
    """Whose a name is, from the title phrase before it ("Syria's Energy Minister X",
    "министр обороны Сирии X", "Turkey's deputy trade minister, X") or the apposition after
    it ("X, Syria's economy minister")."""
    before = first - 1
    named = view.proper | {p for m in view.mentions for p in range(m.first, m.last + 1)}
    adjacent = before >= 0 and (view.words[before] in topic.coreference.offices
                                or before in named)
    if adjacent and any(m.first <= before <= m.last and m.role == NONPARTY
                        for m in view.mentions):
        # "the leadership of the Syrian National Coalition": a side's demonym that the words
        # after it make no party opens an organisation's name, not a person's title
        adjacent = False
    if adjacent and (view.joined[first] or view.seps[first] == ","):
        # the title phrase runs back to the last cue before it: in "Syria's President X
        # met President Y", Y's title is the second "President", no one's
        lo = max([max(0, before - 5)] + [cue.last + 1 for cue in view.cues
                                         if cue.last < before])
        owner = phrase_owner(view, lo, before, topic, need_office=True)
        if owner is not None:
            return owner
    after = last + 1
    if after < len(view.words) and view.seps[after] == ",":
        end = min(len(view.words) - 1, after + 5)
        # "X, Syria's foreign minister Y and …" lists Y, it does not describe X
        if any(view.capitals[p] and p not in view.proper and p not in view.acronyms
               and p not in view.covered for p in range(after + 1, end + 1)):
            end = next(p for p in range(after + 1, end + 1) if view.capitals[p]
                       and p not in view.proper and p not in view.acronyms
                       and p not in view.covered) - 1
        return phrase_owner(view, after, end, topic, need_office=True)
    return None


def phrase_owner(view: SentenceView, lo: int, hi: int, topic: Topic, *,
                  need_office: bool) -> int | None:
    """The one side (or OTHER) named in words lo..hi next to an office word. Whatever stands
    right before the office word owns it ("the U.S. ambassador to Turkey" is not Turkey's):
    a side, a third party, or an unknown name (then nobody here)."""
    if need_office:
        office = next((p for p in range(lo, hi + 1)
                       if view.words[p] in topic.coreference.offices), None)
        if office is None:
            return None
        owner = qualifier(view, office, topic)
        if owner is not None:
            return None if owner == UNKNOWN else owner
        # a party before "with"/"to" is the other party of a contact, not the office's
        # owner: "talks with Foreign Minister Sergei Lavrov"
        links = topic.context.prepositions
        lo = max([lo] + [p + 1 for p in range(lo, office) if view.words[p] in links])
    else:
        lo, hi = phrase_around(view, lo, hi)
    sides = {m.side for m in view.mentions if lo <= m.first <= hi and not m.virtual
             and not at_venue(view, m.first, topic)}
    third = any(lo <= first <= hi for first, _, _ in view.third)
    if len(sides) == 1 and not third:
        return next(iter(sides))
    if third and not sides:
        return OTHER
    return None


def qualifier(view: SentenceView, office: int, topic: Topic) -> int | None:
    """Who stands right before an office word: a side, OTHER, UNKNOWN (a capitalized name
    the lexicon does not know), or None (nobody: "the foreign minister in Syria's …")."""
    stops = topic.context.function_words
    pos = office - 1
    named = False  # passed a capitalized word: "Energy", or someone's "Russian"
    # a verb taking an object ends the modifiers: in "al-Sharaa met President Trump" no
    # one qualifies "President"
    verbs = {p for cue in view.cues if cue.transitive and cue.last < office
             for p in range(cue.first, cue.last + 1)}
    # modifiers: "deputy trade", "Energy", but not "and", "the" or a comma
    while (pos >= 0 and view.attached(pos + 1) and pos not in view.proper
           and pos not in view.acronyms and view.words[pos] not in stops
           and pos not in verbs):
        named = named or (view.capitals[pos] and not view.title_case and pos > 0
                          and view.words[pos] not in topic.coreference.fields)
        pos -= 1
    if pos < 0 or not view.attached(pos + 1):
        return UNKNOWN if named else None
    if pos in view.acronyms:
        return UNKNOWN
    mention = next((m for m in view.mentions if m.first <= pos <= m.last and not m.virtual), None)
    if mention is not None:
        return None if at_venue(view, mention.first, topic) else mention.side
    if any(first <= pos <= last for first, last, _ in view.third):
        return OTHER
    return UNKNOWN if named else None


def party_before(view: SentenceView, pos: int) -> int | None:
    """The side (or OTHER) of the nearest party named before word ``pos``."""
    best: tuple[int, int] | None = None
    for m in view.mentions:
        if m.last < pos and m.role != NONPARTY and (best is None or m.last > best[0]):
            best = (m.last, m.side)
    for _, last, _ in view.third:
        if last < pos and (best is None or last > best[0]):
            best = (last, OTHER)
    return None if best is None else best[1]


def first_country(view: SentenceView, topic: Topic) -> int | None:
    """The first party named as a country or government, not in a prepositional phrase
    (a side, or OTHER for a third country): "Турция тем временем …" -> Turkey."""
    governed = topic.context.venue_before | topic.context.links
    named = [(m.first, m.side) for m in view.mentions if m.role != NONPARTY and not m.virtual
             and (m.first == 0 or view.words[m.first - 1] not in governed)]
    named += [(first, OTHER) for first, _, _ in view.third
              if first == 0 or view.words[first - 1] not in governed]
    return min(named)[1] if named else None


def first_named(view: SentenceView, runs: list[tuple[int, int]], topic: Topic) -> int | None:
    """The sentence's subject, roughly: its first actor, third party or unknown name that
    is not in a prepositional phrase ("in Gaziantep")."""
    ctx = topic.context
    governed = ctx.prepositions

    def free(pos: int) -> bool:
        return pos == 0 or view.words[pos - 1] not in governed

    named = [(m.first, m.side) for m in view.mentions if m.role == "actor" and free(m.first)]
    # a side's country opening the sentence before an auxiliary ("Turkey was the first.",
    # «Турция была первой»): the state is the subject, as its government would be
    named += [(m.first, m.side) for m in view.mentions
              if m.first == 0 and m.role != NONPARTY and len(view.words) > m.last + 1
              and view.joined[m.last + 1] and not view.possessive[m.last]
              and view.words[m.last + 1] in topic.coreference.passive]
    named += [(first, OTHER) for first, _, _ in view.third if free(first)]
    # a lone capitalized word opening the sentence may be any word ("Speaking at …")
    named += [(first, UNKNOWN) for first, last in runs
              if (first or last) and free(first) and not _field_of_office(view, first, last, topic)
              and not any(m.first == first for m in view.mentions)]
    speaker = _inverted_speaker(view, named, topic)
    if speaker is not None:
        return speaker
    return min(named)[1] if named else None


#: words a speech tag after a comma may stand before its speaker's office ("…, заявил в
#: интервью катарскому телеканалу глава МИД Турции")
_TAG_REACH = 6


def _inverted_speaker(view: SentenceView, named: list[tuple[int, int]],
                      topic: Topic) -> int | None:
    """The speaker of a speech tag after a comma, named after it ("…, заявил в интервью
    катарскому телеканалу глава МИД Турции Хакан Фидан", "…, said Turkish Foreign Minister
    Hakan Fidan"): the sentence's subject, whoever the reported clause or an adjunct names
    first. The speaker is the name right after the tag, or one an office word holds
    (a genitive after "глава МИД"), not one an adjunct names ("катарскому телеканалу")."""
    sources, words = topic.context.sources, view.words
    for pos in range(1, len(words)):
        if view.seps[pos] != "," or not sources.match_at(words, pos):
            continue
        size = sources.match_at(words, pos)
        for first, side in sorted(named):
            if first < pos + size or first > pos + size + _TAG_REACH:
                continue
            if first == pos + size or topic.context.actor_before.any_of(
                    phrases_at(words, first - 1, -1)):
                return side
        return None
    return None


def _field_of_office(view: SentenceView, first: int, last: int, topic: Topic) -> bool:
    """A run of capitalized office fields right before an office word ("…, Energy Minister
    Alparslan Bayraktar said"): part of a title, no one's name."""
    after = last + 1
    return (after < len(view.words) and view.words[after] in topic.coreference.offices
            and all(view.words[pos] in topic.coreference.fields
                    for pos in range(first, last + 1)))
