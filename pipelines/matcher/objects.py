"""What a relation cue takes as its object: the side it ties to the sentence's subject.

"met Assad", "talks with the government in Damascus", "hosted his Jordanian and Syrian
counterparts" (a list), "визит Эрдогана в Сирию" (past a genitive), "ведет с Дамаском
переговоры" (a partner before the cue).
"""

from __future__ import annotations

from collections.abc import Iterator

from .groups import Group
from .roles import NONPARTY
from .thirds import coordinated
from .topic import Topic
from .view import Cue, Mention, SentenceView


def objects(cue: Cue, view: SentenceView, topic: Topic
             ) -> Iterator[tuple[Mention, frozenset[int]]]:
    """The side mentions the cue may take as its object, nearest first, with the third
    parties listed alongside them.

    A party right after a noun cue may be its possessor rather than its object (Russian
    genitive: "визит Эрдогана в Сирию", "Erdogan's visit to Syria"), so the scan goes on past
    one party to the next mention. The scan stops at a comma or other punctuation.
    """
    linked = cue.transitive
    if linked and len(cue.hits) == 2:
        # a two-part idiom holding its object in the possessive between its parts: "knocking
        # on Assad's door", "the ball is in Ankara's court"
        for member in view.mentions:
            if (cue.first < member.first and member.last == cue.last - 1 and member.possessive
                    and member.role != NONPARTY):
                yield member, frozenset()
    context = topic.context
    stop = min(cue.last + 2 + topic.windows.bridge_gap, len(view.words))
    pos, seen = cue.last + 1, 0
    venues: list[Mention] = []  # "встретился в Анкаре": where, unless no partner follows
    while pos < stop and view.joined[pos]:
        group = group_at(view, pos)
        if group is not None and linked:
            for member in view.mentions:
                # a place the link governs is an object as when it stands alone ("received
                # delegations from Syria, Iraq and Jordan", as "flew to Syria")
                if group.covers(member.first) and (member.role != NONPARTY
                                                   or member.linkable):
                    yield member, group.third
            return
        mention = view.mention_starting(pos)
        if mention is not None:
            mention = head_of(view, mention)
            if coordinated_with_other(view, mention, topic):
                return
            usable = mention.role != NONPARTY or (mention.linkable and linked)
            if not usable:
                break
            if linked and view.words[mention.first - 1] in context.venue_before:
                venues.append(mention)
            elif linked:
                yield mention, frozenset()
            seen += 1
            if seen == 2:
                break
            pos = mention.last + 1
            continue
        agent = (context.agents.match_at(view.words, pos)
                 if not seen and not view.exclusions else 0)
        if agent:
            # "talks sponsored by Russia, Turkey and Iran": those who hold the event take
            # part in it, as after "with" (not in a sentence on something else: "criticized
            # the talks sponsored by Turkey")
            pos += agent
            stop = min(stop + agent, len(view.words))
            linked = True
            continue
        word = view.words[pos]
        if word in context.links and _elsewhere(view, pos, topic):
            # "обсудил в Багдаде Сирию": a venue that is no side is where, no link to
            # what follows it (a partner still needs its own link: "in Baghdad with …")
            pos += 2
            stop = min(stop + 2, len(view.words))
            continue
        if (word in context.venue_before and word not in context.links
                and _venue_before_partner(view, pos + 1, topic)):
            # "met in Moscow with Fidan": the venue word and its place are where, no bridge
            # words (in Russian the venue word is a link: "встречался в Москве с …")
            pos += 2
            stop = min(stop + 2, len(view.words))
            continue
        if word in context.links:
            if venues and pos + 1 < len(view.words) and view.mention_starting(pos + 1) is None:
                if _someone_next(view, pos + 1, topic):
                    return  # "in Ankara with the UN envoy": Ankara was the venue
                break  # "in Damascus to boost trade": a purpose, no partner
            linked = True
        elif word in context.venue_before and view.words[pos - 1] in topic.coreference.offices:
            # "with the (new) government in Damascus": the office and its "in" name the
            # partner, and do not count against the bridge
            stop = min(stop + 2, len(view.words))
        elif word in topic.coreference.offices and pos + 1 < len(view.words) and (
                view.words[pos + 1] in context.venue_before):
            stop = min(max(stop, pos + 3), len(view.words))  # "… the new administration in"
        elif not view.title_case and (
                view.capitals[pos] or (word in context.conjunctions and pos > cue.last + 1
                                       and view.words[pos - 1] in topic.coreference.fields)
        ) and _title_before_side(view, pos, topic):
            # "meet President Erdogan", "met Foreign Minister Hakan Fidan": a title, no bridge
            pos += 1
            stop = min(stop + 1, len(view.words))
            continue
        elif word not in context.determiners:
            phrase = office_phrase(view, pos, topic) if linked else 0
            if phrase:
                # "hosted foreign ministers of Syria, Jordan and Iraq": the ministers'
                # countries are the object, the office words no bridge
                pos += phrase
                stop = min(stop + phrase, len(view.words))
                continue
            adverbial = context.adverbials.match_at(view.words, pos)
            if adverbial:
                # "посетивший на прошлой неделе Анкару": a time phrase is no bridge word
                pos += adverbial
                stop = min(stop + adverbial, len(view.words))
                continue
            if _venue_before_partner(view, pos, topic):
                # "встречался в Москве с Али Мамлюком", "met in Moscow with …": a place
                # between the cue and its partner is where, and no bridge word
                pos += 1
                stop = min(stop + 2, len(view.words))
                continue
            field = _office_field(view, pos, topic)
            if not field:
                if venues and _someone_at(view, pos, topic):
                    return  # "принял в Анкаре эмира Катара": someone else after the venue
                side = co_participant(view, pos, topic) if listing(cue, view, pos,
                                                                  topic) else None
                if side is None and linked:
                    included = _member_of(view, pos, topic)
                    if included is not None:
                        # "ties with all its neighbours, Syria included"
                        yield included, frozenset()
                        return
                if side is not None:
                    # "a meeting with U.S. Secretary of State Marco Rubio and Syria's
                    # Foreign Minister": someone else named first, then a side, one list
                    yield side, frozenset(first for first, _, _ in view.third
                                          if pos <= first < side.first)
                    return
                break
            # "с министром иностранных дел Сирии": the ministry's field is part of the
            # office before the side, and does not count against the bridge
            pos += field
            stop = min(stop + field, len(view.words))
            continue
        pos += 1
    for mention in venues:
        yield mention, frozenset()


#: how many words the name and title of someone listed before a side may span ("U.S.
#: Secretary of State Marco Rubio")
_CO_PARTICIPANT = 8
#: how many names may be listed before the side, by commas
_CO_ITEMS = 6


def co_participant(view: SentenceView, pos: int, topic: Topic) -> Mention | None:
    """The side listed after someone else whose name starts at word ``pos``: "with U.S.
    Secretary of State Marco Rubio and Syria's Foreign Minister Asaad al-Shaibani", "с
    госсекретарем США Марко Рубио и министром иностранных дел Сирии" — a meeting of the
    three, not one with someone else. The name runs over capitalized words, acronyms, third
    parties and office words (and "of"/"the"), in one run of words, to "and"/"и" and the
    side (determiners and office words between)."""
    words, context = view.words, topic.context
    if words[pos] in context.holders or words[pos] in context.prepositions:
        return None  # "the meeting of Trump and al-Sharaa": whose meeting, not whom met
    named = False
    end = min(len(words), pos + _CO_PARTICIPANT + 1)
    at = pos
    # more names by commas only after a link ("with A, B and Syria's …"), not after an
    # agent phrase ("welcomed by Washington, Paris and Ankara": who welcomed it)
    items = 1 if pos and words[pos - 1] in context.links else _CO_ITEMS
    while at < end and (at == pos or view.attached(at) or view.possessive[at - 1]
                        or (named and view.seps[at] == "," and items < _CO_ITEMS)):
        if view.mention_starting(at) is not None:
            return None
        if at > pos and view.seps[at] == ",":
            # "with Iran's Pezeshkian, the emir of Qatar and Syria's al-Sharaa": one more
            # name of the list
            items += 1
            named = False
            end = min(len(words), at + _CO_PARTICIPANT + 1)
        word = words[at]
        if word in context.conjunctions and named:
            nxt = at + 1
            while nxt < len(words) and view.joined[nxt]:
                if (words[nxt] in context.determiners or _office_like(words[nxt], topic)
                        or (nxt == at + 1 and words[nxt] in context.links)):
                    # "… and with Ali Mahmoud Abbas", "… и с министром": the link repeated
                    nxt += 1
                    continue
                field = _office_field(view, nxt, topic)
                if not field:
                    break
                nxt += field  # "и министром иностранных дел Сирии"
            side = view.mention_starting(nxt) if nxt < len(words) else None
            if side is None or side.virtual or side.role == NONPARTY or not view.joined[nxt]:
                return None
            return side if _listed_to_end(view, side, topic) else None
        if view.capitals[at] or at in view.acronyms:
            named = True
        elif not (word in context.holders or word in context.determiners
                  or _office_like(word, topic) or (not named and at - pos < 2)):
            # a title in lowercase may open the name ("с госсекретарем США")
            return None
        at += 1
    return None


#: how long the group a side is then named a member of may be ("all its neighbours")
_GROUP = 5


def _member_of(view: SentenceView, pos: int, topic: Topic) -> Mention | None:
    """The side named a member of the group phrase at word ``pos``, after its comma: "good
    ties with all its neighbours, Syria included", "…, including Syria", "…, в том числе с
    Сирией" ([context] members: before or after the side). The group's words name no one."""
    words, members = view.words, topic.context.members
    if not members:
        return None
    comma = next((p for p in range(pos + 1, min(len(words), pos + _GROUP + 1))
                  if "," in view.seps[p]), None)
    if comma is None:
        return None
    named, thirds = view.named_positions()
    if any(p in named or p in thirds or view.capitals[p] or p in view.acronyms
           for p in range(pos, comma)):
        return None
    at = comma
    size = members.match_at(words, at)
    if size:
        at += size
        while at < len(words) and view.joined[at] and (words[at] in topic.context.determiners
                                                        or words[at] in topic.context.links):
            at += 1
        side = view.mention_starting(at) if at < len(words) and view.joined[at] else None
        return side if side is not None and side.role != NONPARTY else None
    side = view.mention_starting(at)
    if side is None or side.role == NONPARTY or side.last + 1 >= len(words):
        return None
    after = side.last + 1
    return side if view.joined[after] and members.match_at(words, after) else None


def listing(cue: Cue, view: SentenceView, pos: int, topic: Topic) -> bool:
    """Word ``pos`` may open a list of whom the cue's subject met: it follows a link ("with
    Rubio and …", "с Рубио и …"), or an English verb cue right before it ("met Rubio and
    …"). Not a Russian noun cue's genitive ("встречу Трампа и аш-Шараа": whose meeting)."""
    before = pos - 1
    while before > cue.last and view.words[before] in topic.context.determiners:
        before -= 1
    if before > cue.last:
        return view.words[before] in topic.context.links or any(
            topic.context.agents.match_at(view.words, start) == before + 1 - start
            for start in range(max(cue.last + 1, before - 2), before + 1))
    return cue.transitive and view.words[cue.last].isascii()


def _listed_to_end(view: SentenceView, side: Mention, topic: Topic) -> bool:
    """The side's phrase (its official's office and name after it) ends the list: the
    sentence ends, or punctuation or a preposition follows ("… and Syria's Foreign Minister
    Asaad al-Shaibani in Antalya"), not a verb of a clause of its own ("… and al-Shaibani
    visited Baghdad")."""
    words, context = view.words, topic.context
    at = side.last + 1
    while at < len(words) and view.attached(at):
        other = view.mention_starting(at)
        if other is not None and other.side == side.side:
            at = other.last + 1
        elif _office_like(words[at], topic) or words[at] in context.determiners or (
                view.capitals[at] and words[at] not in topic.known):
            at += 1
        else:
            break
    return (at >= len(words) or not view.attached(at) or words[at] in context.prepositions
            or words[at] in context.nonparty_before
            or bool(context.adverbials.match_at(words, at)))


def _office_like(word: str, topic: Topic) -> bool:
    return word in topic.coreference.offices or word in topic.context.actor_after or (
        word in topic.context.actor_before)


#: how many words a phrase of office words before a holder word may span ("foreign
#: ministers, defence chiefs and intelligence heads from")
_OFFICE_PHRASE = 10


def office_phrase(view: SentenceView, pos: int, topic: Topic) -> int:
    """How many words from ``pos`` make a phrase of office words closed by a holder word
    ("foreign ministers of", "defence chiefs and intelligence heads from"), commas and
    connectors between offices allowed: 0 when there is none. The parties after it hold
    the offices, so for a cue before it they are its object."""
    context = topic.context
    if not context.holders:
        return 0
    offices = False
    words = view.words
    end = min(len(words), pos + _OFFICE_PHRASE)
    _, third = view.named_positions()
    at = pos
    while at < end:
        word = words[at]
        if at > pos and not view.joined[at] and view.seps[at] != ",":
            return 0
        if word in context.holders:
            return at - pos + 1 if offices and view.joined[at] else 0
        if view.mention_starting(at) is not None or at in third:
            # a Russian genitive holds the offices with no holder word: "глав разведок
            # Ирака, Турции и Сирии"
            genitive = at > pos and view.joined[at] and words[at - 1] in context.actor_before
            return at - pos if offices and genitive else 0
        field = at + 1 < end and view.joined[at + 1] and (
            words[at + 1] not in context.holders
            and f"{word} {words[at + 1]}" in context.actor_before.exact)
        if field:
            at += 2  # "министров иностранных дел"
            continue
        if word in context.actor_after:
            offices = True
        elif word not in context.connectors and word not in context.determiners and not (
                at + 1 < end and view.joined[at + 1] and words[at + 1] in context.actor_after):
            return 0  # neither an office nor its modifier ("army chiefs", "water ministers")
        at += 1
    return 0


#: the words a coordinated field adds to a title ("and Finance")
_FIELD_AND = 2


def _title_before_side(view: SentenceView, pos: int, topic: Topic) -> bool:
    """Word ``pos`` opens a capitalized title ("President", "Foreign Minister") that runs
    into a side's name ("President Erdogan"; not "President Putin", whom the office may
    lend a side)."""
    coref, words = topic.coreference, view.words
    at = pos
    # (fields may be coordinated: "Treasury and Finance Minister Mehmet Simsek")
    while at < len(words) and at - pos < 3 + _FIELD_AND and view.joined[at] and (
            (view.capitals[at] and (words[at] in coref.offices or words[at] in coref.fields))
            or (at and words[at] in topic.context.conjunctions
                and words[at - 1] in coref.fields and at + 1 < len(words)
                and view.capitals[at + 1] and words[at + 1] in coref.fields)):
        at += 1
    mention = view.mention_starting(at) if at > pos and at < len(view.words) else None
    # a name the text itself gives the side, not one lent by the office word before it
    return mention is not None and view.joined[at] and not mention.virtual


def _someone_next(view: SentenceView, pos: int, topic: Topic) -> bool:
    """A partner's phrase opens at ``pos``: a name, a determiner or an office ("the UN
    envoy", "Iraqi officials"), not a verb ("to boost trade")."""
    word = view.words[pos]
    return (view.capitals[pos] or word in topic.context.determiners
            or word in topic.coreference.offices or word in topic.context.actor_after
            or pos in view.named_positions()[1])


def _elsewhere(view: SentenceView, pos: int, topic: Topic) -> bool:
    """Word ``pos`` is a venue word before a capitalized place that is no side ("в
    Багдаде", "in Baghdad"), nor the first of a list of places holding one ("побывал в
    Эр-Рияде, Дохе и Анкаре": stops, each an object as when it stands alone)."""
    after = pos + 1
    return (after < len(view.words) and view.words[pos] in topic.context.venue_before
            and view.capitals[after] and not view.title_case and view.joined[after]
            and view.mention_starting(after) is None and view.joined[pos]
            and group_at(view, after) is None)


def _venue_before_partner(view: SentenceView, pos: int, topic: Topic) -> bool:
    """Word ``pos`` is a capitalized place after a venue word ("in", "в") with a link to the
    partner right after it ("в Москве с …", "in Moscow with …")."""
    after = pos + 1
    return (pos > 0 and after < len(view.words) and view.capitals[pos]
            and view.words[pos - 1] in topic.context.venue_before
            and view.words[after] in topic.context.links
            and view.joined[pos] and view.joined[after])


def _someone_at(view: SentenceView, pos: int, topic: Topic) -> bool:
    """A name ("Tamim"), or an office word with a name after it ("эмира Катара"), at
    ``pos``: a person the cue takes as its object (not "в Анталийском дипломатическом
    форуме", an event)."""
    if view.capitals[pos]:
        return True
    after = pos + 1
    return (view.words[pos] in topic.coreference.offices and after < len(view.words)
            and view.joined[after] and view.capitals[after])


def _office_field(view: SentenceView, pos: int, topic: Topic) -> int:
    """How many words at ``pos`` name an office's field after the office word ("министром
    обороны", "министром иностранных дел", "главой Бюро национальной безопасности"): 0 when
    they do not."""
    if not pos or view.words[pos - 1] not in topic.context.determiners:
        return 0
    words, actor_before = view.words, topic.context.actor_before
    for size in (3, 2):
        if (pos + size <= len(words) and all(view.joined[p] for p in range(pos + 1, pos + size))
                and " ".join(words[pos:pos + size]) in actor_before.exact):
            return size
    return 1 if words[pos] in actor_before.exact else 0


def object_before(cue: Cue, view: SentenceView, topic: Topic) -> Mention | None:
    """A side right before the cue and governed by "with"/"с" ("ведет с Дамаском
    переговоры", "восстановить с Сирией отношения"): the cue's partner. Russian word order:
    in English the word before a noun cue modifies it ("trained with Turkish support" is
    Turkey's support, not support for Turkey)."""
    if view.words[cue.first].isascii():
        return None
    pos = cue.first - 1
    mention = next((m for m in view.mentions if m.last == pos), None)
    if mention is None or not view.joined[cue.first] or not view.joined[mention.first]:
        return None
    link = mention.first - 1
    if link < 0 or view.words[link] not in topic.context.links or mention.role == NONPARTY:
        return None
    return mention


#: how many words may stand between a relative pronoun in the object case and the cue of
#: its clause ("whom Recep Tayyip Erdogan received", «которого Реджеп Тайип Эрдоган принял»)
_WHOM_REACH = 6


def relative_object(cue: Cue, view: SentenceView, topic: Topic) -> Mention | None:
    """The side a relative pronoun in the object case stands for, when it opens the cue's
    clause after a comma: "…, and Syria's interim president Ahmed al-Sharaa, whom Erdogan
    received separately", «…, аш-Шараа, которого Эрдоган принял» — the cue's partner,
    whoever else the list before it names."""
    at = whom_before(view, cue.first, _WHOM_REACH, topic)
    if at is None or any(at < other.first < cue.first for other in view.cues):
        return None
    if any("," in view.seps[p] for p in range(at + 1, cue.first + 1)):
        return None  # the clause goes on past a comma: not the cue's own
    found = antecedent_of(view, at, topic)
    return None if found is None else found[1]


def whom_before(view: SentenceView, pos: int, reach: int, topic: Topic) -> int | None:
    """The nearest [coreference] whom word ("whom", «которого») in the ``reach`` words
    before word ``pos``."""
    return next((p for p in range(pos - 1, max(-1, pos - 2 - reach), -1)
                 if view.words[p] in topic.coreference.whom), None)


def antecedent_of(view: SentenceView, at: int, topic: Topic) -> tuple[int, Mention] | None:
    """The party a whom word at ``at`` stands for, named right before the comma that opens
    its clause (its link between: ", with whom", «, с которым»), and that comma's word
    position."""
    words = view.words
    opener = at - 1 if at and words[at - 1] in topic.context.links else at
    if opener < 1 or "," not in view.seps[opener]:
        return None
    mention = next((m for m in view.mentions if m.last == opener - 1 and not m.virtual
                    and m.role != NONPARTY), None)
    return None if mention is None else (opener, mention)


def group_at(view: SentenceView, pos: int) -> Group | None:
    """A list of parties opening at ``pos`` that holds a side and a third party."""
    return next((g for g in view.groups if g.first == pos and g.third), None)


def head_of(view: SentenceView, mention: Mention) -> Mention:
    """The named person of "Turkey's Erdogan" (a possessive side qualifying the same side)."""
    while mention.possessive:
        head = view.mention_starting(mention.last + 1)
        if head is None or head.side != mention.side:
            break
        mention = head
    return mention


def coordinated_with_other(view: SentenceView, mention: Mention, topic: Topic) -> bool:
    """The object is one half of a pair ("talks with Erdogan and Assad")."""
    for pos in range(mention.last + 1, mention.last + 2 + topic.windows.pair_gap):
        other = view.mention_starting(pos)
        if other is not None and other.side != mention.side:
            if pos == mention.last + 1 and view.seps[pos] != "-":
                return False  # "в Анкаре сирийскую делегацию": a venue, then the object
            if "," in view.seps[mention.last + 1] and _tells(view, other.last + 1, topic):
                # "Asked whether he would sit down with Erdogan, the president said …": the
                # teller of the main clause, no second partner
                return False
            return coordinated(view.words[mention.last + 1:pos], topic)
    return False

def _tells(view: SentenceView, pos: int, topic: Topic) -> bool:
    """A [context] sources word ("said", "заявил") at word ``pos``, in the same run."""
    return (pos < len(view.words) and view.joined[pos]
            and topic.context.sources.match_at(view.words, pos) > 0)


def after_venue(view: SentenceView, mention: Mention, topic: Topic) -> bool:
    pos = mention.first - 1
    while pos >= 0 and view.words[pos] in topic.context.determiners:
        pos -= 1
    return pos >= 0 and view.words[pos] in topic.context.venue_before
