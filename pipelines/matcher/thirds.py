"""Third parties: which name a relation cue belongs to when it is not one of the sides."""

from __future__ import annotations

from collections.abc import Collection

from .lexicon import Hit
from .roles import NONPARTY
from .topic import Topic
from .view import Cue, Mention, SentenceView


def nearest_third_party(cue: Cue, view: SentenceView, topic: Topic,
                        exempt: Collection[int] = ()) -> Hit | None:
    """The third-party name closer to the cue than any side mention, if there is one. A name
    after the cue in another clause (", Iraq's foreign ministry said") or among the
    co-participants ("together with Jordanian and Iraqi officers") is not the cue's party.
    A group phrase read as one side and a third party ("о сближении двух стран" after a
    sentence on Riyadh and Damascus) is as near as its side: the relation is that pair's."""
    third = [(first, last, hit) for first, last, hit in view.third
             if first not in exempt and not aside(cue, view, first, topic)
             and not topic_of(cue, view, first, topic)
             and not teller(view, first, last, topic)
             and not object_of_another(cue, view, first, last, topic)]
    if not third:
        return None
    best_side = min((_distance(cue, m.first, m.last) for m in view.mentions), default=1e9)
    lent = {(m.first, m.last) for m in view.mentions if m.virtual}
    # nearest first; on a tie, a third party lent the same words as a side
    distance, shared, hit = min(((_distance(cue, first, last), (first, last) not in lent, hit)
                                 for first, last, hit in third), key=lambda item: item[:2])
    return hit if distance < best_side or (distance == best_side and not shared) else None


def object_of_another(cue: Cue, view: SentenceView, first: int, last: int,
                       topic: Topic) -> bool:
    """The third party at words ``first``…``last`` is the object of an earlier transitive
    cue, and a conjunction opens the next verb phrase before this cue: "he hosted NATO
    foreign ministers and held a trilateral meeting with … Syria's foreign minister" (NATO
    was hosted; the meeting is another act)."""
    if last >= cue.first:
        return False
    words, context = view.words, topic.context
    # (its office words between, or others listed first: "met the emir of Qatar and …",
    # "met Donald Trump, Emmanuel Macron and the emir of Qatar, and …")
    named, _ = view.named_positions()
    owner = next((other for other in view.cues if other is not cue and other.transitive
                  and other.last < first and all(
                      (words[p] in context.determiners or _office_of(words[p], topic)
                       or (p not in named and (view.capitals[p]
                                               or words[p] in context.conjunctions)))
                      and (view.joined[p] or view.seps[p] == ",")
                      for p in range(other.last + 1, first))
                  and (view.joined[first] or view.seps[first] == ",")), None)
    if owner is None:
        return False
    conjunction = next((p for p in range(last + 1, cue.first)
                        if words[p] in context.conjunctions), None)
    if conjunction is None:
        return False
    # the same subject goes on: no one named, no office or pronoun opens the next clause
    # ("… and the emir met …" has a subject of its own)
    named, thirds = view.named_positions()
    return not any(p in named or p in thirds or view.capitals[p] or p in view.acronyms
                   or words[p] in topic.coreference.offices or words[p] in context.pronouns
                   for p in range(conjunction + 1, cue.first))


def _office_of(word: str, topic: Topic) -> bool:
    """An office word or the "of" that ties it to its holder ("the emir of", "the
    president of")."""
    return (word in topic.coreference.offices or word in topic.context.actor_after
            or word in topic.context.holders)


#: how far before a third party a companion phrase may stand, the list's other items between
#: ("вместе с иорданскими и иракскими военными", "as well as officials from Azerbaijan and
#: Qatar")
_COMPANION_REACH = 8


def aside(cue: Cue, view: SentenceView, first: int, topic: Topic) -> bool:
    """The third party at word ``first`` stands apart from the cue: after it in another
    clause (a comma or a colon between: "Syria-Turkey thaw: Baghdad venue in frame"), or
    after a companion phrase with no side or cue between."""
    if first > cue.last and any(view.seps[p] == "," or ":" in view.seps[p]
                                for p in range(cue.last + 1, first + 1)):
        return True
    return accompanying(view, first, topic)


def accompanying(view: SentenceView, first: int, topic: Topic) -> bool:
    """The third party at word ``first`` follows a companion phrase, with no side or cue
    between ("together with Jordanian officers", «…, а также представители Азербайджана»):
    it takes part alongside the sides."""
    companions = topic.context.companions
    if not companions:
        return False
    named, _ = view.named_positions()
    # (a companion phrase may be a cue itself: "вместе с" is one when a side follows it)
    cues = {p for other in view.cues if not companions.match_at(view.words, other.first)
            for p in range(other.first, other.last + 1)}
    for pos in range(first - 1, max(-1, first - 1 - _COMPANION_REACH), -1):
        if pos in named or pos in cues:
            break
        size = companions.match_at(view.words, pos)
        if size and pos + size <= first:
            return True
    return _listed_after_companion(view, first, named, cues, topic)


#: how many words a list after a companion phrase may hold before the third party
_LIST_REACH = 12


def _listed_after_companion(view: SentenceView, first: int, named: Collection[int],
                            cues: Collection[int], topic: Topic) -> bool:
    """The third party at word ``first`` closes a list a companion phrase opens, after a
    side's official ("sat alongside Turkish Energy Minister Alparslan Bayraktar and Qatari
    officials"): everyone in the list took part alongside the sides. Only names, offices,
    determiners and conjunctions stand between, and a side's name among them."""
    words, coref, context = view.words, topic.coreference, topic.context
    side_seen = False
    for pos in range(first - 1, max(-1, first - 1 - _LIST_REACH), -1):
        if not view.joined[pos + 1] and view.seps[pos + 1] != ",":
            return False
        size = topic.context.companions.match_at(words, pos)
        if size and pos + size <= first:
            return side_seen
        if pos in cues:
            return False
        if pos in named:
            side_seen = True
            continue
        word = words[pos]
        if not (view.capitals[pos] or word in coref.offices or word in coref.fields
                or word in context.determiners or word in context.conjunctions
                or word in coref.particles):
            return False
    return False


def teller(view: SentenceView, first: int, last: int, topic: Topic) -> bool:
    """The third party at words ``first``…``last`` is the source of the news, in a clause
    of its own that opens or closes the sentence and holds a [context] sources word ("…,
    including one with Fidan, a Saudi diplomat said", "According to Iraqi officials, …",
    "…, — сообщил саудовский дипломат"), with no side and no cue in it."""
    sources = topic.context.sources
    if not sources:
        return False
    words, seps = view.words, view.seps
    start = first
    while start > 0 and not _clause_break(seps[start]):
        start -= 1
    end = last + 1
    while end < len(words) and not _clause_break(seps[end]):
        end += 1
    if start > 0 and end < len(words):
        return False
    sides, _ = view.named_positions()
    if any(p in sides for p in range(start, end)) or any(
            start <= cue.last and cue.first < end for cue in view.cues):
        return False
    return any(sources.match_at(words, p) for p in range(start, end))


def _clause_break(sep: str) -> bool:
    """A separator that parts clauses: a comma, semicolon, colon, bracket or spaced dash."""
    return any(mark in sep for mark in ",;:()") or ("-" in sep and " " in sep)


def topic_of(cue: Cue, view: SentenceView, first: int, topic: Topic) -> bool:
    """The third party at word ``first`` qualifies what a topical cue's subject discussed:
    "Erdogan, Sharaa discuss Israeli strikes", "Фидан и аш-Шейбани обсудили иранскую
    угрозу" (a side named before the cue, the third party its object, only determiners
    between). Not "discussed with Iraqi officials": a link word makes it a partner."""
    topical = topic.context.topical
    if not topical or view.words[cue.first] not in topical:
        return False
    if not any(m.last < cue.first for m in view.mentions):
        return False
    pos = cue.last + 1
    while pos < first and view.words[pos] in topic.context.determiners:
        pos += 1
    return pos == first and all(view.joined[p] for p in range(cue.last + 1, first + 1))


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
            gap = _gap(view, first, last, mention)
            if gap is not None and coordinated(gap, topic):
                return hit
    return None


def _gap(view: SentenceView, first: int, last: int, mention: Mention) -> list[str] | None:
    """The words between the name at ``first``…``last`` and a side mention apart from it."""
    if mention.first > last:
        return view.words[last + 1:mention.first]
    if mention.last < first:
        return view.words[mention.last + 1:first]
    return None


def home_partner(view: SentenceView, topic: Topic) -> Hit | None:
    """The outlet's own country coordinated with a side ("Russia and Turkey have been
    mending ties", "Россия и Турция восстанавливают отношения"): a pair of its own, whose
    relation the sentence's cue is. Not a third party elsewhere (a mediator between the
    two, "Moscow brokered talks between Ankara and Damascus"), so asked of windows only."""
    home = topic.coreference.home
    if not home:
        return None
    for pos, word in enumerate(view.words):
        if word not in home or (pos and view.words[pos - 1] in topic.context.venue_before):
            continue  # "В Москве Фидан заявил …": where he spoke, no pair with him
        for mention in view.mentions:
            gap = None if mention.virtual else _gap(view, pos, pos, mention)
            if gap is not None and coordinated(gap, topic) and all(view.joined[p] for p in range(
                    min(pos, mention.last) + 1, max(pos, mention.first) + 1)):
                start, end = view.offsets[pos]
                return Hit(start, end, "home", word, -1)
    return None


def home_subject(cue: Cue, view: SentenceView, topic: Topic) -> Hit | None:
    """The outlet's own country named before the cue, and no side before it: the cue's
    subject ("В Москве заявили, что … поддерживают контакты с новыми властями"), whose
    relation it is. A side named before the cue is its subject ("In Moscow, Fidan said
    …"). Asked of windows only, as home_partner."""
    home = topic.coreference.home
    if not home or any(m.role != NONPARTY and m.first < cue.first for m in view.mentions):
        return None
    pos = next((p for p in range(cue.first) if view.words[p] in home), None)
    if pos is None:
        return None
    start, end = view.offsets[pos]
    return Hit(start, end, "home", view.words[pos], -1)


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
