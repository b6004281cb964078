"""Proper names read from capital letters: a person's full name, institution names, and
descriptions that another country's name qualifies.

Capitals say nothing in a headline written in title case, so nothing here applies to one.
"""

from __future__ import annotations

from .topic import Topic

#: joins the words of one name: "Murhaf Abu Qasra", "al-Shaibani", "Tom Barrack"
_NAME_SEPS = frozenset({"", "-"})
#: at most this many given names are read with a listed surname
_MAX_ABSORBED = 3


def unknown_capital(words: list[str], capitals: list[bool], covered: set[int], pos: int,
                    topic: Topic) -> bool:
    """A capitalized word that is no term and no context word: part of some name."""
    return (capitals[pos] and pos not in covered and words[pos] not in topic.known
            and not words[pos].isdigit())


def absorb_first_names(first: int, words: list[str], capitals: list[bool], seps: list[str],
                       covered: set[int], topic: Topic) -> int:
    """Where a side's name begins once its given names are read with it: "Recep Tayyip
    Erdogan", "Ахмедом аш-Шараа" (particles such as "al" may be lowercase)."""
    particles = topic.coreference.particles
    absorbed = 0
    while first > 0 and absorbed < _MAX_ABSORBED and seps[first] in _NAME_SEPS:
        pos = first - 1
        if not (unknown_capital(words, capitals, covered, pos, topic)
                or (words[pos] in particles and pos not in covered)):
            break
        if pos and words[pos - 1] in topic.context.venue_before and seps[pos] in _NAME_SEPS:
            break  # "обсудил в Эрбиле Сирию": a place after "в", no given name
        if (pos and words[pos] not in particles and seps[pos] in _NAME_SEPS
                and (words[pos - 1] in topic.context.place_nonparty_before
                     or words[pos - 1] in topic.coreference.definite)):
            # "heads to the Gulf as Erdogan …", "went to Paris as Erdogan …": a place, and
            # "as" no particle of a name
            break
        if words[pos] in topic.coreference.home:
            break  # "Erdogan tells Putin Damascus must stop …": the outlet's own, no given name
        first, absorbed = pos, absorbed + 1
    return first


def name_runs(words: list[str], capitals: list[bool], seps: list[str], covered: set[int],
              topic: Topic) -> list[tuple[int, int]]:
    """Runs of capitalized unknown words joined by spaces or hyphens (a particle may stand
    between two of them): the names of people the lexicon does not list. ``covered`` should
    hold acronyms too ("UN", "США" name bodies and countries, not people)."""
    particles = topic.coreference.particles
    runs: list[tuple[int, int]] = []
    pos, size = 0, len(words)
    while pos < size:
        if not unknown_capital(words, capitals, covered, pos, topic):
            pos += 1
            continue
        start = end = pos
        nxt = pos + 1
        while nxt < size and seps[nxt] in _NAME_SEPS:
            if unknown_capital(words, capitals, covered, nxt, topic):
                end = nxt
            elif not (words[nxt] in particles and nxt + 1 < size
                      and seps[nxt + 1] in _NAME_SEPS
                      and unknown_capital(words, capitals, covered, nxt + 1, topic)):
                break
            nxt += 1
        runs.append((start, end))
        pos = end + 1
    return runs


def in_proper_name(first: int, last: int, words: list[str], capitals: list[bool],
                   seps: list[str], topic: Topic) -> tuple[int, int] | None:
    """The span of the capitalized name a capitalized word sits in, when it has one:
    "the Council on Foreign Relations", "the Syrian Negotiation Commission". Lowercase
    linking words ("on", "of", "for the") may stand inside it. None when the word stands
    alone or opens the sentence without another capitalized word after it."""
    if not all(capitals[first:last + 1]):
        return None
    glue = topic.context.function_words
    lo, hi = first, last
    pos = first - 1
    while pos >= 0 and seps[pos + 1] in _NAME_SEPS and (capitals[pos] or words[pos] in glue):
        pos -= 1
    lo = pos + 1
    while lo < first and not capitals[lo]:
        lo += 1
    pos = last + 1
    while pos < len(words) and seps[pos] in _NAME_SEPS and (capitals[pos] or words[pos] in glue):
        pos += 1
    hi = pos - 1
    while hi > last and not capitals[hi]:
        hi -= 1
    return None if lo == hi else (lo, hi)


def qualified_by_other(first: int, last: int, words: list[str], capitals: list[bool],
                       seps: list[str], possessive: list[bool], sides_at: set[int],
                       topic: Topic) -> bool:
    """A generic description qualified by a proper name that is not a side: "Mali's
    transitional government", "interim government of Bangladesh", "временное правительство
    Мали"."""
    def other_name(pos: int) -> bool:
        return (0 <= pos < len(words) and capitals[pos] and pos not in sides_at
                and words[pos] not in topic.known)

    before = first - 1
    if before >= 0 and possessive[before] and seps[first] in _NAME_SEPS and other_name(before):
        return True
    after = last + 1
    if after < len(words) and seps[after] in _NAME_SEPS:
        if other_name(after):
            return True
        linked = words[after] in topic.context.place_nonparty_before
        if linked and after + 1 < len(words) and other_name(after + 1):
            return True
    return False
