"""Apply a topic's rules to one sentence (or a sentence window) and say what fired or why not."""

from __future__ import annotations

from dataclasses import dataclass

from .binding import (
    bind,
    find_pairs,
    meets_someone_else,
    nearest_third_party,
    third_party_partner,
    third_party_subject,
)
from .lexicon import DEV, HEDGE, NEG, Hit
from .topic import Rule, Topic
from .view import Cue, SentenceView

WINDOW = "window"
NO_CUE = "both sides named but no relation cue"
NOT_LINKED = "relation cue present but not linking the two sides"
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


def judge_sentence(view: SentenceView, topic: Topic) -> Outcome:
    """Best rule that fires in a sentence naming both sides, else a near-miss reason."""
    pairs = find_pairs(view, topic)
    elsewhere = meets_someone_else(view, topic)
    fired: list[tuple[Rule, Cue]] = []
    vetoed: Outcome | None = None
    for cue in view.cues[:MAX_CUES]:
        rule = _rule_for(topic, cue.cls, bind(cue, view, pairs, topic, elsewhere=elsewhere))
        if rule is None:
            continue
        reason, culprit = veto(rule, cue, (view,), topic)
        if reason:
            vetoed = vetoed or Outcome(None, (cue,), reason, rule.id, culprit)
        else:
            fired.append((rule, cue))
    if fired:
        return _best(fired)
    if vetoed is not None:
        return vetoed
    return Outcome(None, reason=NOT_LINKED if view.cues else NO_CUE)


def judge_window(view: SentenceView, neighbor: SentenceView, topic: Topic) -> Outcome | None:
    """A cue in ``view`` naming one side, with the other side named in ``neighbor``."""
    fired: list[tuple[Rule, Cue]] = []
    vetoed: Outcome | None = None
    for cue in view.cues[:MAX_CUES]:
        rule = _rule_for(topic, cue.cls, WINDOW)
        if rule is None:
            continue
        reason, culprit = veto(rule, cue, (view, neighbor), topic)
        if reason:
            vetoed = vetoed or Outcome(None, (cue,), reason, rule.id, culprit)
        else:
            fired.append((rule, cue))
    return _best(fired) if fired else vetoed


def _rule_for(topic: Topic, cls: str, binding: str | None) -> Rule | None:
    if binding is None:
        return None
    return next((r for r in topic.rules if cls in r.cues and binding in r.bindings), None)


def _best(fired: list[tuple[Rule, Cue]]) -> Outcome:
    """The strongest rule, with every cue that fired any rule (all are evidence terms)."""
    rule = min((rule for rule, _ in fired), key=lambda r: r.priority)
    return Outcome(rule, tuple(cue for _, cue in fired))


def veto(rule: Rule, cue: Cue, views: tuple[SentenceView, ...],
         topic: Topic) -> tuple[str, Hit | None]:
    """Why ``rule`` must not fire for ``cue`` here ('' when nothing vetoes it) and the term."""
    third: Hit | None = None
    if rule.third_parties in ("nearest", "strict"):
        third = nearest_third_party(cue, views[0])
        if third is None and rule.third_parties == "strict":
            third = (third_party_subject(cue, views[0])
                     or third_party_partner(views[0], topic))
    elif rule.third_parties == "sentence":
        third = next((hit for view in views for _, _, hit in view.third), None)
    if third is not None:
        return "the relation cue is about a third party", third
    for exclusion_id in rule.exclusions:
        for view in views:
            if exclusion_id in view.exclusions:
                return topic.exclusion(exclusion_id).reason, view.exclusions[exclusion_id]
    return "", None


def grade(views: tuple[SentenceView, ...]) -> str:
    """"development" when the text reports an event, unhedged and not negated."""
    flags = set().union(*(view.flags for view in views))
    return "development" if DEV in flags and not flags & {NEG, HEDGE} else "mention"
