"""When an edit deserves an "updated" alert: the pure rules of pipelines.alerts.evidence."""

from __future__ import annotations

from pipelines.alerts.evidence import fingerprint, needs_update, normalize
from pipelines.alerts.policy import update_key

OLD = [{"sentence": "Turkey and Syria agreed on a roadmap."},
       {"sentence": "Erdogan may meet Assad."}]
TEXT = "Intro. Turkey and Syria agreed on a roadmap. Later, Erdogan may meet Assad."


def test_normalize_ignores_whitespace_and_invisible_characters() -> None:
    assert normalize(" Turkey\u00a0and\n\nSyria\u200b agreed ") == "Turkey and Syria agreed"
    assert normalize("road\u00admap") == "roadmap"
    assert fingerprint(OLD) == fingerprint(list(reversed(OLD)))
    assert fingerprint([{"sentence": "Turkey  and Syria agreed on a roadmap."}, OLD[1]]) == \
        fingerprint(OLD)


def test_same_or_reflowed_evidence_needs_no_update() -> None:
    assert not needs_update(OLD, OLD, [TEXT])
    reflowed = [{"sentence": s["sentence"].replace(" ", "\n ")} for s in OLD]
    assert not needs_update(OLD, reflowed, [TEXT.replace(" ", "  ")])


def test_other_sentences_from_the_same_text_need_no_update() -> None:
    assert not needs_update(OLD, OLD[:1], [TEXT])  # a rule change quoting less
    added = [*OLD, {"sentence": "Intro."}]
    assert not needs_update(OLD, added, [TEXT])


def test_an_edit_of_a_quoted_sentence_needs_an_update() -> None:
    edited_text = TEXT.replace("agreed on a roadmap", "signed a roadmap")
    new = [{"sentence": "Turkey and Syria signed a roadmap."}, OLD[1]]
    assert needs_update(OLD, new, [edited_text])
    assert update_key("k1", new) != update_key("k1", OLD)
    assert update_key("k1", new) == update_key("k1", list(reversed(new)))


def test_no_evidence_on_either_side_never_updates() -> None:
    assert not needs_update([], OLD, [TEXT])
    assert not needs_update(OLD, [], [""])
