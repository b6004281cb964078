"""Relation cues dated years before the article: a yardstick, not news.

"the 1987 protocol between Turkey and Syria", "Аданское соглашение 1998 года", "the
rapprochements of that era" — unless the sentence revives the old text ("reviving the 2007
free trade agreement", "the 1998 accord as a basis").
"""

from __future__ import annotations

import re
from datetime import date

from .lexicon import Hit
from .topic import Topic
from .view import Cue, SentenceView

#: a year (1900–2099) or a decade ("1990s", "1990-х" is read as "1990")
_YEAR = re.compile(r"(19|20)\d\d(s)?")
HISTORIC = "historic"


def historic_marker(cue: Cue, view: SentenceView, topic: Topic, day: date | None, *,
                    loose: bool = False) -> Hit | None:
    """The year or phrase that dates ``cue`` into the past, or None. When the cue is not
    itself tied to the sides (``loose``), a year next to a side dates the relation too ("a
    figure not met under the 1987 protocol between Turkey and Syria")."""
    rules = topic.historic
    words = view.words
    if rules.revival.find(words):
        return None
    anchors = [(cue.first, cue.last)]
    if loose:
        anchors += [(m.first, m.last) for m in view.mentions]
    for pos, word in enumerate(words):
        if day is None or not _YEAR.fullmatch(word) or int(word[:4]) > day.year - rules.min_age:
            continue
        if _after_baseline(view, pos, topic) or _in_aside(view, pos, cue):
            continue
        if any(_distance(anchor, pos, pos) <= rules.gap for anchor in anchors):
            return _hit(view, pos, pos)
    for first, last in rules.markers.find(words):
        if any(_distance(anchor, first, last) <= rules.gap for anchor in anchors):
            return _hit(view, first, last)
    return None


def told_before(cue: Cue, view: SentenceView, topic: Topic) -> Hit | None:
    """The determiner of "the accord", "this agreement", "the 1998 text", or the "it" a
    cue takes ("signed it"), or the text opening the sentence before a comma ("The document,
    signed by …", «Документ, подписанный …») — a cue naming a text an earlier sentence dated
    into the past — unless this sentence revives it."""
    words = view.words
    if topic.historic.revival.find(words):
        return None
    after = cue.last + 1
    if after < len(words) and view.joined[after] and words[after] in topic.coreference.neuter:
        return _hit(view, after, after)  # "the two countries had signed it under pressure"
    if cue.first == 0 and len(words) > 1 and not view.joined[1]:
        return _hit(view, 0, cue.last)  # «Документ, подписанный …»: the text, apposed
    if _opening_apposition(cue, view):
        return _hit(view, 0, cue.first - 1)  # "Документ, подписанный Анкарой и Дамаском, …"
    for pos in (cue.first - 1, cue.first - 2):
        if pos < 0 or not view.joined[pos + 1]:
            return None
        if words[pos] in topic.coreference.definite:
            return _hit(view, pos, pos)
        if view.capitals[pos] and not view.title_case:
            return None  # "the Adana accord" names it here: its own date decides
    return None


def _opening_apposition(cue: Cue, view: SentenceView) -> bool:
    """The cue opens a participle clause after the sentence's first noun and a comma ("The
    document, signed by Ankara and Damascus, …", «Документ, подписанный Анкарой и
    Дамаском, …»): the noun, named by no one here, is the text told before."""
    if not 1 <= cue.first <= 2 or view.joined[cue.first] or not all(
            view.joined[pos] for pos in range(1, cue.first)):
        return False
    sides, third = view.named_positions()
    return not any(pos in sides or pos in third for pos in range(cue.first))


def _after_baseline(view: SentenceView, pos: int, topic: Topic) -> bool:
    """"since 2012", "since April 2012", "с 2011 года": the year dates a comparison. Not
    "соглашение с Дамаском 1998 года": a party between "с" and the year is the partner."""
    baseline, words = topic.historic.baseline, view.words
    if pos >= 1 and words[pos - 1] in baseline:
        return True
    named, third = view.named_positions()
    return pos >= 2 and words[pos - 2] in baseline and pos - 1 not in named | third


#: how far into a comma-enclosed aside a year may stand and still date it as a whole ("…,
#: in 2016, met …")
_ASIDE_HEAD = 3


def _in_aside(view: SentenceView, pos: int, cue: Cue) -> bool:
    """The year at ``pos`` stands deep in an aside set off by commas before the cue, after
    the sentence's first words: it dates what the aside tells ("The former rebel leader, now
    in a suit and without the beard of 2016, sat down with Erdogan"), not the cue. Not a
    date that is the aside ("Erdogan, in 2010, met Assad")."""
    if pos >= cue.first:
        return False
    opening = next((p for p in range(pos, 0, -1) if "," in view.seps[p]), None)
    closing = next((p for p in range(pos + 1, cue.first + 1) if "," in view.seps[p]), None)
    return (opening is not None and closing is not None and opening > 1
            and pos - opening >= _ASIDE_HEAD)


def _distance(anchor: tuple[int, int], first: int, last: int) -> int:
    if last < anchor[0]:
        return anchor[0] - last
    if first > anchor[1]:
        return first - anchor[1]
    return 0


def _hit(view: SentenceView, first: int, last: int) -> Hit:
    return Hit(view.offsets[first][0], view.offsets[last][1], HISTORIC, HISTORIC, 0)
