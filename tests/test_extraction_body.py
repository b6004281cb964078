"""Body text extraction: trafilatura on the body zone, with a fallback that never loses text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extraction.body import Extraction, extract_text, plain_text
from pipelines.extraction.rawtext import raw_text

BODY = """<div>
<div class="article__intro"><p>Lead: the foreign ministers met in Moscow.</p></div>
<div class="article__block article__block--html"><p>Russia said on Wednesday that a roadmap to
normalize ties between Syria and Turkey will be drafted.</p><p>The talks in the Russian capital
also involved the top diplomats of Russia and Iran.</p></div>
<div class="article__block article__block--header"><h2>What comes next</h2></div>
<div class="article__block article__block--quote"><blockquote>"Our task is to determine the
general guidelines," Lavrov said.</blockquote></div>
<div class="article__block article__block--html"><p>Short.</p></div>
</div>"""


def test_every_paragraph_survives() -> None:
    result = extract_text(BODY)
    assert result.status in {"zone", "zone:blocks"}
    needles = (
        "Lead: the foreign ministers",
        "roadmap to normalize ties between Syria and Turkey",
        "top diplomats of Russia and Iran",
        "general guidelines",
        "Short.",
    )
    for needle in needles:
        assert needle in " ".join(result.text.split()), needle


def test_empty_body_is_flagged_not_silent() -> None:
    assert extract_text("<div></div>").status == "no_body"
    assert extract_text("<div><figure><img src='x.jpg'></figure></div>").status == "no_body"
    assert extract_text("").status == "no_body"


def test_repeated_extraction_is_identical() -> None:
    """trafilatura's deduplication would blank repeated text (bar row B4); it is off."""
    first = extract_text(BODY)
    for _ in range(10):
        assert extract_text(BODY) == first


def test_fallback_reads_nested_blocks_once() -> None:
    html = "<div><div><p>One.</p><p>Two.</p></div><blockquote>Three.</blockquote></div>"
    assert plain_text(html) == "One.\n\nTwo.\n\nThree."


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_never_raises_on_arbitrary_markup(junk: str) -> None:
    result = extract_text(f"<div><p>{junk}</p></div>")
    assert result.status in {"zone", "zone:blocks", "no_body", "extraction_failed:lost_text",
                             "extraction_failed:depth"}
    letters = sum(ch.isalnum() for ch in raw_text(f"<div><p>{junk}</p></div>"))
    # whatever happened, the text kept holds most of what the markup holds
    assert sum(ch.isalnum() for ch in result.text) >= 0.8 * letters


def test_source_line_breaks_inside_a_paragraph_do_not_split_phrases() -> None:
    html = "<div><p>Ankara and Damascus agreed to\n   normalize\nrelations.</p><p>Next.</p></div>"
    text = extract_text(html).text
    assert "agreed to normalize relations." in text
    assert plain_text(html) == "Ankara and Damascus agreed to normalize relations.\n\nNext."


def test_statuses_say_which_text_was_kept() -> None:
    assert extract_text("<div><p>Plain words here.</p></div>") == Extraction(
        "Plain words here.", "zone")
    repeated = "<div>" + "<p>Same sentence again and again.</p>" * 300 + "</div>"
    assert extract_text(repeated).text.count("Same sentence") == 300
