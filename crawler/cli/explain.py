"""`mtwatch explain`: why a stored article matched (rule, evidence) or did not (near-misses),
with what the store recorded and how analysts labelled it."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from crawler.cli.common import EXIT_FAILED, db_option, fail, load
from crawler.cli.label import labelled_article
from crawler.cli.match import load_matchers, topic_option

if TYPE_CHECKING:
    from rich.console import Console

    from crawler.web.explain import Explanation
    from pipelines.matcher import Evidence
    from pipelines.storage import ArticleRecord

#: characters of a crawled sentence shown per line item (the full text is in --json)
MAX_SENTENCE = 600


@click.command("explain")
@click.argument("article_id", type=int)
@topic_option
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def command(ctx: click.Context, article_id: int, topic_name: str | None, db_url: str | None,
            as_json: bool) -> None:
    """Re-run the current rules on a stored article and show why it matches or not.

    For a match: the rule that fired and each proving sentence with its matched terms. For
    no match: the near-misses (sentences naming both sides) and why each did not fire. Also
    what the store recorded (the match and its rule version) and the article's label.
    """
    from crawler.web.explain import explain
    from pipelines.storage import Store, StoreError

    config = load(ctx, store={"url": db_url})
    matchers = load_matchers(config, topic_name)
    try:
        with Store(config.store_url) as store:
            article = labelled_article(store, article_id)
            found = explain(store, article, matchers)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    if as_json:
        click.echo(json.dumps(_as_json(article, found), ensure_ascii=False))
        return
    _print(article, found)


def _as_json(article: ArticleRecord, found: Sequence[Explanation]) -> dict[str, Any]:
    return {
        "article_id": article.article_id, "headline": article.headline, "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language, "extraction": article.extraction,
        "topics": [{
            "topic": e.topic_id, "rule_version": e.rule_version, **e.verdict.to_dict(),
            "stored": None if e.stored is None else {
                "rule": e.stored.rule, "grade": e.stored.grade,
                "rule_version": e.stored.rule_version,
                "matched_at": e.stored.matched_at.isoformat()},
            "label": None if e.label is None else {
                "verdict": e.label.verdict, "note": e.label.note, "by": e.label.labelled_by,
                "at": e.label.labelled_at.isoformat()},
            "disagreement": e.disagreement,
        } for e in found],
    }  # fmt: skip


def _print(article: ArticleRecord, found: Sequence[Explanation]) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(width=None if sys.stdout.isatty() else 120, highlight=False)
    console.print(Text.assemble(("article ", "bold"), (str(article.article_id), "bold"), "  ",
                                _clip(article.headline)))
    published = f"{article.published:%Y-%m-%d %H:%M} UTC" if article.published else "unknown"
    for label, value in (("url", article.url), ("published", published),
                         ("stored text", f"{len(article.text)} characters, language "
                          f"{article.language or '?'}, extraction {article.extraction or 'ok'}")):
        console.print(Text(f"  {label:<12} ") + Text(value), soft_wrap=True)
    for item in found:
        console.print()
        _print_topic(console, item)


def _print_topic(console: Console, e: Explanation) -> None:
    from rich.text import Text

    v = e.verdict
    head = (f"MATCH — {v.grade}, rule {v.rule}" if v.matched else "NO MATCH")
    console.print(Text(f"{e.topic_id} (rules {e.rule_version}): ", style="bold")
                  + Text(head, style="bold green" if v.matched else "bold yellow"))
    stored = (f"match stored {e.stored.matched_at:%Y-%m-%d %H:%M} UTC ({e.stored.grade}, rule "
              f"{e.stored.rule}, rules {e.stored.rule_version})" if e.stored else "no match stored")
    console.print(Text(f"  {'stored':<12} {stored}"))
    label = (f"{e.label.verdict} by {e.label.labelled_by} "
             f"{e.label.labelled_at:%Y-%m-%d %H:%M} UTC" if e.label else "unlabelled")
    line = Text(f"  {'label':<12} {label}")
    if e.label and e.label.note:
        line += Text(" — ") + Text(_clip(e.label.note))
    console.print(line)
    if e.disagreement:
        console.print(Text(f"  {'disagrees':<12} {e.disagreement}", style="red"))
    if v.matched:
        console.print("  evidence (the rule that fired, the sentence, the matched terms):")
        _print_items(console, v.evidence)
    if v.near_misses:
        console.print("  near-misses (both sides named, nothing fired — why):")
        _print_items(console, v.near_misses, reasons=True)
    elif not v.matched:
        console.print("  no sentence names both sides (nothing for the rules to read)")


def _print_items(console: Console, items: Sequence[Evidence], *, reasons: bool = False) -> None:
    from rich.text import Text

    from pipelines.alerts.render import highlight

    for number, item in enumerate(items, start=1):
        why = item.reason if reasons else item.rule
        console.print(Text(f"  {number:>3}. [{item.field} {item.start}–{item.end}] ")
                      + Text(why or "-", style="cyan"))
        sentence = Text("       ")
        for piece, hit in highlight(_clip(item.sentence), item.terms):
            sentence.append(piece, style="bold magenta" if hit else "")
        console.print(sentence)
        if item.terms:
            console.print(Text("       terms: " + ", ".join(item.terms), style="dim"))


def _clip(value: str) -> str:
    from crawler.web.text import clean

    one = " ".join(clean(value).split())
    return one if len(one) <= MAX_SENTENCE else one[: MAX_SENTENCE - 1] + "…"
