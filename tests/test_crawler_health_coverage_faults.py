"""Coverage faults through the real ``mtwatch run``: a bot wall answering 403 to every article
trips a monitor once (not a ``degraded`` run forever that nobody hears of), every article
given up is reported with its headline and link, and the wall's end is reported too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.launch import FAST_CONFIG
from tests.helpers.smtp import SmtpServer, notices, smtp_env
from tests.replica import FaultPlan, Replica
from tests.replica.harness import Crawl, mtwatch_run, query

pytestmark = pytest.mark.e2e

#: give an article up at its first failure, so one run shows the whole path
CONFIG = FAST_CONFIG + "max_article_failures = 1\n"
WALL = [{"match": r"^/\d{4}/\d{2}/\d{2}/", "fault": "status", "status": 403,
         "body": "<html><body><h1>Access denied</h1></body></html>"}]


def run(workdir: Path, replica: Replica, smtp: SmtpServer, *args: str) -> Crawl:
    crawl = mtwatch_run(workdir, replica.base_url, *args, config=CONFIG, env=smtp_env(smtp))
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    return crawl


def notice_text(smtp: SmtpServer, index: int) -> str:
    found = [m for m in smtp.messages if "operator notice" in str(m.message["Subject"])]
    part = found[index].message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_bot_wall_is_reported_once_with_every_article_given_up(
        tmp_path: Path, smtp: SmtpServer) -> None:
    with Replica(articles=40, seed=4) as replica:
        wall = FaultPlan(WALL).install(replica.server)
        walled = run(tmp_path, replica, smtp)
        reason = str(walled.summary["reason"])
        assert walled.status == "degraded"
        tried = walled.counts["fetch failed"]
        assert tried >= 5
        assert (f"article fetches failing: {tried} of {tried} article fetches failed "
                f"(this run): {tried} http_403 (a bot wall or a block?)") in reason
        assert "canary a81087 (" not in reason or "HTTP 403" in reason
        assert len(notices(smtp)) == 1
        text = notice_text(smtp, 0)
        assert "article pages cannot be fetched" in text
        given_up = query(tmp_path, "SELECT url FROM articles WHERE failures >= 1")
        assert len(given_up) == tried
        for (url,) in given_up:  # each possible miss: its headline (from the slug) and link
            assert url in text
        slug = given_up[0][0].rstrip("/").rsplit("/", 1)[-1].rsplit("-a", 1)[0]
        assert slug.replace("-", " ")[1:] in text

        again = run(tmp_path, replica, smtp)  # the wall stands: no second message
        assert again.status == "degraded"
        assert "article fetches failing" in str(again.summary["reason"])
        assert len(notices(smtp)) == 1

        replica.server.interceptors.remove(wall.intercept)
        healed = run(tmp_path, replica, smtp, "--refresh")
    assert healed.status == "ok", healed.summary
    assert len(notices(smtp)) == 2
    assert "article pages cannot be fetched (recovered)" in notice_text(smtp, 1)


def test_a_feed_that_answers_but_lists_nothing_is_named(tmp_path: Path,
                                                        smtp: SmtpServer) -> None:
    empty = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
             "<title>The Moscow Times</title></channel></rss>")
    with Replica(articles=40, seed=4) as replica:
        FaultPlan([{"path": "/rss/news", "fault": "status", "status": 200, "body": empty,
                    "content_type": "text/xml; charset=utf-8"}]).install(replica.server)
        crawl = run(tmp_path, replica, smtp)
        base = replica.base_url
    assert crawl.status == "degraded"
    assert (f"1 feed/sitemap(s) answered but listed no articles: feed {base}/rss/news"
            in str(crawl.summary["reason"]))
    assert notices(smtp) == ["[mtwatch] operator notice: feeds or sitemaps list nothing"]
