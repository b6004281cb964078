"""``mtwatch status`` on a feed that moved permanently: a note under the sources table says
where to (the server's words as inert, bounded text), and ``--json`` gives it per document."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.storage import Store
from pipelines.storage.sources import SourceState
from tests.helpers.launch import mtwatch_env, run_cli_here

FEED, SITEMAP = "https://blog.example/feed", "https://blog.example/sitemap.xml"


@pytest.mark.usefixtures("migrated_store_url")  # it fills its store first: the migrated copy
def test_a_moved_feed_gets_a_note_and_an_unmoved_sitemap_none(workdir: Path,
                                                               store_url: str) -> None:
    now = datetime.now(UTC)
    hostile = "https://blog.example/[bold]feed[/bold]/\x1b[2K" + "z" * 600
    with Store(store_url) as store:
        store.save_source(SourceState(FEED, "feed", now, now, etag='"a"', moved_to=hostile),
                          site="blog")
        store.save_source(SourceState(SITEMAP, "sitemap", now, now, etag='"b"'), site="blog")
    env = mtwatch_env(workdir, MTWATCH_DB_URL=store_url)
    data = json.loads(run_cli_here(["status", "--json"], env, workdir).stdout)
    by_url = {s["url"]: s for s in data["sources"]}
    assert by_url[FEED]["moved_to"] == hostile
    assert "put that address in the config" in by_url[FEED]["note"]
    assert (by_url[SITEMAP]["moved_to"], by_url[SITEMAP]["note"]) == (None, None)
    table = run_cli_here(["status"], env, workdir).stdout
    (note,) = [line for line in table.splitlines() if line.startswith("note:")]
    assert note.startswith(f"note: blog feed {FEED}: moved permanently to "
                           "https://blog.example/[bold]feed[/bold]/")
    assert "\x1b" not in table
    assert len(note) <= 400
