"""Apply a topic's rules to one sentence (or a sentence window) and say what fired or why not."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from .binding import bind, find_pairs, meets_someone_else, officials_talk, partner_elsewhere
from .history import historic_marker, told_before
from .lexicon import DEV, HEDGE, NEG, Hit
from .thirds import (
    accompanying,
    home_partner,
    home_subject,
    nearest_third_party,
    teller,
    third_party_partner,
    third_party_subject,
    topic_of,
)
from .topic import Rule, Topic
from .view import Cue, SentenceView

WINDOW = "window"
#: an official of one side in a sentence, the other side's city the venue of an event told
#: shortly before ("OIC ministers met in Istanbul. … Syria's minister attended the session.")
VENUE = "venue"
NO_CUE = "both sides named but no relation cue"
NOT_LINKED = "relation cue present but not linking the two sides"
HISTORIC = "an agreement or contact dated years back: a yardstick, not news"
OTHERS = "the agreement or contact an earlier sentence told of as someone else's"
# A real sentence has a handful of cues; the cap bounds the work on run-on junk.
MAX_CUES = 64


@dataclass(frozen=True, slots=True)
class Outcome:
    """A fired rule with the cues that fired it, or the reason nothing fired."""

    rule: Rule | None
    cues: tuple[Cue, ...] = ()
    reason: str = ""
    blocked: str = ""
    culprit: Hit | None = None


def judge_sentence(view: SentenceView, topic: Topic, day: date | None = None, *,
                   dated: bool = False, others: bool = False) -> Outcome:
    """Best rule that fires in a sentence naming both sides, else a near-miss reason.
    ``dated``: a sentence just before dated an agreement into the past, so "the accord"
    here is that one. ``others``: a sentence just before told of an agreement or contact
    made by others, so "the deal" here, not tied to the pair, is theirs."""
    pairs = find_pairs(view, topic)
    elsewhere = meets_someone_else(view, topic)
    told_before = event_cues(view, topic)
    fired: list[tuple[Rule, Cue]] = []
    vetoed: Outcome | None = None
    for cue in view.cues[:MAX_CUES]:
        if cue.first in told_before:
            continue
        binding = bind(cue, view, pairs, topic, elsewhere=elsewhere)
        rule = None if binding is None else _rule_for(topic, cue.cls, binding.kind, day)
        if rule is None or binding is None:
            continue
        reason, culprit = veto(rule, cue, (view,), topic, binding.exempt, day,
                               loose=binding.kind != "tight", dated=dated, others=others)
        if reason:
            vetoed = vetoed or Outcome(None, (cue,), reason, rule.id, culprit)
        else:
            fired.append((rule, cue))
    if fired:
        return _best(fired)
    if vetoed is not None:
        return vetoed
    relational = any(not topic.cue_class(cue.cls).venue for cue in view.cues)
    return Outcome(None, reason=NOT_LINKED if relational else NO_CUE)


def judge_window(view: SentenceView, neighbor: SentenceView, topic: Topic,
                 day: date | None = None, *, dated: bool = False, others: bool = False,
                 third_before: bool = False, binding: str = WINDOW) -> Outcome | None:
    """A cue in ``view`` naming one side, with the other side named in ``neighbor`` (as a
    party, or with ``binding`` VENUE as the venue of an event). ``third_before``: a
    sentence just before ``view`` names a third party."""
    fired: list[tuple[Rule, Cue]] = []
    vetoed: Outcome | None = None
    told_before = event_cues(view, topic) if binding == WINDOW else set()
    for cue in view.cues[:MAX_CUES]:
        rule = _rule_for(topic, cue.cls, binding, day)
        if rule is None or cue.first in told_before:
            continue
        reason, culprit = veto(rule, cue, (view, neighbor), topic, day=day, loose=True,
                               dated=dated, others=others)
        if not reason and binding == WINDOW and rule.third_parties == "strict":
            # (a third party coordinated with the side there, "Turkey and Saudi Arabia
            # would welcome any agreement", makes the side a bystander, not a partner)
            culprit = (_neighbor_third(neighbor) or third_party_partner(neighbor, topic)
                       or home_partner(view, topic) or home_subject(cue, view, topic))
            reason = "the relation cue is about a third party" if culprit else ""
            if not reason and third_before and _pair_of_others(view, cue, topic):
                # "The two sides discussed restoring ties" after Saudi Arabia's minister met
                # Assad: the pair the sentence means is another, whoever the next one names
                reason = "the relation cue is about a third party"
            if not reason and partner_elsewhere(view, cue, topic):
                # the cue names its own partner, no side: "Ankara was also mending ties
                # with Gulf capitals and Egypt" (the next sentence's Damascus is no partner)
                reason = "the relation cue is about a third party"
        if reason:
            vetoed = vetoed or Outcome(None, (cue,), reason, rule.id, culprit)
        else:
            fired.append((rule, cue))
    return _best(fired) if fired else vetoed


def _pair_of_others(view: SentenceView, cue: Cue, topic: Topic) -> bool:
    """A group phrase ("the two sides", «стороны») before the cue that coreference did not
    read as the two sides (after a sentence naming a third party): the cue's parties are
    the pair an earlier sentence named, with someone else in it."""
    resolved = [group for group in view.groups if group.virtual and len(group.sides) == 2]
    return any(last < cue.first and not any(g.first <= first <= g.last for g in resolved)
               for first, last in topic.coreference.groups.find(view.words))


def event_cues(view: SentenceView, topic: Topic) -> set[int]:
    """Cues inside a phrase that names an event told before: one opening the sentence ("At
    the meeting, …", "В ходе встречи …") or one closing a clause ("«…», — заявил он по итогам
    встречи."): the event's parties are those of the earlier sentence, not the names around
    it. "На встрече с Эрдоганом" names its party and is not one."""
    words = view.words
    told: set[int] = set()
    for first, last in topic.coreference.events.find(words, anchors=range(len(words))):
        after = last + 1
        if first == 0:
            if after < len(words) and words[after] in topic.context.links:
                continue
        elif after < len(words) and view.joined[after]:
            continue
        told |= {cue.first for cue in view.cues if first <= cue.first <= last}
    return told


def _rule_for(topic: Topic, cls: str, binding: str, day: date | None) -> Rule | None:
    return next((r for r in topic.rules
                 if cls in r.cues and binding in r.bindings and r.applies_on(day)), None)


def _best(fired: list[tuple[Rule, Cue]]) -> Outcome:
    """The strongest rule, with every cue that fired any rule (all are evidence terms)."""
    rule = min((rule for rule, _ in fired), key=lambda r: r.priority)
    return Outcome(rule, tuple(cue for _, cue in fired))


def veto(rule: Rule, cue: Cue, views: tuple[SentenceView, ...], topic: Topic,
         exempt: Collection[int] = (), day: date | None = None, *,
         loose: bool = False, dated: bool = False,
         others: bool = False) -> tuple[str, Hit | None]:
    """Why ``rule`` must not fire for ``cue`` here ('' when nothing vetoes it) and the term.
    Third parties at ``exempt`` positions of the cue's sentence are listed with the sides.
    ``dated``: an earlier sentence dated an agreement into the past ("the accord" here).
    ``others``: an earlier sentence told of one made by others ("the deal" here, when the
    cue is not tied to the two sides)."""
    third: Hit | None = None
    if rule.third_parties in ("nearest", "strict"):
        third = nearest_third_party(cue, views[0], topic, exempt)
        if third is None and rule.third_parties == "strict":
            third = (third_party_subject(cue, views[0], exempt)
                     or third_party_partner(views[0], topic, exempt))
    elif rule.third_parties == "sentence":
        # (not one listed after a companion phrase: "the two ministers attended, as well as
        # representatives of Azerbaijan and Qatar" take part alongside them)
        third = next((hit for index, view in enumerate(views) for first, last, hit in view.third
                      if not teller(view, first, last, topic) and (
                          index or (first not in exempt
                                    and not topic_of(cue, view, first, topic)
                                    and not accompanying(view, first, topic)))), None)
    if third is not None:
        return "the relation cue is about a third party", third
    for exclusion_id in rule.exclusions:
        if not topic.exclusion(exclusion_id).applies_on(day):
            continue
        if topic.exclusion(exclusion_id).discussed and officials_talk(
                cue, views[0], topic, views[1:]):
            continue
        for view in views:
            if exclusion_id in view.exclusions:
                return topic.exclusion(exclusion_id).reason, view.exclusions[exclusion_id]
    if rule.historic:
        marker = historic_marker(cue, views[0], topic, day, loose=loose)
        if marker is None and dated:
            marker = told_before(cue, views[0], topic)
        if marker is not None:
            return HISTORIC, marker
    if others and loose:
        marker = told_before(cue, views[0], topic)
        if marker is not None:
            return OTHERS, marker
    return "", None


def _neighbor_third(neighbor: SentenceView) -> Hit | None:
    """A third party named before the side in the neighbouring sentence that supplies the
    other side of a window ("Эр-Рияд рассчитывает с помощью Дамаска …" + "Возобновление
    работы посольств"): the relation may be that third party's with the side, so a strict
    rule does not fire. One named after it ("Syria's new leader visited Saudi Arabia") is
    where the side went, no veto."""
    first_side = min((m.first for m in neighbor.mentions), default=len(neighbor.words))
    return next((hit for first, _, hit in neighbor.third if first < first_side), None)


def grade(views: tuple[SentenceView, ...]) -> str:
    """"development" when the text reports an event, unhedged and not negated."""
    flags = set().union(*(view.flags for view in views))
    return "development" if DEV in flags and not flags & {NEG, HEDGE} else "mention"
