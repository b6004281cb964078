"""Stories, not copies, end to end: The Moscow Times replica (English and Russian editions) and
three generic replicas (two English sites that carry copies of its stories, and a Russian-language
site) crawled in one `mtwatch run`, with a labelled same-day near miss and a labelled story with
its Russian edition planted. Each story alerts once; its later reports (copies on other sites,
the other language's edition) are updates threaded under that alert (e-mail In-Reply-To the first
alert's Message-ID); different stories of one day are different alerts; a second run sends
nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.sites.generic.urls import normalise
from tests.helpers.generic_sites import GENERIC_SITES, sites_config
from tests.helpers.launch import ReplicaProcess, mtwatch_env, run_cli
from tests.helpers.rows import sqlite_rows as rows
from tests.helpers.smtp import SmtpServer
from tests.helpers.story_sites import ROADMAP, TRANSLATED, labelled, near_miss, story_sites

pytestmark = pytest.mark.e2e

@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[dict[str, ReplicaProcess]]:
    """The story sites (tests/helpers/story_sites.py), stopped after the test."""
    with story_sites(tmp_path) as started:
        yield started


def test_each_story_alerts_once_and_its_later_reports_are_threaded_under_it(
        replicas: dict[str, ReplicaProcess], smtp: SmtpServer, workdir: Path) -> None:
    path = sites_config(workdir, replicas)
    with path.open("a", encoding="utf-8") as out:
        out.write(f'\n[sites.moscowtimes-ru]\nenabled = true\n'
                  f'url = "{replicas["moscowtimes-ru"].base_url}"\n')
    env = mtwatch_env(workdir, smtp, MTWATCH_CONFIG=str(path))
    done = run_cli(["run", "--since", "2023-01-01"], env, workdir)
    assert done.returncode == 0, done.stderr
    db = workdir / "mtwatch.db"
    matched = rows(db, "SELECT m.id, m.story_id, m.topic, a.site, a.article_key, a.headline, "
                       "a.published FROM matches m JOIN articles a "
                       "ON a.article_id = m.article_id ORDER BY m.id")
    outbox = rows(db, "SELECT match_id, channel, kind, idempotency_key, refers_to "
                      "FROM alert_outbox WHERE match_id IS NOT NULL")
    assert all(story for _id, story, *_rest in matched), "every matched article has a story"
    story_of = {int(str(mid)): str(story) for mid, story, *_rest in matched}
    topic_of = {int(str(mid)): str(topic) for mid, _s, topic, *_rest in matched}
    # one alert per (story, topic, channel); every other report of it an update under it
    alerts: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for match_id, channel, kind, key, _ref in outbox:
        if kind == "alert":
            mid = int(str(match_id))
            alerts[story_of[mid], topic_of[mid], str(channel)].append(str(key))
    assert all(len(keys) == 1 for keys in alerts.values()), alerts
    updates = [(int(str(m)), str(c), str(k), str(r)) for m, c, kind, k, r in outbox
               if kind == "update"]
    for mid, channel, _key, refers_to in updates:
        assert alerts[story_of[mid], topic_of[mid], channel] == [refers_to]
    # the roadmap story: The Moscow Times' article, and the copies on the two English sites
    roadmap = {(str(site), str(key)): str(story) for _m, story, _t, site, key, head, _p
               in matched if head == ROADMAP}
    sites = {site for site, _key in roadmap}
    assert {"moscowtimes", "levant-notes", "global-wire"} <= sites, roadmap
    assert len(set(roadmap.values())) == 1, roadmap
    assert len(updates) >= 2
    stories = {story for _m, story, *_rest in matched}
    report = {str(story): sorted(f"{site}:{head}" for _m, s, _t, site, _k, head, _p in matched
                                 if s == story) for story in stories}
    print("stories:", *(f"{s}: {r}" for s, r in sorted(report.items())), sep="\n  ")
    # two different stories published the same morning stay two stories, two alerts
    titles = [near_miss()[side]["headline"] for side in ("a", "b")]
    same_day = {str(story) for _m, story, _t, _s, _k, head, _p in matched if head in titles}
    assert len(same_day) == 2, report
    assert all(any(s == story for (s, _t, _c) in alerts) for story in same_day)
    # the Russian edition of a story joins the English one's (same figures, dates and names)
    translated = labelled(TRANSLATED)
    editions = {str(site): str(story) for _m, story, _t, site, _k, head, _p in matched
                if head in (translated["a"]["headline"], translated["b"]["headline"])}
    assert set(editions) == {"moscowtimes", "moscowtimes-ru"}, report
    assert len(set(editions.values())) == 1, report
    # mail: one message per outbox row, each update a reply to its story's first alert
    keys = {f"<{k}@mtwatch.local>" for _m, _c, _kind, k, _r in outbox}
    messages = [e.message for e in smtp.messages if str(e.message["Message-ID"]) in keys]
    by_id = {str(m["Message-ID"]): m for m in messages}
    assert len(messages) == len(outbox)
    replies = [m for m in messages if m["In-Reply-To"]]
    assert len(replies) == len(updates)
    for reply in replies:
        first = by_id[str(reply["In-Reply-To"])]
        assert not first["In-Reply-To"], "threaded under the first alert itself"
        assert str(reply["Subject"]).startswith("Re: ")
        assert "also reported by" in str(reply["Subject"])
    truth_keys = {normalise(u) for layout in GENERIC_SITES
                  for u in replicas[layout].truth["positives"]}
    assert truth_keys, "the generic replicas plant positives"
    # a second run: nothing new is sent, no row is added
    sent = len(smtp.messages)
    again = run_cli(["run"], env, workdir)
    assert again.returncode == 0, again.stderr
    assert len(smtp.messages) == sent
    assert len(rows(db, "SELECT id FROM alert_outbox WHERE match_id IS NOT NULL")) == len(outbox)
