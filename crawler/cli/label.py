"""`mtwatch label`: an analyst's verdict on a stored article; the labelled articles as corpus
rows (`mtwatch export --what labels`) and as a backtest (`mtwatch match --labelled-store`)."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from crawler.cli.common import EXIT_CONFIG, EXIT_FAILED, db_option, fail, load
from crawler.cli.match import load_matchers, topic_option

if TYPE_CHECKING:
    from pipelines.matcher import Matcher
    from pipelines.storage import ArticleRecord, Store
    from pipelines.storage.labels import Label


def one_matcher(matchers: list[Matcher]) -> Matcher:
    if len(matchers) != 1:
        fail("several topics are enabled: choose one with --topic NAME", EXIT_CONFIG)
    return matchers[0]


def labelled_article(store: Store, article_id: int) -> ArticleRecord:
    """The stored, evaluated article, or exit 1 with one line saying why not."""
    article = store.get_article(article_id)
    if article is None:
        fail(f"no stored article with id {article_id} (labels apply to articles in the store; "
             "`mtwatch export --what articles` lists them)", EXIT_FAILED)
    if article.state != "evaluated":
        fail(f"article {article_id} has no text yet (state {article.state}): the next run "
             "fetches it; label it then", EXIT_FAILED)
    return article


def default_labeller() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


@click.command("label")
@click.argument("article_id", type=int)
@click.argument("verdict", type=click.Choice(["relevant", "not-relevant"]))
@topic_option
@click.option("--note", default="", metavar="TEXT", help="Why (kept with the label and "
              "exported with it into the corpus).")
@click.option("--by", "by", metavar="NAME", help="Who labels (default: your login name).")
@db_option
@click.pass_context
def command(ctx: click.Context, article_id: int, verdict: str, topic_name: str | None,
            note: str, by: str | None, db_url: str | None) -> None:
    """Record your verdict on a stored article: relevant or not-relevant for a topic.

    \b
      mtwatch label 81087 relevant --note "Erdogan–Assad meeting, last paragraph"
      mtwatch label 80412 not-relevant --note "earthquake aid only"
    A new label replaces the previous one (which is kept as history). The labels feed
    `mtwatch match --labelled-store` (how the current rules do on them) and
    `mtwatch export --what labels` (corpus rows for the rules' tests).
    """
    from pipelines.storage import Store, StoreError

    config = load(ctx, store={"url": db_url})
    matcher = one_matcher(load_matchers(config, topic_name))
    topic = matcher.topic.id
    try:
        with Store(config.store_url) as store:
            article = labelled_article(store, article_id)
            before = store.current_labels(article_id).get(topic)
            label = store.set_label(article_id, topic, verdict, note=note,
                                    by=by or default_labeller(), now=datetime.now(UTC))
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    from crawler.web.explain import document

    matched = matcher.evaluate(document(article)).matched
    replaced = f" (replaces {before.verdict} by {before.labelled_by})" if before else ""
    click.echo(f"article {article_id} labelled {label.verdict} for {topic} by "
               f"{label.labelled_by}{replaced}; the current rules say "
               f"{'match' if matched else 'no match'}")
    if matched != label.relevant:
        click.echo("a disagreement: `mtwatch explain " f"{article_id}` shows why; "
                   "`mtwatch export --what labels` writes it as a corpus row")


# ---- the labelled articles as a corpus ----------------------------------------------------


def corpus_id(article: ArticleRecord) -> str:
    """A stored article's id in a corpus: ``mt-<key>`` for The Moscow Times (as before there
    were several sites), ``<site>-<key>`` for the others."""
    from pipelines.storage import DEFAULT_SITE

    prefix = "mt" if article.site == DEFAULT_SITE else article.site
    return f"{prefix}-{article.article_key}"


def corpus_row(article: ArticleRecord, label: Label) -> dict[str, Any]:
    """One line of the corpus format (tests/data/corpus.jsonl, `mtwatch match FILE`)."""
    published = article.published.astimezone(UTC).date().isoformat() \
        if article.published else None
    return {"id": corpus_id(article), "site": article.site, "topic": label.topic,
            "label": "positive" if label.relevant else "negative", "language":
            article.language or "en", "published": published, "title": article.headline,
            "subtitle": article.subtitle, "text": article.text, "note": label.note,
            "url": article.url, "labelled_by": label.labelled_by}  # fmt: skip


def labelled(store: Store, topic: str | None, since: datetime | None
             ) -> Iterator[tuple[ArticleRecord, Label]]:
    """Every current label (of ``topic``) with its article, oldest label first."""
    for label in store.iter_labels(topic=topic):
        article = store.get_article(label.article_id)
        if article is None or (since is not None and (article.published or
                                                      article.fetched_at) < since):
            continue
        yield article, label


def corpus_rows(store: Store, since: datetime | None) -> Iterator[dict[str, Any]]:
    for article, label in labelled(store, None, since):
        yield corpus_row(article, label)


# ---- `mtwatch match --labelled-store` -----------------------------------------------------


def backtest_store(store: Store, matcher: Matcher) -> None:
    """Evaluate every labelled stored article: one JSON line each on stdout, the score and
    the disagreements (with the label's note and the nearest miss) on stderr."""
    from crawler.web.explain import document
    from pipelines.matcher.backtest import Sample, Score, result_row

    total = Score()
    wrong: list[str] = []
    for article, label in labelled(store, matcher.topic.id, None):
        sample = Sample(corpus_id(article), document(article), label.relevant)
        verdict = matcher.evaluate(sample.document)
        row = {**result_row(sample, verdict), "article_id": article.article_id,
               "label": label.verdict, "headline": article.headline, "url": article.url}
        click.echo(json.dumps(row, ensure_ascii=False))
        total.add(sample, verdict.matched)
        if verdict.matched != label.relevant:
            wrong.append(_disagreement(article, label, verdict))
    if not total.labelled:
        click.echo(f"no labelled articles for topic {matcher.topic.id} "
                   "(label some with `mtwatch label ARTICLE_ID relevant|not-relevant`)", err=True)
        return
    click.echo(f"{matcher.topic.id} rules {matcher.topic.rule_version} on "
               f"{total.labelled} labelled stored article(s): {total.summary()}", err=True)
    click.echo(f"disagreements ({len(wrong)}):" + ("" if wrong else " none"), err=True)
    for line in wrong:
        click.echo(line, err=True)


def _disagreement(article: ArticleRecord, label: Label, verdict: Any) -> str:
    kind = "false negative" if label.relevant else "false positive"
    why = (f"rule {verdict.rule}: {verdict.evidence[0].sentence[:160]}" if verdict.matched
           else (f"nearest miss: {verdict.near_misses[0].reason}" if verdict.near_misses
                 else "no sentence names both sides"))
    note = f' — "{label.note[:120]}"' if label.note else ""
    return (f"  {kind} {article.article_id} {article.headline[:80]!r} (labelled "
            f"{label.verdict} by {label.labelled_by}{note}); {why}")
