"""How tightly a relation cue ties the two sides together within one sentence."""

from __future__ import annotations

from typing import NamedTuple

from .groups import Group
from .objects import (
    after_venue,
    co_participant,
    coordinated_with_other,
    listing,
    object_before,
    objects,
    office_phrase,
    relative_object,
)
from .roles import NONPARTY
from .thirds import coordinated, object_of_another, third_party_subject
from .topic import Topic
from .view import Cue, Mention, SentenceView

TIGHT, PAIRED, ACTORS, LOOSE = "tight", "paired", "actors", "loose"
Span = tuple[int, int]


class Binding(NamedTuple):
    """A cue's binding, and the word positions of third parties that are co-participants
    (listed with the sides: "ministers of Jordan, Turkey and Syria"), not the cue's party."""

    kind: str
    exempt: frozenset[int] = frozenset()


def find_pairs(view: SentenceView, topic: Topic) -> list[Span]:
    """Word spans where the two sides are coordinated: "Turkey and Syria", "Turkish-Syrian",
    or listed together with others ("Jordan, Iraq, Turkey and Syria").

    A pair governed by "with"/"to" ("Putin spoke with Erdogan and Assad") is someone else's
    contact with both sides and is left out, unless the pair modifies a cue ("pointed to
    Turkish-Syrian talks": "to" governs the talks, not the sides). A list of three or more
    names the participants of one format and is kept.
    """
    parties = sorted((m for m in view.mentions if m.role != NONPARTY), key=lambda m: m.first)
    reach = topic.windows.pair_gap + 1 + OFFICE_WORDS
    spans: list[tuple[int, int, bool]] = []
    for i, one in enumerate(parties):
        for two in parties[i + 1:]:
            if two.first - one.last > reach:
                break
            gap = view.words[one.last + 1:two.first]
            if one.side != two.side and one.last < two.first and not _closes_aside(
                    view, one.last + 1, gap, topic) and not _clause_break(
                    view, one.last + 1, two.first, topic) and (
                    coordinated(gap, topic) or offices_coordinated(gap, topic)
                    or _office_then_other(one, gap, topic)):
                spans.append((one.first, two.last, one.governs))
    found = [(first, last) for first, last, governs in spans
             if governs or not shared_object(view, first, topic)
             or _capitals_speak(view, first, last, topic)]
    return found + [(g.first, g.last) for g in both_sides(view)]


def _capitals_speak(view: SentenceView, first: int, last: int, topic: Topic) -> bool:
    """The pair opens the sentence after a venue word, and no one is named right after it:
    "В Анкаре и Дамаске подтверждают, что …", "In Ankara and Damascus, officials say …" (the
    two capitals speak: their governments, not places someone else went to)."""
    if first != 1 or view.words[0] not in topic.context.venue_before or last + 1 >= len(
            view.words):
        return False
    after = last + 1
    named, third = view.named_positions()
    return not (after in named or after in third or after in view.acronyms
                or view.words[after] in topic.coreference.home
                or (view.capitals[after] and not view.title_case))


def _closes_aside(view: SentenceView, pos: int, gap: list[str], topic: Topic) -> bool:
    """A comma, then a connector, after the first side: the comma closes an aside that
    named it ("Россия, главный союзник Дамаска, и Турция договорились"), so the side is
    no half of the pair (lists of three or more are read as groups)."""
    return bool(gap) and view.seps[pos] == "," and gap[0] in topic.context.conjunctions


def _clause_break(view: SentenceView, first: int, last: int, topic: Topic) -> bool:
    """A semicolon, or a comma and a contrastive conjunction ("while", "а"; not an additive
    one such as "а также"), between words ``first - 1`` and ``last``: two clauses, or two
    stories of one headline ("Saudi crown prince hosts Sharaa; Erdogan in Baku", "…
    Turkey's economy, while Syria's pound fell"), not one pair."""
    return any(";" in view.seps[pos] or _contrast_at(view, pos, topic)
               for pos in range(first, last + 1))


#: words a contrastive clause's own subject may stand after its conjunction ("while the
#: Syrian pound")
CONTRAST_SUBJECT = 3


def _contrast_at(view: SentenceView, pos: int, topic: Topic) -> bool:
    """A comma, then a contrastive conjunction opening a clause with a subject of its own: a
    side, a third party or an office ("…, while opposition representatives met …") within a
    few words, before any cue ("…, while Syria's pound fell"). One whose verb comes first
    shares the first clause's subject ("…, а вечером посетит Дамаск"), as does an additive
    one ("а также")."""
    contrasts = topic.context.contrasts
    if not contrasts:
        return False
    size = contrasts.match_at(view.words, pos)
    if not size or topic.context.additives.match_at(view.words, pos):
        return False
    if "," not in view.seps[pos]:
        # no comma (a headline): only with a name right after it as the clause's subject
        # ("Assad attends Jeddah summit while Erdogan campaigns"; not "talks while in
        # Damascus")
        after = pos + size
        return after < len(view.words) and view.joined[after] and (
            any(m.first == after and not m.virtual and m.role != NONPARTY
                for m in view.mentions)
            or any(first == after for first, _, _ in view.third)) and not any(
            pos <= cue.first <= after for cue in view.cues)
    opening = range(pos + size, pos + size + CONTRAST_SUBJECT + 1)
    named = [m.first for m in view.mentions if m.first in opening and not m.virtual]
    named += [first for first, _, _ in view.third if first in opening]
    named += [p for p in opening if p < len(view.words) and view.joined[p]
              and (_office_word(view.words[p], topic)
                   or view.words[p] in topic.coreference.home)]
    if not named:
        return False
    subject = min(named)
    return not any(pos <= cue.first < subject for cue in view.cues)


#: office words a Russian genitive side may follow in a coordinated pair ("министр
#: иностранных дел")
OFFICE_WORDS = 3


def offices_coordinated(gap: list[str], topic: Topic) -> bool:
    """"… Турции Байрактар и министр энергетики Сирии": a connector, then the office (and its
    field) that the second side's genitive follows."""
    context = topic.context
    if not 2 <= len(gap) <= 1 + OFFICE_WORDS or gap[0] not in context.connectors:
        return False
    if gap[1] not in context.determiners or gap[1] in context.connectors:
        return False
    rest = gap[2:]
    return all(word in context.actor_before for word in rest) or (
        " ".join(rest) in context.actor_before)


def _office_then_other(one: Mention, gap: list[str], topic: Topic) -> bool:
    """"Syria's Minister of Energy and Turkish water authority DSI agreed": the first side's
    office phrase (office words, their field and holder word), then a conjunction and the
    other side: the two offices are coordinated, so the sides are."""
    context, coref = topic.context, topic.coreference
    words = gap[:-1]
    if (one.role != "actor" or not words or len(words) > 1 + OFFICE_WORDS
            or gap[-1] not in context.conjunctions):
        return False
    return any(w in coref.offices for w in words) and all(
        w in coref.offices or w in context.actor_after or w in coref.fields
        or w in context.holders or w in context.determiners for w in words)


def both_sides(view: SentenceView) -> list[Group]:
    """The lists naming both sides."""
    return [group for group in view.groups if len(group.sides) == 2]


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
        # "flights to both Damascus and Turkey": a connector before the pair ("both")
        if word not in topic.context.determiners and word not in topic.context.connectors:
            return False
    return False


def bind(cue: Cue, view: SentenceView, pairs: list[Span], topic: Topic, *,
         elsewhere: bool = False) -> Binding | None:
    """Binding of ``cue``: tight, paired, actors, loose, or None when a side is missing.

    ``elsewhere`` says the sentence reports a meeting with someone who is neither side
    ("Erdogan, who once called Assad a terrorist, met Putin"): two leaders named in it
    are then not enough to tie a cue to both.
    """
    if (_people_object(cue, view, topic) or _called_in_turn(cue, view, pairs, topic)
            or _paired_with_other(cue, view, topic) is not None):
        return None
    owned = {pos for other in view.cues
             for pos in range(*(_paired_with_other(other, view, topic) or (0, 0)))}
    if owned and len({m.side for m in view.mentions
                      if m.role != NONPARTY and m.first not in owned}) < 2:
        # a side named only in another cue's own pair ("called for a dialogue between the
        # Syrian government and the opposition") is that cue's party, no other's
        return None
    listed = frozenset(p for group in both_sides(view) for p in group.third)
    cls = topic.cue_class(cue.cls)
    if cls.actor_object or cls.object_only:
        # only the cue's own object binds it: "Turkey and Syria both warned …" is no contact,
        # "the U.S. will help Turkey and Syria" no aid between them
        bridged = _bridged(cue, view, topic)
        return None if bridged is None else Binding(TIGHT, listed | bridged)
    origins = [m for m in view.mentions if _origin_of_someone(view, m, topic)]
    if origins:
        # "From Damascus, Shoukry flew to Turkey": a route of someone else's, no pair
        pairs = [span for span in pairs
                 if not any(span[0] <= m.first <= span[1] for m in origins)]
    if cls.pair_after:
        pairs = [span for span in pairs if span[0] > cue.last]
    if cls.actor_pair:
        pairs = [span for span in pairs if _names_actor(view, span)]
    lists = [g for g in both_sides(view) if not g.virtual and _listed(view, g)
             and (_next_to(cue, (g.first, g.last), topic.windows.adjacent)
                  or _offices_between(cue, g, view, topic))
             and (not cls.actor_pair or _names_actor(view, (g.first, g.last)))]
    if lists:
        # the cue touches a list of participants holding both sides: whoever else is named
        # (a host: "Иордания приняла делегации Сирии, Турции, Ирака") is no veto
        return Binding(TIGHT, listed | {first for first, _, _ in view.third})
    if any(_next_to(cue, span, topic.windows.adjacent) for span in pairs):
        return Binding(TIGHT, listed)
    told = _told_from(view, topic)
    if cue.first > told:
        return None  # the teller's own contact, not one of the sides'
    bridged = _bridged(cue, view, topic, told)
    if bridged is not None:
        return Binding(TIGHT, listed | bridged)
    if pairs:
        return Binding(PAIRED, listed)
    # "Tom Barrack, the U.S. ambassador to Ankara": Ankara hosts someone else's envoy
    # a side across a semicolon is in another clause, or another story of the headline
    # ("Emir hosts Sharaa; Erdogan in Baku", "a new era for Turkey's economy; Syria's pound
    # fell"): it is no party of the cue
    parties = [m for m in view.mentions
               if m.role != NONPARTY and m.first < told and not _accredited(view, m, topic)
               and not _origin_of_someone(view, m, topic)
               and not _clause_break(view, min(m.last, cue.last) + 1, max(m.first, cue.first),
                                     topic)]
    if len({m.side for m in parties}) < 2:
        return None
    actors = {m.side for m in parties if m.role == "actor"}
    return Binding(ACTORS if len(actors) == 2 and not elsewhere else LOOSE, listed)


#: how many words each of the two parties a [context] pairings word gives may span
_PAIR_SPAN = 5


def _paired_with_other(cue: Cue, view: SentenceView, topic: Topic) -> Span | None:
    """A [context] pairings word right after the cue gives it its own two parties, joined
    by a conjunction in one clause: "contacts between Damascus and the Kurds", "the Sochi
    memorandum between Putin and Erdogan", «диалог между Дамаском и оппозицией». When the
    two do not hold both sides and one of them is someone no side holds (a third party's
    name, a side's non-party, a [context] outsiders or nonparty_after word), the cue is
    theirs: no side named elsewhere in the sentence is its party. The pair's word span
    (end excluded) then, else None."""
    context, words = topic.context, view.words
    at = cue.last + 1
    if (at < len(words) and words[at] not in context.pairings
            and _genitive_pair(cue, view, at, topic)):
        at = cue.last  # «диалог Москвы и Дамаска»: the pair in the genitive, no "between"
    elif at + 3 >= len(words) or words[at] not in context.pairings or not view.joined[at]:
        return None
    conj = next((pos for pos in range(at + 2, min(at + 2 + _PAIR_SPAN, len(words)))
                 if words[pos] in context.conjunctions or not view.joined[pos]), None)
    if conj is None or not view.joined[conj] or words[conj] not in context.conjunctions:
        return None
    stop = conj
    while (stop + 1 < len(words) and stop - conj < _PAIR_SPAN and view.joined[stop + 1]
           and words[stop + 1] not in context.phrase_stops):
        stop += 1
    _, third = view.named_positions()

    def party(first: int, last: int) -> tuple[set[int], bool]:
        """The sides a conjunct names, and whether it names someone no side holds."""
        sides = {m.side for m in view.mentions
                 if first <= m.first <= last and m.role != NONPARTY}
        other = any(first <= m.first <= last and m.role == NONPARTY for m in view.mentions)
        other = other or any(
            pos in third or (view.mention_starting(pos) is None
                             and (words[pos] in context.outsiders
                                  or words[pos] in topic.coreference.home
                                  or words[pos] in context.nonparty_after))
            for pos in range(first, last + 1))
        return sides, other

    sides_a, other_a = party(at + 1, conj - 1)
    sides_b, other_b = party(conj + 1, stop)
    if len(sides_a | sides_b) == 2 or not ((other_a and not sides_a)
                                           or (other_b and not sides_b)):
        return None
    return at, stop + 1


def _genitive_pair(cue: Cue, view: SentenceView, at: int, topic: Topic) -> bool:
    """A Russian noun cue followed right away by two one-word parties (a side, the outlet's
    own country) joined by a conjunction, in one run («диалог Москвы и Дамаска»): its
    genitive pair, which may give the cue its own two parties (not a name in apposition:
    «коллега Мухаммед аль-Башир и …»)."""
    words = view.words
    if (words[cue.last].isascii() or cue.transitive or at + 2 >= len(words)
            or not all(view.joined[p] for p in (at, at + 1, at + 2))
            or words[at + 1] not in topic.context.conjunctions):
        return False

    def one_word(pos: int) -> bool:
        # (a third party's name is left to the third-party veto, which says so)
        mention = view.mention_starting(pos)
        return ((mention is not None and mention.last == pos)
                or words[pos] in topic.coreference.home)

    return one_word(at) and one_word(at + 2)


#: words that may stand between a preposition of what is told and its cue ("о возможных
#: контактах", "on his talks")
_ABOUT_GAP = 2


def _called_in_turn(cue: Cue, view: SentenceView, pairs: list[Span], topic: Topic) -> bool:
    """"Putin phoned Erdogan and Assad", «Путин позвонил Эрдогану и Асаду»: a [context]
    rounds cue after a name that is no side (no side named before the cue), with the pair
    coordinated right after it (determiners between): two calls, no contact of the pair."""
    if view.title_case or view.words[cue.first] not in topic.context.rounds:
        return False
    if any(m.first < cue.first for m in view.mentions):
        return False
    if not any(view.capitals[pos] for pos in range(cue.first)):
        return False
    start = cue.last + 1
    while start < len(view.words) and view.words[start] in topic.context.determiners:
        start += 1
    return any(first == start and len({m.side for m in view.mentions
                                       if first <= m.first <= last}) == 2
               for first, last in pairs)


def _people_object(cue: Cue, view: SentenceView, topic: Topic) -> bool:
    """A transitive cue (read so at its words) whose own object, right after it, is people
    no side is ("Syrians visiting family"; [context] nonparty_after words): the visit is
    theirs, whatever pair the sentence names ("flights between Istanbul and Damascus").
    Not what two talked about ("Turkey and Syria are talking refugees"). A possessive
    pronoun may stand before the people ("failed to reach out to his people"; not "the":
    "visited the city" is a place, no people)."""
    after = cue.last + 1
    while (after + 1 < len(view.words) and view.joined[after + 1]
           and view.words[after] in topic.context.determiners
           and view.words[after] in topic.context.pronouns
           and view.mention_starting(after) is None):
        after += 1
    return (after < len(view.words) and view.joined[after]
            and any(other.transitive and other.first == cue.first and other.last == cue.last
                    for other in view.cues)
            and view.mention_starting(after) is None
            and view.words[after] in topic.context.nonparty_after)


def _told_from(view: SentenceView, topic: Topic) -> int:
    """Where what someone told begins: a contact cue right after a preposition of what is
    told, in a clause whose first name no side holds (the outlet's own country, a third
    party, an acronym) and that names a side, whom he told, before the preposition: "Lavrov
    briefed Fidan on talks with Syria's new authorities", "Российская делегация
    проинформировала турецких коллег о контактах с сирийскими властями". That contact is
    the teller's: no side named from there on is a party of any cue. A side opening the
    clause keeps the contact its own ("Erdogan told Putin about his talks with Assad"), and
    with no side told, the contact's owner is named after the preposition ("Лавров рассказал
    о контактах турецкой стороны с Дамаском"). The sentence's length when nothing is told
    so."""
    about, words = topic.context.about, view.words
    for cue in view.cues:
        pos, gap = cue.first - 1, 0
        while (pos >= 0 and gap < _ABOUT_GAP and words[pos] not in about
               and view.joined[pos + 1] and view.mention_starting(pos) is None
               and not view.capitals[pos]):
            pos, gap = pos - 1, gap + 1
        if pos < 0 or words[pos] not in about or not view.joined[pos + 1]:
            continue
        start = max((p for p in range(pos + 1) if not view.joined[p]), default=0)
        if _opened_by_other(view, start, pos, topic):
            return pos
    return len(words)


def _opened_by_other(view: SentenceView, start: int, stop: int, topic: Topic) -> bool:
    """The first name between ``start`` and ``stop`` is no side's, and a side follows it."""
    _, third = view.named_positions()
    for at in range(start, stop):
        if view.mention_starting(at) is not None:
            return False
        if (view.words[at] in topic.coreference.home or at in third or at in view.acronyms
                or (at > start and view.capitals[at] and view.words[at] not in topic.known
                    and not view.title_case)):
            return any(at < m.first < stop and m.role != NONPARTY for m in view.mentions)
    return False


def _accredited(view: SentenceView, mention: Mention, topic: Topic) -> bool:
    """The side is where someone else's envoy serves: "the U.S. ambassador to Ankara"."""
    link = mention.first - 1
    if (link < 1 or view.words[link] not in topic.context.links
            or not view.joined[mention.first] or not view.joined[link]):
        return False
    covered, _ = view.named_positions()
    return any(cue.last == link - 1 and _owned_by_other(cue, view, covered)
               for cue in view.cues)


def _names_actor(view: SentenceView, span: Span) -> bool:
    """Some mention in ``span`` is an official or a government."""
    return any(span[0] <= m.first <= span[1] and m.role == "actor" for m in view.mentions)


def meets_someone_else(view: SentenceView, topic: Topic, *, names_only: bool = False) -> bool:
    """True when a transitive cue takes as object a capitalized name that is not a side, or
    a side as a non-party ("hosts Syrian opposition leaders"), or when both sides are the
    joint object of "with"/"to". ``names_only``: only a name no side holds counts (someone
    met abroad: "visited Paris"; not a city one arrived in or came from: "arrived in
    Moscow"), not people of a side ("helped Turkish companies")."""
    if not names_only and any(not m.governs and coordinated_with_other(view, m, topic)
                              and shared_object(view, m.first, topic) for m in view.mentions):
        return True
    skip = topic.context.function_words
    for cue in view.cues:
        if _with_someone(view, cue, topic, names_only=names_only):
            return True
        if not cue.transitive:
            continue
        for pos in range(cue.last + 1, min(cue.last + 2 + topic.windows.bridge_gap,
                                           len(view.words))):
            mention = view.mention_starting(pos)
            if mention is not None:
                if mention.role == NONPARTY and not mention.linkable and not names_only:
                    return True
                stop = next_stop(view, mention, topic)
                if stop is not None and stop.side != mention.side:
                    return True  # "visits Damascus, then Ankara": someone else's tour
                break
            word = view.words[pos]
            if _office_word(word, topic) and _held_by_side(view, pos, named=True):
                # "meet President Erdogan": a title of a side's official; "received leaders
                # of the Syrian National Coalition": the holder, read next, may be no party
                continue
            if word in topic.context.holders and _office_word(view.words[pos - 1], topic):
                continue
            if view.capitals[pos] and not view.title_case:
                if names_only and view.words[pos - 1] in topic.context.place_prepositions:
                    continue  # "прибыл в Москву", "returned from Moscow": where, not whom
                if listing(cue, view, pos, topic) and co_participant(view, pos,
                                                                     topic) is not None:
                    break  # "met Rubio and al-Shaibani": the side met too
                return True
            if word in topic.coreference.offices:
                return True  # "hosts the emir", "принял эмира": someone no side lent
            if word not in skip:
                break
    return False


def officials_talk(cue: Cue, view: SentenceView, topic: Topic,
                   neighbors: tuple[SentenceView, ...] = ()) -> bool:
    """The cue's partner, after "with"/"с" (past a venue: "talks in Damascus with …"), is an
    official of one side named here, and an official of the other side is named in the
    sentence too: "After his talks in Damascus with Syria's minister of public works, Kurum
    said …". Whatever they talked about, the two are in contact. With ``neighbors`` (a
    window), the other side's official may be named there instead, as the cue's agent: "He
    would restore relations with Damascus and negotiate the return of refugees" after a
    sentence naming Turkey's candidate."""
    words, context = view.words, topic.context
    stop = min(cue.last + 2 + topic.windows.bridge_gap, len(words))
    pos = cue.last + 1
    partner = None
    while pos < stop and view.joined[pos]:
        venue = view.mention_starting(pos + 1) if words[pos] in context.venue_before else None
        if venue is not None:
            pos = venue.last + 1  # "in Damascus": where, not whom
            stop = min(stop + 2, len(words))
            continue
        if words[pos] in context.links:
            nxt = pos + 1
            while nxt < len(words) and view.joined[nxt] and words[nxt] in context.determiners:
                nxt += 1
            partner = view.mention_starting(nxt)
            break
        if words[pos] not in context.determiners:
            break
        pos += 1
    if partner is None or partner.role != "actor" or partner.virtual:
        return False
    if any(m.side != partner.side and m.role == "actor"
           for neighbor in neighbors for m in neighbor.mentions):
        return True
    return any(m.side != partner.side and m.role == "actor" and not _clause_break(
        view, min(m.last, cue.last) + 1, max(m.first, cue.first), topic) for m in view.mentions)


def next_stop(view: SentenceView, mention: Mention, topic: Topic) -> Mention | None:
    """The side named as the next stop after ``mention``: "visits Damascus, then Ankara",
    "посетил Дамаск, а затем Анкару" (a comma may stand before the sequel word)."""
    pos = _past_venue(view, mention.last + 1, topic)
    size = topic.context.sequels.match_at(view.words, pos) if pos < len(view.words) else 0
    if not size or not all(view.joined[p] for p in range(pos + 1, pos + size)):
        return None
    nxt = pos + size
    while nxt < len(view.words) and view.words[nxt] in topic.context.determiners:
        nxt += 1
    return view.mention_starting(nxt) if nxt < len(view.words) else None


def touring(view: SentenceView, topic: Topic) -> bool:
    """Someone's tour of both sides in the sentence: a cue's object with the other side's
    name as the next stop ("met Assad in Damascus and then Cavusoglu in Mersin")."""
    for cue in view.cues:
        for other, _ in objects(cue, view, topic):
            stop = next_stop(view, other, topic)
            if stop is not None and stop.side != other.side:
                return True
    return False


def _past_venue(view: SentenceView, pos: int, topic: Topic) -> int:
    """The word after a venue phrase at ``pos`` ("in Damascus", "в Дамаске": a venue word and
    one name, a side's, a third party's or a capitalized one), else ``pos``: "met Assad in
    Damascus and then Cavusoglu in Mersin" names the next stop after the venue."""
    words = view.words
    if pos + 1 >= len(words) or words[pos] not in topic.context.venue_before or not (
            view.joined[pos] and view.joined[pos + 1]):
        return pos
    named = view.mention_starting(pos + 1)
    if named is not None:
        return named.last + 1
    third = next((last for first, last, _ in view.third if first == pos + 1), None)
    if third is not None:
        return third + 1
    at = pos + 1
    while at < len(words) and view.joined[at] and view.capitals[at] and not view.title_case:
        at += 1
    return at if at > pos + 1 else pos


def _office_word(word: str, topic: Topic) -> bool:
    """An office or a word naming officials ("president", "leaders", "officials")."""
    return word in topic.coreference.offices or word in topic.context.actor_after


def partner_elsewhere(view: SentenceView, cue: Cue, topic: Topic) -> bool:
    """The cue's own partner, after "with"/"с", is a name no side holds, or people: "mending
    ties with Gulf capitals and Egypt", "discussed with Lavrov", "ties with relatives"."""
    return _with_someone(view, cue, topic)


def _with_someone(view: SentenceView, cue: Cue, topic: Topic, *,
                  names_only: bool = False) -> bool:
    """A cue followed by "with"/"с" and a name no side holds: "discussed with Lavrov",
    "обсудил с Лавровым" (the partner is the outlet's own country's, or someone else's).
    ``names_only``: not a city one arrived in ("прибыл в Москву")."""
    pos = cue.last + 1
    if pos + 1 >= len(view.words) or view.words[pos] not in topic.context.links:
        return False
    if names_only and view.words[pos] in topic.context.venue_before:
        return False
    _, third = view.named_positions()
    # past titles and other words of the partner's phrase, to its first name: "talks with
    # President Ahmed al-Sharaa" (a side), "с госсекретарем США" (someone else)
    for name in range(pos + 1, min(len(view.words), pos + 2 + topic.windows.bridge_gap)):
        if not view.joined[name] or view.mention_starting(name) is not None:
            return False
        if co_participant(view, name, topic) is not None:
            return False  # "talks with Rubio and Syria's al-Shaibani": the side is there too
        if name in third or name in view.acronyms or view.words[name] in topic.coreference.home:
            return True
        if view.capitals[name] and view.words[name] not in topic.known and not view.title_case:
            return True
        if (not names_only and name == pos + 1
                and view.words[name] in topic.context.nonparty_after
                and not _side_follows(view, name, topic.windows.bridge_gap)):
            return True  # "rebuilding ties with relatives": people, no government
    return False


#: how far after an office word its holder may be named ("president of Syria")
_HOLDER_REACH = 3


def _side_follows(view: SentenceView, pos: int, reach: int) -> bool:
    """A side is named within ``reach`` words after word ``pos``, in its run ("с гражданской
    авиацией Сирии": the word is a field, not people)."""
    for at in range(pos + 1, min(len(view.words), pos + 1 + reach)):
        if not view.joined[at]:
            return False
        if view.mention_starting(at) is not None:
            return True
    return False


def _held_by_side(view: SentenceView, pos: int, *, named: bool = False) -> bool:
    """An office word whose holder, a side, follows it: "the president of Syria",
    "министра иностранных дел Сирии". ``named``: a side the text names there, not one an
    earlier sentence lent the office ("President Putin")."""
    for nxt in range(pos + 1, min(len(view.words), pos + 1 + _HOLDER_REACH)):
        if not view.joined[nxt]:
            return False
        mention = view.mention_starting(nxt)
        if mention is not None:
            return not (named and mention.virtual)
    return False


def _listed(view: SentenceView, group: Group) -> bool:
    """A list of three or more ("Сирии, Турции, Ирака и Ливана"), not a pair."""
    return bool(group.third) or any(view.seps[p] == ","
                                    for p in range(group.first + 1, group.last + 1))


def _offices_between(cue: Cue, group: Group, view: SentenceView, topic: Topic) -> bool:
    """A phrase of office words and a holder word is all that stands between the cue and
    the list: "Jordan hosted foreign ministers, defence chiefs and intelligence heads from
    Iraq, Lebanon, Turkey and Syria" (the list's members hold the offices)."""
    start = cue.last + 1
    if group.first <= start:
        return False
    skipped = start
    while skipped < group.first and view.words[skipped] in topic.context.determiners:
        skipped += 1
    return skipped + office_phrase(view, skipped, topic) == group.first


def _next_to(cue: Cue, span: Span, adjacent: int) -> bool:
    if cue.last < span[0]:
        return span[0] - cue.last - 1 <= adjacent
    if cue.first > span[1]:
        return cue.first - span[1] - 1 <= adjacent
    return True


def _bridged(cue: Cue, view: SentenceView, topic: Topic,
             told: int | None = None) -> frozenset[int] | None:
    """``<side A> … cue [with|to] <side B>``: the cue takes side B as its object. Returns the
    positions of third parties listed with B ("his Jordanian and Syrian counterparts"), or
    None when the cue takes no side as its object. No side from word ``told`` on (what
    someone else told, see _told_from) is a subject."""
    told = len(view.words) if told is None else told
    cls = topic.cue_class(cue.cls)
    need_actor = cls.actor_subject
    candidates = list(objects(cue, view, topic))
    if cls.actor_object:
        if view.seps[cue.first]:
            return None  # after a quote or comma: "'…,' warned Erdogan" names the speaker
        # a named official, not one read from an earlier sentence ("told his guest")
        candidates = [(other, exempt) for other, exempt in candidates
                      if other.role == "actor" and not other.virtual
                      and not after_venue(view, other, topic)]
    # an address binds only through what follows it: in "в Анкаре заявил", Ankara is where
    # the speaker was, not whom he told
    preceding = None if cls.actor_object else object_before(cue, view, topic)
    if preceding is not None:
        candidates.append((preceding, frozenset()))
    antecedent = None if cls.actor_object else relative_object(cue, view, topic)
    if antecedent is not None:
        # "…, Syria's al-Sharaa, whom Erdogan received": those listed with it are the
        # list's, no party of this cue
        candidates.append((antecedent, frozenset(first for first, _, _ in view.third
                                                  if first < antecedent.first)))
    for other, _ in candidates:
        stop = next_stop(view, other, topic)
        if stop is not None and stop.side != other.side:
            # "met Assad in Damascus and then Cavusoglu in Mersin": stops of both sides on
            # someone else's tour, whatever venue follows
            return None
    for other, exempt in candidates:
        # The subject is a party named before the cue; after it, only an actor can be one
        # ("… met Erdogan, days after jets bombed Syria's Idlib" does not tie Syria in).
        stop = next_stop(view, other, topic)
        subjects = [m for m in view.mentions if m.side != other.side and m.role != NONPARTY
                    and (m.last < cue.first or m.role == "actor") and m.first < told
                    and m is not stop
                    and not _clause_break(view, min(m.last, cue.last) + 1,
                                          max(m.first, cue.first), topic)
                    and not _permitted_other(view, m, cue, topic)
                    and not _origin_of_someone(view, m, topic)
                    and not _met_by_someone_else(view, m, cue, topic)]
        if need_actor:
            # the nearest official before "in" is the one who is there: not a country, not
            # itself a place named with "in"/"в", and not many words back ("Ticket prices to
            # Damascus have fallen …, according to travel agents in Istanbul")
            reach = cue.first - 1 - 2 * topic.windows.subject_window
            before = [m for m in view.mentions if reach <= m.last < cue.first
                      and m.role != NONPARTY and not after_venue(view, m, topic)]
            nearest: Mention | None = max(before, key=lambda m: m.last) if before else None
            if nearest is None and cue.first == 0:
                nearest = _opening_visitor(view, other)
            subjects = [nearest] if (nearest is not None and nearest.side != other.side
                                     and nearest.role == "actor"
                                     and not _listed_apart(view, nearest, cue, topic)
                                     and not _met_by_someone_else(view, nearest, cue, topic)
                                     ) else []
        if subjects:
            return exempt if _subject_clear(cue, view, topic) else None
    return None




#: how many words may stand between a sentence-opening venue and its visitor ("At Aleppo
#: station he …")
_VISITOR_GAP = 2


def _opening_visitor(view: SentenceView, venue: Mention) -> Mention | None:
    """The official right after a venue opening the sentence: "At Aleppo station he was met
    by …", "In Damascus, the Turkish minister said …", "В Алеппо он …" (who is there is
    named after the place; a third party first is no visitor of the side)."""
    _, third = view.named_positions()
    for pos in range(venue.last + 1, min(len(view.words), venue.last + 2 + _VISITOR_GAP)):
        if pos in third:
            return None
        found = view.mention_starting(pos)
        if found is not None:
            return found if found.role == "actor" and found.side != venue.side else None
    return None


#: prepositions of where someone came from ("Шукри из Дамаска", "Shoukry from Damascus")
_ORIGINS = frozenset({"from", "из", "изо"})


def _origin_of_someone(view: SentenceView, subject: Mention, topic: Topic) -> bool:
    """The side is where someone no side holds, named right before or after it, came from:
    "Шукри из Дамаска отправился в Турцию", "From Damascus, Shoukry flew to Turkey" (a third
    party's name or one the rules do not know, not an office: "Делегация из Дамаска прибыла
    в Анкару" keeps Damascus' delegation)."""
    at = subject.first - 1
    if at < 0 or view.words[at] not in _ORIGINS or not view.joined[subject.first]:
        return False

    _, third = view.named_positions()

    def unknown(pos: int) -> bool:
        # someone no side holds: a third party's name, or a name the rules do not know
        word = view.words[pos]
        return pos in third or (
            view.capitals[pos] and not view.title_case and pos not in view.covered
            and word not in topic.known and word not in topic.coreference.offices
            and view.mention_starting(pos) is None)

    after = subject.last + 1
    return ((at > 0 and unknown(at - 1))
            or (at == 0 and after < len(view.words) and unknown(after)))


def _met_by_someone_else(view: SentenceView, subject: Mention, cue: Cue,
                         topic: Topic) -> bool:
    """The side is what an earlier transitive cue, whose subject is a third party, took as
    its object (with the venue after it): "Egypt's Shoukry met Bashar al-Assad in Damascus
    …, and flew on to Mersin to meet Cavusoglu" (Assad was met; he is not the one meeting
    Cavusoglu)."""
    for other in view.cues:
        if (other is cue or not other.transitive or other.last >= subject.first
                or other.first >= cue.first or third_party_subject(other, view) is None):
            continue
        for found, _ in objects(other, view, topic):
            end = found.last
            while True:
                nxt = view.mention_starting(end + 1)
                if nxt is None or nxt.side != found.side or not view.joined[end + 1]:
                    break
                end = nxt.last
            end = _past_venue(view, end + 1, topic) - 1
            if found.first <= subject.first <= end:
                return True
    return False


def _permitted_other(view: SentenceView, subject: Mention, cue: Cue, topic: Topic) -> bool:
    """A verb of permission between the subject and the cue, then someone no side holds
    before the cue: "Turkish authorities allowed heads of households to make short visits
    to Syria" (the households visit, not the authorities); not "Ankara allowed Syria's
    foreign minister to visit Hatay"."""
    if subject.last >= cue.first:
        return False
    permit = next((p for p in range(subject.last + 1, cue.first)
                   if view.words[p] in topic.context.permits), None)
    if permit is None or permit + 1 >= cue.first:
        return False
    return not any(permit < m.first < cue.first for m in view.mentions) and not any(
        view.words[p] in topic.coreference.offices for p in range(permit + 1, cue.first))


def _listed_apart(view: SentenceView, nearest: Mention, cue: Cue, topic: Topic) -> bool:
    """The official placed already, then a comma before "in": a list of who was where
    ("Sharaa in Riyadh, emir in Ankara"), the later place someone else's."""
    after = nearest.last + 1
    return (after < cue.first and view.words[after] in topic.context.venue_before
            and any(view.seps[p] == "," for p in range(after + 1, cue.first)))


def _subject_clear(cue: Cue, view: SentenceView, topic: Topic) -> bool:
    """False when a third party, not a side, is the nearest name before the cue. A third
    party inside an apposition set off by commas after a side ("Al-Sharaa, back from Saudi
    Arabia, held talks") is not the subject."""
    covered, third = view.named_positions()
    # "the U.S. ambassador": someone else's; but before a venue word ("at the Umayyad Mosque
    # in Damascus", "People's Palace in …") a capitalized word is a place, nobody's office
    if not topic.cue_class(cue.cls).venue and _owned_by_other(cue, view, covered):
        return False
    pos = cue.first - 1
    limit = max(-1, cue.first - 1 - topic.windows.subject_window)
    people = {p for m in view.mentions if m.role == NONPARTY and not m.linkable
              for p in range(m.first, m.last + 1)}
    relative = topic.context.relative
    while pos > limit:
        if view.words[pos] in relative and view.seps[pos] == ",":
            # "формирования, которые … поддерживала Турция": the clause's own subject, not a
            # side named before the comma unless it is the antecedent ("Turkey, which …",
            # "The Syrian minister, who was in Ankara …": its office words after the side)
            antecedent = pos - 1
            while (antecedent > 0 and antecedent not in covered and view.joined[antecedent]
                   and (view.words[antecedent] in topic.context.actor_after
                        or view.words[antecedent] in topic.coreference.fields)):
                antecedent -= 1
            return antecedent in covered
        if pos in people and cue.transitive and not any(
                view.seps[p] for p in range(pos + 1, cue.first + 1)):
            # "one member of each Syrian family … to visit Syria": people, not a government,
            # are the nearest subject in the cue's own clause
            return False
        if pos in covered or view.words[pos] in topic.context.pronouns:
            return True
        if pos in third:
            owned = next(((first, last) for first, last, _ in view.third
                          if first <= pos <= last), None)
            while owned is not None and view.joined[owned[0]]:
                # a name of two listed words ("Saudi" "Arabia") is one name
                before = next((first for first, last, _ in view.third
                               if last == owned[0] - 1), None)
                if before is None:
                    break
                owned = (before, owned[1])
            if owned is not None and object_of_another(cue, view, *owned, topic):
                # "hosted Qatar's emir and then met Syria's foreign minister": the emir
                # was hosted, the subject is the one before
                pos = owned[0] - 1
                continue
            opening = _apposition_start(view, pos, cue.first, covered)
            if opening is None:
                return False
            pos = opening - 1
            limit = max(-1, pos - topic.windows.subject_window)
            continue
        pos -= 1
    return True


def _owned_by_other(cue: Cue, view: SentenceView, covered: set[int]) -> bool:
    """The cue is qualified by a name that is no side: "the U.S. ambassador", "the Kremlin
    envoy" (someone else's ambassador or envoy)."""
    pos = cue.first - 1
    if pos < 0 or pos in covered or not view.attached(cue.first):
        return False
    return pos in view.acronyms or (view.capitals[pos] and pos not in view.covered
                                    and not view.title_case and pos > 0)


def _apposition_start(view: SentenceView, pos: int, cue: int, covered: set[int]) -> int | None:
    """The first word of a comma-enclosed phrase holding ``pos`` that follows a side, or
    None when ``pos`` is not in such a phrase."""
    close = next((p for p in range(pos + 1, cue + 1) if view.seps[p] == ","), None)
    opening = next((p for p in range(pos, 0, -1) if view.seps[p] == ","), None)
    if close is None or opening is None or opening - 1 not in covered:
        return None
    return opening
