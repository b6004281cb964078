"""Adaptive polling on the replica, over several real runs on one store with an injected
polling clock (``MTWATCH_POLL_NOW``: no waiting): a feed that brings nothing is polled less
and less often, one whose every poll brings new articles is polled on every run, and a run
with nothing due reads nothing and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.launch import FAST_CONFIG
from tests.replica import Replica
from tests.replica.feeds import RSS_SECTIONS
from tests.replica.harness import Crawl, mtwatch_run, query
from tests.replica.site import _in_section

pytestmark = pytest.mark.e2e
T0 = 1_800_000_000.0
MINUTE = 60.0
#: bounds in minutes; runs every half hour of the injected clock
POLLING = """[polling]
adaptive = true
minimum = 10
default = 30
maximum = 240
step = 10
quiet_step = 20
tolerance = 1
"""


def config(quiet: str) -> str:
    site = f'[sites.moscowtimes]\nfeeds = ["/rss/all", "/rss/{quiet}"]\n\n'
    return site + POLLING + "\n" + FAST_CONFIG


def test_quiet_feeds_are_polled_less_often_and_busy_ones_every_run(tmp_path: Path) -> None:
    """Seven real runs (about 10 s each here)."""
    with Replica(articles=300, seed=21) as r:
        publisher = r.publisher(hold=16)
        held = publisher.queue
        quiet = next(name for name, (key, _, _) in RSS_SECTIONS.items()
                     if r.site.feed_items(key) and not any(_in_section(a, key) for a in held))
        text = config(quiet)
        runs: list[tuple[Crawl, list[str], dict[str, set[str]]]] = []

        def run(minutes: float) -> None:
            r.access_log.clear()
            crawl = mtwatch_run(tmp_path, r.base_url, config=text,
                                env={"MTWATCH_POLL_NOW": str(T0 + minutes * MINUTE),
                                     "MTWATCH_ADAPTIVE_POLLING": "true"})
            assert crawl.returncode == 0, crawl.stderr
            log = r.access_log.snapshot()
            feeds = [rec.path for rec in log if rec.path.startswith("/rss/")]
            asked = {rec.path: {k.lower() for k in rec.headers} for rec in log
                     if rec.path.startswith("/rss/")}
            runs.append((crawl, feeds, asked))

        run(0)  # the site's first run: everything
        run(1)  # a minute later: nothing is due
        for n in range(1, 6):
            publisher.publish(2)
            run(30 * n)
        quiet_interval = query(tmp_path, "SELECT schedule FROM source_polls WHERE url LIKE ?",
                               f"%/rss/{quiet}")
    first, idle, *later = runs
    assert sorted(first[1]) == sorted(["/rss/all", f"/rss/{quiet}"])
    # nothing due: no feed asked, the run is ok and says why
    assert idle[1] == []
    assert idle[0].status == "ok"
    assert "not due" in idle[0].summary["reason"]
    assert idle[0].counts["sources polled"] == 0
    assert idle[0].counts["sources not due"] == 3  # two feeds and the sitemap index
    # the busy feed on every run; the quiet one at 30, 90 and 150 minutes only (its interval
    # grows by a step after each poll that brings nothing: 40, then 50 minutes)
    assert all("/rss/all" in feeds for _, feeds, _ in later)
    assert [f"/rss/{quiet}" in feeds for _, feeds, _ in later] == [True, False, True, False,
                                                                   True]
    for crawl, feeds, _ in later:
        assert crawl.status == "ok", crawl.summary
        assert crawl.counts["sources polled"] + crawl.counts["sources not due"] == 3
        assert crawl.counts["sources not due"] == (f"/rss/{quiet}" not in feeds)
    # conditional GET as before: every feed asked with the validators of its last read (the
    # replica's feeds carry their build time, so they answer 200 with nothing new: quiet)
    for _, _, asked in later:
        for headers in asked.values():
            assert headers & {"if-none-match", "if-modified-since"}, headers
    [(schedule,)] = quiet_interval
    assert json.loads(schedule)["interval"] == 60 * MINUTE


def test_a_generic_sites_unchanged_sitemaps_wait_longer(tmp_path: Path) -> None:
    """A generic site read from its sitemaps only (a news sitemap and a sitemap index), which
    publishes nothing: each poll after the first finds nothing new and lengthens their
    interval, so a run 60 minutes in finds none due. Three real runs (about 5 s each)."""
    from tests.helpers.generic_sites import GENERIC_SITES, serve_generic

    _host, name, keys = GENERIC_SITES["publisher"]
    server = serve_generic("publisher", tmp_path)
    try:
        text = (f'[sites.{name}]\nkind = "generic"\nurl = "{server.base_url}"\n{keys}\n'
                + POLLING + "\n" + FAST_CONFIG + "fast_on_loopback = true\n")
        runs = [mtwatch_run(tmp_path, name, config=text,
                            env={"MTWATCH_POLL_NOW": str(T0 + minutes * MINUTE),
                                 "MTWATCH_ADAPTIVE_POLLING": "true"})
                for minutes in (0, 30, 60)]
        schedules = query(tmp_path, "SELECT url, schedule FROM source_polls "
                                    "WHERE schedule IS NOT NULL ORDER BY url")
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=10)
    for crawl in runs:
        assert crawl.returncode == 0, crawl.stderr
    first, second, third = runs
    assert (first.counts["sources polled"], second.counts["sources polled"]) == (2, 2)
    # ok: the index's video sitemap lists no article, which a sitemap of other pages may
    # (it is asked conditionally, not reported as an empty source)
    assert first.status == second.status == "ok", (first.summary, second.summary)
    assert third.counts["sources not due"] == 2
    assert (third.status, third.counts["sources polled"]) == ("ok", 0)
    assert "2 not due" in third.summary["reason"]
    # the two sitemaps of the site (not the sitemaps the index lists), each after one quiet poll
    assert [url.rsplit("/", 1)[1] for url, _ in schedules] == ["index.xml", "news.xml"]
    assert [json.loads(s)["interval"] for _, s in schedules] == [40 * MINUTE, 40 * MINUTE]
