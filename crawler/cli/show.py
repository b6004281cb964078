"""`mtwatch show ID`: one stored match with all its evidence, its article and its alerts."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from crawler.cli.common import EXIT_FAILED, db_option, fail, load, store_error
from crawler.cli.match import topic_id, topic_option
from crawler.output import cell, story_others, utc_time
from pipelines.untrusted import json_line

if TYPE_CHECKING:
    from rich.console import Console

    from pipelines.storage import ArticleRecord, MatchRecord
    from pipelines.storage.outbox import OutboxRow


@click.command("show")
@click.argument("given", metavar="ID")
@topic_option
@db_option
@click.option("--site", "site", metavar="NAME",
              help="ID is this site's own article ID (its key: a number, or the canonical URL "
              "for a generic site), not the store's id.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people (times in UTC); json: one object "
              "{article, matches, alerts} with every evidence item as stored.")
@click.pass_context
def command(ctx: click.Context, given: str, topic_name: str | None, db_url: str | None,
            site: str | None, fmt: str) -> None:
    """Show the stored match of article ID (the id column of `mtwatch matches`): headline,
    link, publication time, and for each topic it matched the grade, the rule and every
    evidence sentence with its matched terms, then its alerts and their state.

    This is what was recorded when it matched; `mtwatch explain ID` re-runs today's rules.
    Exit status 1 when the store holds no match for ID.
    """
    from pipelines.storage import Store, StoreError

    if site is None and not (given.isascii() and given.isdigit()):
        raise click.BadParameter(f"{given!r} is not a store id (a number); an article key of "
                                 "a site (a generic site's URL) needs --site NAME",
                                 param_hint="'ID'")
    article_id = int(given) if site is None else 0  # with --site: by its key
    config = load(ctx, store={"url": db_url})
    topic = topic_id(config, topic_name) if topic_name is not None else None
    try:
        with Store(config.store_url) as store:
            article = (store.get_article(article_id) if site is None
                       else store.find_article(given, site=site))
            matches = [m for m in store.list_matches(topic=topic)
                       if article is not None and m.article_id == article.article_id]
            keys = {m.idempotency_key for m in matches}
            alerts = [row for row in store.outbox_rows(status=None, channel=None)
                      if _about(row, article_id, keys)]
            stories = store.story_reports([m.story_id for m in matches if m.story_id])
    except StoreError as exc:
        fail(store_error(config, exc), EXIT_FAILED)
    if article is None or not matches:
        why = ("no stored article with that id" if article is None else
               f"it did not match{f' topic {topic}' if topic else ''} "
               f"(`mtwatch explain {article.article_id}` says why)")
        fail(f"no match for article {given}{f' of site {site}' if site else ''}: {why}; "
             "`mtwatch matches` lists the ids", EXIT_FAILED)
    if fmt == "json":
        click.echo(json_line(_as_json(article, matches, alerts, stories)))
        return
    _print(article, matches, alerts, stories)


def _about(row: OutboxRow, article_id: int, keys: set[str]) -> bool:
    """Whether an outbox row is about this article: its alerts on every watch and their edit
    updates, its own "also reported" updates (not the later reports of its story threaded
    under it)."""
    from pipelines.alerts.policy import watch_key

    if row.payload.get("also_reported_by"):
        return bool(row.payload.get("article_id") == article_id)
    mine = {watch_key(key, row.watch) for key in keys}
    return row.idempotency_key in mine or row.refers_to in mine


def _story(matches: list[MatchRecord], stories: Mapping[str, list[MatchRecord]]
           ) -> dict[str, Any] | None:
    """The article's story: its id, and its other articles (first report first)."""
    found = next((m for m in matches if m.story_id), None)
    if found is None:
        return None
    others = story_others(found, stories)
    return {"id": found.story_id,
            "others": [{"article_id": m.article_id, "site": m.site, "headline": m.headline,
                        "url": m.url} for m in others]}


def _as_json(article: ArticleRecord, matches: list[MatchRecord], alerts: list[OutboxRow],
             stories: Mapping[str, list[MatchRecord]]) -> dict[str, Any]:
    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "article": {"article_id": article.article_id, "site": article.site,
                    "article_key": article.article_key, "url": article.url,
                    "headline": article.headline, "subtitle": article.subtitle,
                    "authors": list(article.authors), "section": article.section,
                    "published": iso(article.published), "language": article.language,
                    "extraction": article.extraction},
        "matches": [{"topic": m.topic, "grade": m.grade, "rule": m.rule,
                     "rule_version": m.rule_version, "matched_at": iso(m.matched_at),
                     "evidence": m.evidence} for m in matches],
        "story": _story(matches, stories),
        "alerts": [{"id": a.id, "watch": a.watch or None, "channel": a.channel,
                    "kind": a.kind, "status": a.status,
                    "attempts": a.attempts, "sent_at": iso(a.sent_at),
                    "next_attempt_at": iso(a.next_attempt_at), "last_error": a.last_error}
                   for a in alerts],
    }  # fmt: skip


def _print(article: ArticleRecord, matches: list[MatchRecord], alerts: list[OutboxRow],
           stories: Mapping[str, list[MatchRecord]]) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(width=None if sys.stdout.isatty() else 120, highlight=False)
    console.print(Text(f"article {article.article_id}  ", style="bold") + cell(article.headline))
    for label, value in (("site", f"{article.site} (its id {article.article_key})"),
                         ("url", article.url), ("published", utc_time(article.published)
                                                or "unknown"),
                         ("authors", ", ".join(article.authors)), ("section", article.section)):
        if value:
            console.print(Text(f"  {label:<11} ") + cell(value), soft_wrap=True)
    story = _story(matches, stories)
    if story is not None:
        also = "; ".join(f"{o['site']} {o['article_id']} ({o['headline']})"
                         for o in story["others"]) or "no other report yet"
        console.print(Text("  story       ") + cell(f"{story['id']}: {also}"), soft_wrap=True)
    for match in matches:
        console.print()
        _print_match(console, match)
    console.print()
    if not alerts:
        console.print("alerts: none (stored without alerting, e.g. `run --no-alert`)")
    for row in alerts:
        when = (f"sent {utc_time(row.sent_at)}" if row.status == "sent" else
                f"next try {utc_time(row.next_attempt_at)}" if row.next_attempt_at else "")
        error = f"; last error: {row.last_error}" if row.last_error else ""
        watch = Text("watch ") + cell(row.watch) + Text(", ") if row.watch else Text()
        console.print(Text(f"alert {row.id}: ") + watch + cell(
            f"{row.channel} {row.kind} {row.status} {when}{error}"))


def _print_match(console: Console, match: MatchRecord) -> None:
    from rich.text import Text

    from pipelines.alerts.render import highlight

    console.print(Text(f"{match.topic}: ", style="bold") + Text(
        f"{match.grade}, rule {match.rule} (rules {match.rule_version}), matched "
        f"{utc_time(match.matched_at)}", style="bold green"))
    for number, item in enumerate(match.evidence, start=1):
        field, rule = item.get("field", ""), item.get("rule") or match.rule
        where = f"{field} {item.get('start', '')}–{item.get('end', '')}".strip()
        console.print(Text(f"  {number:>3}. [") + cell(where) + Text("] ") + cell(rule))
        sentence = Text("       ")
        terms = [str(t) for t in item.get("terms") or []]
        for piece, hit in highlight(cell(item.get("sentence", "")).plain, terms):
            sentence.append(piece, style="bold magenta" if hit else "")
        console.print(sentence)
        if terms:
            console.print(Text("       terms: ") + cell(", ".join(terms)))
