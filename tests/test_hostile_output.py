"""What the command line shows from outside, through the real CLI: a webhook receiver's answer,
rows stored before crawled text was cleaned, a run reason: plain text, never escapes or markup."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from pipelines.storage import Store
from pipelines.storage.records import ArticleRecord, MatchRecord
from tests.helpers.alerts import T0, add_match
from tests.helpers.launch import mtwatch_env, run_cli_here, with_webhook
from tests.helpers.output import unsafe
from tests.helpers.webhook import Reply, WebhookReceiver

#: a Location header that erases the line, opens an OSC 8 link and carries Rich markup
LOCATION = "http://x.example/\x1b[2K[link=http://evil.example/]click[/link]" \
           "\x1b]8;;http://evil.example/\x07\x9b31m"  # latin-1: what a header can carry


def test_a_receivers_location_header_is_shown_as_text(workdir: Path) -> None:
    with WebhookReceiver(default=Reply(301, {"Location": LOCATION})) as receiver:
        env = with_webhook(workdir, receiver, mtwatch_env(workdir))
        with Store(env["MTWATCH_DB_URL"]) as store:
            add_match(store, 1, ("webhook",))
        retried = run_cli_here(["alerts", "retry", "1"], env, workdir)
        table = run_cli_here(["alerts", "list"], {**env, "COLUMNS": "300"}, workdir)
        listed = run_cli_here(["alerts", "list", "--json"], env, workdir)
        assert len(receiver.deliveries) == 1
    assert retried.returncode == 1
    assert "Traceback" not in retried.stderr
    assert unsafe(retried.stderr, newlines=True) == []
    assert table.returncode == 0, table.stderr
    assert unsafe(table.stdout, newlines=True) == []
    assert "[link=http://evil.example/]click[/link]" in table.stdout, table.stdout
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert "redirect to http://x.example/[2K[link=http://evil.example/]click[/link]]8;;" \
        in row["last_error"]
    assert unsafe(row["last_error"]) == []


def test_rows_stored_before_cleaning_are_shown_as_text(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    raw = "Turkey and Syria \x1b[31mrestore\x1b[0m ties [link=http://evil.example/]now[/link]\x9b"
    with Store(env["MTWATCH_DB_URL"]) as store:
        store.upsert_article(ArticleRecord(
            article_id=7, url="https://www.themoscowtimes.com/a7", headline=raw, subtitle="",
            authors=[], published=T0, modified=None, section="news", tags=[], language="en",
            html_sha256="h", text=raw, extraction="ok", fetched_at=T0))
        store.record_match(MatchRecord(
            article_id=7, topic="syria-turkey", rule_version="1", rule="core",
            grade="development", evidence=[{"sentence": raw}], matched_at=T0), ["email"])
        run = store.start_run(trigger="cli", now=T0)
        store.finish_run(run, now=T0 + timedelta(seconds=5), status="degraded",
                         reason="[bold]store:[/bold] \x1b[1A\x1b[2Kforged", stats={})
    table = run_cli_here(["matches"], {**env, "COLUMNS": "300"}, workdir)
    alerts = run_cli_here(["alerts", "list"], {**env, "COLUMNS": "300"}, workdir)
    status = run_cli_here(["status"], {**env, "COLUMNS": "300"}, workdir)
    exported = run_cli_here(["export", "--format", "csv"], env, workdir)
    for done in (table, alerts, exported):
        assert done.returncode == 0, done.stderr
        assert unsafe(done.stdout, newlines=True) == []
    assert "Turkey and Syria [31mrestore[0m ties [link=http://evil.example/]now[/link]" \
        in table.stdout
    assert "[link=http://evil.example/]now[/link]" in alerts.stdout
    assert unsafe(status.stdout, newlines=True) == []
    assert "[bold]store:[/bold] [1A[2Kforged" in status.stdout


def test_json_output_escapes_what_a_terminal_would_run_and_loses_nothing(workdir: Path) -> None:
    env = mtwatch_env(workdir)
    raw = "Turkey\x9b2J and Syria \u202erestore\u2028 ties\x7f"  # raw C1, bidi, U+2028, DEL
    with Store(env["MTWATCH_DB_URL"]) as store:
        add_match(store, 1)
        store.upsert_article(ArticleRecord(
            article_id=1, url="https://www.themoscowtimes.com/a1", headline=raw, subtitle="",
            authors=[], published=T0, modified=None, section="news", tags=[], language="en",
            html_sha256="h", text=raw, extraction="ok", fetched_at=T0))
    for args, field in ((["matches", "--format", "jsonl"], "headline"),
                        (["export", "--what", "articles"], "headline"),
                        (["export"], "headline")):
        done = run_cli_here(args, env, workdir)
        assert done.returncode == 0, done.stderr
        assert unsafe(done.stdout, newlines=True) == [], args
        [row] = [json.loads(line) for line in done.stdout.splitlines()]
        assert row[field] == raw, args
